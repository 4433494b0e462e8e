import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { listRoutes } from "@mirrordeck/contracts";
import { describe, expect, it } from "vitest";

const appRoot = path.resolve(import.meta.dirname, "../../../app");
const apiRoot = path.join(appRoot, "api/v1");
const ROUTE_FILE = /^route\.(ts|tsx|js|jsx|mjs)$/;
const METHOD = "(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)";

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routeFiles(full);
    return ROUTE_FILE.test(name) ? [full] : [];
  });
}

/** `app/api/v1/clusters/[alias]/route.ts` → `/api/v1/clusters/{alias}`. */
function urlPath(file: string): string {
  const relative = path.relative(apiRoot, path.dirname(file)).split(path.sep).filter(Boolean);
  return ["/api/v1", ...relative.map((s) => s.replace(/^\[(.+)\]$/, "{$1}"))].join("/");
}

/**
 * Handlers outside the API, on purpose: Prometheus scrapes `/metrics` with its own bearer token
 * (MIRRORDECK_METRICS_TOKEN), never a user's session or API token.
 */
const OUTSIDE_API = [path.join(appRoot, "metrics/route.ts")];

describe("route files and the route table", () => {
  const all = routeFiles(appRoot);
  const files = all.filter((f) => !OUTSIDE_API.includes(f));

  it("has route handlers only under app/api/v1, besides the Prometheus endpoint", () => {
    expect(files.filter((f) => !f.startsWith(`${apiRoot}${path.sep}`))).toEqual([]);
    expect(all.filter((f) => OUTSIDE_API.includes(f))).toEqual(OUTSIDE_API);
  });

  const served = files.flatMap((file) => {
    const source = readFileSync(file, "utf8");
    const bound = [
      ...source.matchAll(
        new RegExp(`^export const ${METHOD} = (defineRoute|lifecycleRoute)\\(\\s*"([\\w.-]+)"`, "gm"),
      ),
    ];
    // Any other way to export a method handler would bypass authentication: refuse them all.
    const anyExport = [
      ...source.matchAll(
        new RegExp(`^export\\s+(?:const|let|var|async\\s+function|function)\\s+${METHOD}\\b`, "gm"),
      ),
    ];
    const reExport = new RegExp(`^export\\s*\\{[^}]*\\b(as\\s+)?${METHOD}\\b[^}]*\\}`, "m").test(source);
    const defaultExport = /^export\s+default\b/m.test(source);
    expect({ file, bound: bound.length, reExport, defaultExport }).toEqual({
      file,
      bound: anyExport.length,
      reExport: false,
      defaultExport: false,
    });
    return bound.map((m) => ({ method: m[1], id: m[3], path: urlPath(file) }));
  });

  it("serves exactly the table's routes, each from the file its path names", () => {
    const table = listRoutes().map((r) => ({ method: r.method, id: r.id, path: r.path }));
    const key = (r: { method?: string; id?: string; path: string }) => `${r.method} ${r.path} ${r.id}`;
    expect(served.map(key).sort()).toEqual(table.map(key).sort());
  });
});
