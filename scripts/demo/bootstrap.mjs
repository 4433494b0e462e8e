// `npm run demo` entry: plain Node (no dependencies) so it can install what is missing first,
// then hands over to the TypeScript demo runner.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

// Ctrl-C reaches the demo runner too (same process group); it does the stopping, this waits for it.
process.on("SIGINT", () => {});
process.on("SIGTERM", () => {});

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const isRoot = process.getuid?.() === 0;

function have(command) {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

function step(label, command, args) {
  console.log(`demo: ${label}…`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (result.status !== 0) {
    console.error(`demo: ${label} failed (exit ${result.status}).`);
    process.exit(1);
  }
}

const missingApt = [];
if (!have("java")) missingApt.push("openjdk-17-jre-headless");
if (!have("mvn")) missingApt.push("maven");
if (missingApt.length > 0) {
  if (!isRoot) {
    console.error(
      `demo: missing system packages. Install them with: sudo apt-get install -y ${missingApt.join(" ")}`,
    );
    process.exit(1);
  }
  step("apt-get update", "apt-get", ["update", "-qq"]);
  step(`installing ${missingApt.join(", ")}`, "apt-get", ["install", "-y", "-qq", ...missingApt]);
}
if (!existsSync(path.join(root, "node_modules/.package-lock.json")))
  step("installing npm dependencies (npm ci)", "npm", ["ci"]);
if (!existsSync(path.join(root, "packages/db/src/generated/prisma/client.ts")))
  step("generating the Prisma client", "npm", ["run", "db:generate"]);

const runner = spawnSync("npx", ["tsx", "scripts/demo/run-demo.ts"], { cwd: root, stdio: "inherit" });
process.exit(runner.status ?? 0);
