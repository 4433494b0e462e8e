"use client";

import { useQuery } from "@tanstack/react-query";
import { degradedMessages, type ReadinessChecks } from "@/lib/readiness.ts";

const REFRESH_MS = 10_000;

async function readiness(): Promise<ReadinessChecks> {
  // 503 carries the same body: which dependency is down is the point.
  const response = await fetch("/api/v1/ready", { cache: "no-store" });
  return ((await response.json()) as { checks: ReadinessChecks }).checks;
}

/** On every page: says which part of the control plane is down and what that means, or nothing. */
export function SystemStatusBanner() {
  const ready = useQuery({
    queryKey: ["ready"],
    queryFn: readiness,
    refetchInterval: REFRESH_MS,
    retry: false,
  });
  const messages = ready.data
    ? degradedMessages(ready.data)
    : ready.isError
      ? ["The MirrorDeck server does not answer; what you see may be out of date."]
      : [];
  if (messages.length === 0) return null;
  return (
    <div role="status" aria-label="System status" className="system-status">
      {messages.map((message) => (
        <p key={message}>{message}</p>
      ))}
    </div>
  );
}
