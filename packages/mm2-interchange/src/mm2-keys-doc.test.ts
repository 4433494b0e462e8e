import { readFileSync } from "node:fs";
import path from "node:path";
import { CLUSTER_SETTINGS, FLOW_SETTINGS } from "@mirrordeck/mm2";
import { describe, expect, it } from "vitest";

// docs/mm2-properties.md says, for every mm2.properties key, what MirrorDeck does with it.
const doc = readFileSync(path.resolve(import.meta.dirname, "../../../docs/mm2-properties.md"), "utf8");
const rows = new Map(
  [...doc.matchAll(/^\| `([^`]+)`[^|]*\| ([^|]+) \|/gm)].map((m) => [
    m[1]!.replace(/^<source>-><target>\./, ""),
    m[2]!.trim(),
  ]),
);

describe("docs/mm2-properties.md", () => {
  it("has a row for every key the mm2.properties parser knows, with a status", () => {
    const keys = ["clusters", ...Object.values(FLOW_SETTINGS), ...Object.values(CLUSTER_SETTINGS)].map((s) =>
      typeof s === "string" ? s : s.key,
    );
    const missing = keys.filter((key) => !rows.has(key));
    expect(missing).toEqual([]);
    for (const key of keys)
      expect(rows.get(key)).toMatch(/^(supported|improved|not supported|not applicable)/);
  });
});
