import fc from "fast-check";
import { writeFileSync, readFileSync, rmSync, mkdirSync } from "node:fs";
import { it } from "vitest";
import { parseProperties } from "./mm2-properties.ts";

const hexs = (s: string) => [...Array(s.length).keys()].map((i) => s.charCodeAt(i).toString(16).padStart(4, "0")).join("");
const alphabet = fc.constantFrom("a", "b", "=", ":", " ", "\t", "\f", "\\", "\n", "\r", "#", "!", "u", "0", "A", "f", "é", "x", "t", "n");
it("gen", () => {
  if (process.env.MM2_DIFF !== "gen" && process.env.MM2_DIFF !== "cmp") return;
  const dir = "/tmp/mm2diff/cases";
  if (process.env.MM2_DIFF === "gen") {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    const samples = fc.sample(fc.array(alphabet, { maxLength: 40 }).map((a) => a.join("")), { numRuns: 20000, seed: 42 });
    samples.forEach((s, i) => writeFileSync(`${dir}/${String(i).padStart(6, "0")}`, s, "utf8"));
    return;
  }
  const lines = readFileSync("/tmp/mm2diff/out.txt", "utf8").trim().split("\n");
  let mismatches = 0;
  for (const line of lines) {
    const [name, status, payload] = line.split(" ");
    const text = readFileSync(`${dir}/${name}`, "utf8");
    let mine: string;
    try {
      const parsed = parseProperties(text).properties;
      mine = "OK " + [...parsed].map(([k, v]) => `${hexs(k)}:${hexs(v)}`).sort().join(",");
    } catch (e) {
      mine = "ERR";
    }
    const java = status === "OK" ? `OK ${payload ?? ""}` : "ERR";
    if (mine !== java) {
      mismatches++;
      if (mismatches < 10) console.log(JSON.stringify(text), "\n mine", mine, "\n java", java);
    }
  }
  console.log("cases", lines.length, "mismatches", mismatches);
});
