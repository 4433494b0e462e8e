import { defineRoute } from "@/lib/server/http/define-route.ts";

export const dynamic = "force-dynamic";

export const GET = defineRoute("auth.me", async ({ principal, authentication }) =>
  Response.json({
    kind: principal.kind,
    label: principal.label,
    role: principal.role,
    csrfToken: authentication?.via === "cookie" ? authentication.csrfToken : null,
  }),
);
