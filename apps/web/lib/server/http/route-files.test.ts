import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { listRoutes } from "@mirrordeck/contracts";
import { describe, expect, it } from "vitest";

const apiRoot = path.resolve(import.meta.dirname, "../../../app/api/v1");

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routeFiles(full);
    return name === "route.ts" ? [full] : [];
  });
}

/** `app/api/v1/clusters/[alias]/route.ts` → `/api/v1/clusters/{alias}`. */
function urlPath(file: string): string {
  const relative = path.relative(apiRoot, path.dirname(file)).split(path.sep).filter(Boolean);
  return ["/api/v1", ...relative.map((s) => s.replace(/^\[(.+)\]$/, "{$1}"))].join("/");
}

describe("route files and the route table", () => {
  const served = routeFiles(apiRoot).flatMap((file) => {
    const source = readFileSync(file, "utf8");
    const exported = [
      ...source.matchAll(/^export const (GET|POST|PATCH|PUT|DELETE) = (\w+)\(\s*"([\w.]+)"/gm),
    ];
    const handlers = [
      ...source.matchAll(/^export (?:const|async function|function) (GET|POST|PATCH|PUT|DELETE)\b/gm),
    ];
    // Every exported handler must be bound to a table entry (so auth cannot be forgotten).
    expect(handlers.length, `${file}: every handler goes through defineRoute/lifecycleRoute`).toBe(
      exported.length,
    );
    return exported.map((m) => ({ method: m[1], id: m[3], path: urlPath(file) }));
  });

  it("serves exactly the table's routes, each from the file its path names", () => {
    const table = listRoutes().map((r) => ({ method: r.method, id: r.id, path: r.path }));
    const key = (r: { method?: string; id?: string; path: string }) => `${r.method} ${r.path} ${r.id}`;
    expect(served.map(key).sort()).toEqual(table.map(key).sort());
  });
});
