// npm run stack:up | stack:down | stack:status   (tsx scripts/stack/cli.ts <command>)
import { StackError, stackDown, stackStatus, stackUp } from "./index.ts";

const USAGE = `usage: tsx scripts/stack/cli.ts <command>

  up              start both Kafka clusters (east, west), ensure Postgres + databases and Redis
  down [--purge]  stop both Kafka brokers; --purge also deletes their data (jars are kept)
  status          show what is running

Environment: KAFKA_VERSION (default 4.4.0), EAST_KAFKA_PORT, EAST_CONTROLLER_PORT, WEST_KAFKA_PORT,
WEST_CONTROLLER_PORT, MIRRORDECK_STACK_DIR, KAFKA_HEAP_OPTS, DATABASE_URL, REDIS_URL (.env is read too).`;

async function main(argv: string[]): Promise<number> {
  const [command, ...flags] = argv;
  switch (command) {
    case "up":
      await stackUp();
      return 0;
    case "down":
      await stackDown({ purge: flags.includes("--purge") });
      return 0;
    case "status":
      await stackStatus();
      return 0;
    default:
      console.error(USAGE);
      return command === undefined || command === "help" || command === "--help" ? 0 : 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof StackError) {
    console.error(`[stack] error: ${error.message}`);
  } else {
    console.error("[stack] unexpected failure:", error);
  }
  process.exitCode = 1;
}
