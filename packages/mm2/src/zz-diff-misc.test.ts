import fc from "fast-check";
import { readFileSync, writeFileSync } from "node:fs";
import { it } from "vitest";
import { encodeCheckpointKey, encodeCheckpointValue } from "./checkpoint.ts";
import { DefaultReplicationPolicy } from "./default-replication-policy.ts";
import { parseConfigList } from "./config-list.ts";
import { PatternList } from "./pattern-list.ts";

const hexs = (s: string) => [...Array(s.length).keys()].map((i) => s.charCodeAt(i).toString(16).padStart(4, "0")).join("");
const text = fc.string({ unit: "binary", maxLength: 12 });
const topicish = fc.string({ unit: fc.constantFrom("a", "b", ".", "_", "-", "x"), maxLength: 10 });
const seps = fc.constantFrom(".", "_", "__", "-", "..", "ab");
const listText = fc.string({ unit: fc.constantFrom("a", ",", " ", "\t", "\n", "\u000b", "\u0001", "\u00a0", "b"), maxLength: 12 });
const reUnit = fc.constantFrom("a", "b", ".", "*", "+", "?", "|", "(", ")", "[", "]", "^", "-", "\\", "d", "w", "s", "{", "}", "1", ",", "$", "&", ":");
const patterns = fc.string({ unit: reUnit, maxLength: 8 });
const names = fc.string({ unit: fc.constantFrom("a", "b", "1", ".", "-", "_", " ", "\n", "é"), maxLength: 6 });

it("misc", () => {
  if (!process.env.MM2_DIFF) return;
  const cases = fc.sample(
    fc.oneof(
      fc.tuple(text, text, fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.maxSafeInteger(), fc.maxSafeInteger(), text).map((c) => ({ kind: "cp" as const, c })),
      fc.tuple(seps, topicish).map((c) => ({ kind: "split" as const, c })),
      listText.map((c) => ({ kind: "list" as const, c })),
      fc.tuple(patterns, names).map((c) => ({ kind: "re" as const, c })),
    ),
    { numRuns: 20000, seed: 3 },
  );
  if (process.env.MM2_DIFF === "gen") {
    writeFileSync("/tmp/mm2diff/misc-in.txt", cases.map((x) => {
      if (x.kind === "cp") { const [g, t, p, u, d, m] = x.c; return `cp ${hexs(g)} ${hexs(t)} ${p} ${u} ${d} ${hexs(m)}`; }
      if (x.kind === "split") return `split ${hexs(x.c[0])} ${hexs(x.c[1])}`;
      if (x.kind === "list") return `list ${hexs(x.c)}`;
      return `re ${hexs(x.c[0])} ${hexs(x.c[1])}`;
    }).join("\n") + "\n");
    return;
  }
  const out = readFileSync("/tmp/mm2diff/misc-out.txt", "utf8").split("\n");
  const bad: Record<string, number> = {};
  const stats: Record<string, number> = {};
  cases.forEach((x, i) => {
    let mine: string;
    if (x.kind === "cp") {
      const [consumerGroupId, topic, partition, upstreamOffset, downstreamOffset, metadata] = x.c;
      const cp = { consumerGroupId, topic, partition, upstreamOffset, downstreamOffset, metadata };
      mine = `${encodeCheckpointKey(cp).toString("hex")} ${encodeCheckpointValue(cp).toString("hex")}`;
    } else if (x.kind === "split") {
      const src = new DefaultReplicationPolicy({ separator: x.c[0] }).topicSource(x.c[1]);
      mine = src === undefined ? "null" : `src:${src}`;
    } else if (x.kind === "list") {
      mine = parseConfigList(x.c).map((e) => `[${hexs(e)}]`).join(",");
    } else {
      try { mine = PatternList.compile([x.c[0]]).matches(x.c[1]) ? "true" : "false"; } catch { mine = "ERR"; }
      const key = `${mine}/${out[i]}`;
      stats[key] = (stats[key] ?? 0) + 1;
      if (mine === "ERR" && out[i] !== "ERR") return; // we may reject more than Java; counted in stats
    }
    if (mine !== out[i]) {
      bad[x.kind] = (bad[x.kind] ?? 0) + 1;
      if ((bad[x.kind] ?? 0) < 6) console.log(x.kind, JSON.stringify(x.c), "mine", mine, "java", out[i]);
    }
  });
  console.log("mismatches", JSON.stringify(bad), "re stats (mine/java)", JSON.stringify(stats));
});
