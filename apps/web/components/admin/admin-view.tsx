"use client";

import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client.ts";
import { isForbidden, Refusal, retryUnlessRefused } from "./shared.tsx";
import { TokensPanel } from "./tokens-panel.tsx";
import { UsersPanel } from "./users-panel.tsx";
import { WebhooksPanel } from "./webhooks-panel.tsx";
import "@/styles/overview.css";

/** Users, API tokens and alert webhooks (admins only; the lists load together). */
export function AdminView() {
  const users = useQuery({ queryKey: ["users"], queryFn: api.users, retry: retryUnlessRefused });
  const tokens = useQuery({ queryKey: ["tokens"], queryFn: api.tokens, retry: retryUnlessRefused });
  const webhooks = useQuery({ queryKey: ["webhooks"], queryFn: api.webhooks, retry: retryUnlessRefused });
  const refused = [users.error, tokens.error, webhooks.error].find(isForbidden);
  return (
    <>
      <h1>Users &amp; tokens</h1>
      {refused !== undefined ? (
        <Refusal title="Only admins can manage users and API tokens." error={refused} />
      ) : (
        <>
          <UsersPanel query={users} />
          <TokensPanel query={tokens} />
          <WebhooksPanel query={webhooks} />
        </>
      )}
    </>
  );
}
