import { lifecycleRoute } from "@/lib/server/flows/lifecycle-route.ts";

export const dynamic = "force-dynamic";

export const POST = lifecycleRoute("flows.resume", "resume");
