import { z } from "zod";
import { errorBodySchema } from "./common-schemas.ts";
import { listRoutes, type RouteSpec } from "./route-table.ts";

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  // Refinements cannot be expressed in JSON Schema; the server still enforces them.
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
}

function parameters(route: RouteSpec): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const [where, schema] of [
    ["path", route.params],
    ["query", route.query],
  ] as const) {
    if (schema === undefined) continue;
    const object = jsonSchema(schema, "input") as {
      properties?: Record<string, JsonSchema>;
      required?: string[];
    };
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      out.push({
        name,
        in: where,
        required: where === "path" || (object.required ?? []).includes(name),
        schema: property,
      });
    }
  }
  return out;
}

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

function operation(route: RouteSpec & { id: string }): JsonSchema {
  const responses: Record<string, JsonSchema> = {
    "200": {
      description: "OK",
      content:
        route.produces === undefined
          ? {
              "application/json": {
                schema: route.response ? jsonSchema(route.response, "output") : { type: "object" },
              },
            }
          : { [route.produces]: { schema: { type: "string" } } },
    },
    "400": errorResponse("Invalid input (code VALIDATION_FAILED, MALFORMED_JSON, …)"),
  };
  if (route.access !== "public") {
    responses["401"] = errorResponse("No valid session or token (UNAUTHENTICATED)");
    responses["403"] = errorResponse(`Needs role ${route.access} or above (FORBIDDEN, CSRF_FAILED)`);
  }
  const op: JsonSchema = {
    operationId: route.id,
    summary: route.summary,
    tags: [route.tag],
    parameters: parameters(route),
    responses,
    "x-mirrordeck-access": route.access,
  };
  if (route.access === "public") op.security = [];
  if (route.body !== undefined) {
    op.requestBody = {
      required: true,
      content: { "application/json": { schema: jsonSchema(route.body, "input") } },
    };
  } else if (route.textBody !== undefined) {
    op.requestBody = { required: true, content: { [route.textBody]: { schema: { type: "string" } } } };
  }
  return op;
}

/** The API as an OpenAPI 3.1 document, generated from the route table's zod schemas. */
export function buildOpenApiDocument(serverUrl = "/"): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of listRoutes()) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, JsonSchema>)[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "MirrorDeck API",
      version: "1",
      description:
        "Control plane for MirrorMaker 2 compatible replication between Kafka clusters. Errors are `{ error: { code, message, details } }` with stable codes.",
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }, { session: [] }],
    paths,
    components: {
      schemas: { Error: jsonSchema(errorBodySchema, "output") },
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API token (mdk_…)" },
        session: {
          type: "apiKey",
          in: "cookie",
          name: "mirrordeck_session",
          description: "Browser session; writes also need the X-CSRF-Token header",
        },
      },
    },
  };
}
