import fc from "fast-check";
import { readFileSync, writeFileSync } from "node:fs";
import { it } from "vitest";
import { serializeProperties } from "./mm2-properties.ts";

const hexs = (s: string) => [...Array(s.length).keys()].map((i) => s.charCodeAt(i).toString(16).padStart(4, "0")).join("");
it("store", () => {
  if (!process.env.MM2_DIFF) return;
  const str = fc.string({ unit: fc.oneof(fc.constantFrom(" ", "=", ":", "#", "!", "\\", "\t", "\n", "\r", "\f", "é", "\u0001", "\u007f", "~", "<", ">"), fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c))), maxLength: 8 });
  if (process.env.MM2_DIFF === "gen") {
    const samples = fc.sample(fc.tuple(str, str), { numRuns: 5000, seed: 7 });
    writeFileSync("/tmp/mm2diff/store-in.txt", samples.map(([k, v]) => `${hexs(k)}:${hexs(v)}`).join("\n") + "\n");
    return;
  }
  const inputs = readFileSync("/tmp/mm2diff/store-in.txt", "utf8").trim().split("\n");
  const outputs = readFileSync("/tmp/mm2diff/store-out.txt", "latin1").split("\n");
  const unhex = (h: string) => (h.match(/.{4}/g) ?? []).map((x) => String.fromCharCode(Number.parseInt(x, 16))).join("");
  let bad = 0;
  inputs.forEach((line, i) => {
    const [k, v] = line.split(":");
    const mine = serializeProperties([[unhex(k!), unhex(v!)]]).slice(0, -1);
    if (mine !== outputs[i]) { bad++; if (bad < 5) console.log(JSON.stringify(mine), JSON.stringify(outputs[i])); }
  });
  console.log("store cases", inputs.length, "mismatches", bad);
});
