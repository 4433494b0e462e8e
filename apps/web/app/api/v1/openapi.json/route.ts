import { buildOpenApiDocument } from "@mirrordeck/contracts";
import { defineRoute } from "@/lib/server/http/define-route.ts";

export const dynamic = "force-dynamic";

export const GET = defineRoute("openapi.get", async () => Response.json(buildOpenApiDocument("/")));
