import { defineRoute } from "@/lib/server/http/define-route.ts";

export const dynamic = "force-dynamic";

/** Liveness: the process serves requests. Readiness (dependencies) is a separate endpoint. */
export const GET = defineRoute("health.get", async () => Response.json({ status: "ok" }));
