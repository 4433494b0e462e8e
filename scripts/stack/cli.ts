// npm run stack:up | stack:down | stack:status   (tsx scripts/stack/cli.ts <command>)
import { type ClusterAlias, StackError, stackDown, stackStatus, stackUp } from "./index.ts";

const USAGE = `usage: tsx scripts/stack/cli.ts <command>

  up [east|west]...                 start what is not running: both Kafka clusters (east, west),
                                    Postgres + databases and Redis; naming clusters starts only
                                    those brokers (on their existing data)
  down [east|west]... [--purge] [--kill]
                                    stop both Kafka brokers, or only the named ones; --kill sends
                                    SIGKILL at once (a crash) instead of a controlled shutdown;
                                    --purge also deletes their data (jars are kept)
  status                            show what is running

  e.g. npm run stack:down -- west --kill; npm run stack:up -- west

Environment: KAFKA_VERSION (default 4.4.0), EAST_KAFKA_PORT, EAST_CONTROLLER_PORT, WEST_KAFKA_PORT,
WEST_CONTROLLER_PORT, MIRRORDECK_STACK_DIR, KAFKA_HEAP_OPTS, DATABASE_URL, REDIS_URL (.env is read too).`;

class UsageError extends Error {}

/** Splits arguments into cluster aliases and the allowed --flags; anything else is a usage error. */
function parseArgs(args: string[], allowedFlags: string[]): { aliases?: ClusterAlias[]; flags: Set<string> } {
  const flags = new Set<string>();
  const aliases: ClusterAlias[] = [];
  for (const arg of args) {
    if (arg.startsWith("-")) {
      if (!allowedFlags.includes(arg)) throw new UsageError(`unknown option ${arg}`);
      flags.add(arg);
    } else if (arg === "east" || arg === "west") {
      if (!aliases.includes(arg)) aliases.push(arg);
    } else {
      throw new UsageError(`unknown cluster ${arg} (expected east or west)`);
    }
  }
  return { aliases: aliases.length > 0 ? aliases : undefined, flags };
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case "up": {
        const { aliases } = parseArgs(args, []);
        await stackUp({ aliases });
        return 0;
      }
      case "down": {
        const { aliases, flags } = parseArgs(args, ["--purge", "--kill"]);
        await stackDown({
          aliases,
          purge: flags.has("--purge"),
          signal: flags.has("--kill") ? "SIGKILL" : "SIGTERM",
        });
        return 0;
      }
      case "status":
        parseArgs(args, []);
        await stackStatus();
        return 0;
      default:
        console.error(USAGE);
        return command === undefined || command === "help" || command === "--help" ? 0 : 2;
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`[stack] ${error.message}\n\n${USAGE}`);
    return 2;
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
