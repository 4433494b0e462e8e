// The machine's PostgreSQL: make sure it runs (Debian's pg_ctlcluster) and that the app and test
// databases exist. Never stopped by the stack.
import { readdirSync } from "node:fs";
import pg from "pg";
import { isPortOpen } from "./net-probe.ts";
import { elapsed, type Reporter, sleep } from "./progress.ts";
import { CommandNotFoundError, outputTail, runCommand } from "./run-command.ts";
import { type StackConfig, TEST_DATABASE_NAME } from "./stack-config.ts";
import { StackError } from "./stack-error.ts";

export interface PostgresTarget {
  host: string;
  port: number;
  /** Connection string for the maintenance database `postgres`, same credentials. */
  adminUrl: string;
  /** Databases the stack creates: the one in DATABASE_URL, `mirrordeck` and `mirrordeck_test`. */
  databases: string[];
}

export interface PostgresStatus {
  up: boolean;
  host: string;
  port: number;
  version?: string;
  missingDatabases?: string[];
  error?: string;
}

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export function postgresTarget(config: StackConfig): PostgresTarget {
  const url = new URL(config.databaseUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, "")) || "mirrordeck";
  const admin = new URL(config.databaseUrl);
  admin.pathname = "/postgres";
  admin.search = "";
  return {
    host: url.hostname || "127.0.0.1",
    port: Number(url.port || 5432),
    adminUrl: admin.toString(),
    databases: [...new Set([database, "mirrordeck", TEST_DATABASE_NAME])],
  };
}

async function withAdminClient<T>(target: PostgresTarget, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: target.adminUrl, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function missingDatabases(client: pg.Client, names: string[]): Promise<string[]> {
  const { rows } = await client.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE datname = ANY($1::text[])",
    [names],
  );
  const present = new Set(rows.map((row) => row.datname));
  return names.filter((name) => !present.has(name));
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

async function startLocalPostgres(target: PostgresTarget, report: Reporter): Promise<void> {
  let versions: string[];
  try {
    versions = readdirSync("/etc/postgresql").filter((name) => /^\d+(\.\d+)?$/.test(name));
  } catch {
    versions = [];
  }
  const version = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!version) {
    throw new StackError(
      `PostgreSQL is not answering on ${target.host}:${target.port} and no cluster exists in /etc/postgresql; ` +
        "install it with: apt-get install -y postgresql",
    );
  }
  report(`postgres: starting cluster ${version}/main...`);
  let result: Awaited<ReturnType<typeof runCommand>>;
  try {
    result = await runCommand("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "start"]);
  } catch (error) {
    if (error instanceof CommandNotFoundError) {
      throw new StackError("pg_ctlcluster not found; install it with: apt-get install -y postgresql-common");
    }
    throw error;
  }
  // Exit 2 = "already running" (e.g. started concurrently): fine, we wait for the port below.
  if (result.code !== 0 && result.code !== 2) {
    throw new StackError(
      `pg_ctlcluster ${version} main start failed (exit ${result.code}); ` +
        `start PostgreSQL yourself (root or the postgres user can):\n${outputTail(result.output)}`,
    );
  }
}

async function waitForPostgres(target: PostgresTarget, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let lastError = "";
  while (performance.now() < deadline) {
    try {
      await withAdminClient(target, (client) => client.query("SELECT 1"));
      return;
    } catch (error) {
      lastError = (error as Error).message;
      await sleep(250);
    }
  }
  throw new StackError(
    `PostgreSQL at ${target.host}:${target.port} did not accept connections: ${lastError}`,
  );
}

export async function ensurePostgres(config: StackConfig, report: Reporter): Promise<void> {
  const target = postgresTarget(config);
  const start = performance.now();
  if (!(await isPortOpen(target.host, target.port))) {
    if (!LOCAL_HOSTS.has(target.host)) {
      throw new StackError(`PostgreSQL at ${target.host}:${target.port} (DATABASE_URL) is not reachable.`);
    }
    await startLocalPostgres(target, report);
  }
  await waitForPostgres(target, 30_000);
  const created = await withAdminClient(target, async (client) => {
    const missing = await missingDatabases(client, target.databases);
    for (const name of missing) {
      try {
        await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
      } catch (error) {
        // 42P04 duplicate_database: created concurrently by someone else.
        if ((error as { code?: string }).code !== "42P04") throw error;
      }
    }
    return missing;
  });
  const suffix = created.length > 0 ? `, created ${created.join(", ")}` : "";
  report(
    `postgres: up on ${target.host}:${target.port} (${target.databases.join(", ")}${suffix}) in ${elapsed(start)}`,
  );
}

export async function postgresStatus(config: StackConfig): Promise<PostgresStatus> {
  const target = postgresTarget(config);
  const base = { host: target.host, port: target.port };
  try {
    return await withAdminClient(target, async (client) => {
      const { rows } = await client.query<{ server_version: string }>("SHOW server_version");
      return {
        ...base,
        up: true,
        version: rows[0]?.server_version,
        missingDatabases: await missingDatabases(client, target.databases),
      };
    });
  } catch (error) {
    return { ...base, up: false, error: (error as Error).message };
  }
}
