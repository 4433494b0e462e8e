import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./openapi.ts";
import { listRoutes } from "./route-table.ts";

describe("OpenAPI document", () => {
  const document = buildOpenApiDocument();

  it("validates against the OpenAPI 3.1 schema", async () => {
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("documents every route of the table, with its access level", () => {
    const paths = document.paths as Record<
      string,
      Record<string, { operationId: string; "x-mirrordeck-access": string }>
    >;
    for (const route of listRoutes()) {
      const op = paths[route.path]?.[route.method.toLowerCase()];
      expect(op?.operationId, route.id).toBe(route.id);
      expect(op?.["x-mirrordeck-access"]).toBe(route.access);
    }
  });
});
