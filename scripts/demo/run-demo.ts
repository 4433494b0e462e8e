// The demo: local stack, migrated database, production builds of web and worker, demo clusters
// and flow, and live traffic into `orders`. Ctrl-C stops everything, brokers included.
import "../load-dotenv.ts";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { loadEnv } from "@mirrordeck/config";
import { applyMigrations } from "@mirrordeck/db/migrations";
import { migrationsDir, repoRoot } from "../db/paths.ts";
import { stackDown, stackUp } from "../stack/index.ts";
import { startDemoConsumer } from "./demo-consumer.ts";
import { demoCredentials } from "./demo-credentials.ts";
import { DEMO_TOPIC, seedDemo } from "./seed-demo.ts";
import { startTrafficGenerator } from "./traffic-generator.ts";

const env = loadEnv();
const webPort = Number(process.env.WEB_PORT ?? 3000);
const webHost = process.env.WEB_HOST ?? "127.0.0.1";
const eastBootstrap = `127.0.0.1:${process.env.EAST_KAFKA_PORT ?? 19092}`;
const westBootstrap = `127.0.0.1:${process.env.WEST_KAFKA_PORT ?? 29092}`;
const rate = Number(process.env.DEMO_RECORDS_PER_SECOND ?? 200);
const demoAdmin = demoCredentials();

await stackUp();
console.log("demo: migrating the database…");
await applyMigrations(env.DATABASE_URL, migrationsDir, (l) => console.log(`demo: ${l}`));
console.log("demo: building web and worker (production)…");
const build = spawnSync("npx", ["turbo", "run", "build", "--output-logs=errors-only"], {
  cwd: repoRoot,
  stdio: "inherit",
});
if (build.status !== 0) {
  console.error("demo: build failed");
  process.exit(1);
}
await seedDemo(env.DATABASE_URL, { eastBootstrap, westBootstrap });

const children: ChildProcess[] = [];
function start(name: string, command: string, args: string[]): void {
  const child = spawn(command, args, {
    cwd: repoRoot,
    stdio: ["ignore", "inherit", "inherit"],
    env: process.env,
  });
  child.on("exit", (code) => {
    if (!stopping) console.error(`demo: ${name} exited (${code}); stopping the demo`);
    if (!stopping) void stop(1);
  });
  children.push(child);
}
start("web", "npx", ["next", "start", "apps/web", "-H", webHost, "-p", String(webPort)]);
start("worker", "node", ["apps/worker/dist/main.js"]);
const traffic = startTrafficGenerator({
  bootstrapServers: eastBootstrap,
  topic: DEMO_TOPIC,
  recordsPerSecond: rate,
});

const billing = await startDemoConsumer({
  bootstrapServers: eastBootstrap,
  topic: DEMO_TOPIC,
  groupId: "billing-service",
});

console.log(`\ndemo: MirrorDeck is running at http://${webHost}:${webPort}`);
console.log(
  `demo: sign in as ${demoAdmin.email} / ${demoAdmin.password} (first run of this database; change it after)`,
);
console.log(`demo: producing ~${rate} records/s to '${DEMO_TOPIC}' on east; flow east-to-west registered.`);
console.log("demo: consumer group 'billing-service' reads it on east; its offsets are checkpointed to west.");
console.log("demo: press Ctrl-C to stop everything.\n");

let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log("\ndemo: stopping…");
  const sent = await traffic.stop();
  await billing.stop();
  console.log(`demo: traffic generator stopped after ${sent} records`);
  for (const child of children) child.kill("SIGTERM");
  await Promise.all(
    children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : null)),
  );
  await stackDown();
  console.log("demo: everything stopped.");
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
