import { stateLabel } from "@/components/overview/fleet.ts";

const STATE_CLASS: Record<string, string> = { RUNNING: "ok", CATCHING_UP: "neutral", ERROR: "bad" };

/** A flow's state as a coloured badge ("catching up"), with the reason for it on hover. */
export function FlowStateBadge({
  flow,
  testId,
}: {
  flow: { state: string; stateReason: string | null };
  testId?: string;
}) {
  return (
    <span
      className={`badge ${STATE_CLASS[flow.state] ?? "neutral"}`}
      data-testid={testId}
      title={flow.stateReason ?? undefined}
    >
      {stateLabel(flow.state)}
    </span>
  );
}
