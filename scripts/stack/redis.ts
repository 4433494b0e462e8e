// The machine's Redis: make sure it answers PING, starting a non-persistent redis-server if it
// doesn't. Never stopped by the stack.
import { existsSync, mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { elapsed, type Reporter, sleep } from "./progress.ts";
import { CommandNotFoundError, outputTail, runCommand } from "./run-command.ts";
import type { StackConfig } from "./stack-config.ts";
import { StackError } from "./stack-error.ts";

export interface RedisStatus {
  up: boolean;
  host: string;
  port: number;
  /** "PONG", or the error reply (e.g. NOAUTH: up but password-protected). */
  reply?: string;
}

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

function redisTarget(config: StackConfig): { host: string; port: number } {
  const url = new URL(config.redisUrl);
  return { host: url.hostname || "127.0.0.1", port: Number(url.port || 6379) };
}

/** Send a RESP PING; resolves to the first reply line, or null if nothing answers. */
export function redisPing(host: string, port: number, timeoutMs = 1_000): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let buffer = "";
    const done = (reply: string | null) => {
      socket.destroy();
      resolve(reply);
    };
    socket.setTimeout(timeoutMs, () => done(null));
    socket.once("error", () => done(null));
    socket.once("connect", () => socket.write("*1\r\n$4\r\nPING\r\n"));
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      const end = buffer.indexOf("\r\n");
      if (end >= 0) done(buffer.slice(0, end));
    });
    socket.once("close", () => done(null));
  });
}

function isUp(reply: string | null): reply is string {
  // +PONG, or an error such as -NOAUTH: either way a Redis server is answering.
  return reply !== null && (reply === "+PONG" || reply.startsWith("-"));
}

async function startLocalRedis(config: StackConfig, port: number, report: Reporter): Promise<void> {
  const dir = existsSync("/var/lib/redis") ? "/var/lib/redis" : path.join(config.stackDir, "redis");
  const logfile = existsSync("/var/log/redis")
    ? "/var/log/redis/ci.log"
    : path.join(config.logsDir, "redis.log");
  mkdirSync(dir, { recursive: true });
  mkdirSync(path.dirname(logfile), { recursive: true });
  report(`redis: starting redis-server on port ${port}...`);
  const args = [
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    String(port),
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    dir,
    "--logfile",
    logfile,
  ];
  let result: Awaited<ReturnType<typeof runCommand>>;
  try {
    result = await runCommand("redis-server", args);
  } catch (error) {
    if (error instanceof CommandNotFoundError) {
      throw new StackError("redis-server not found; install it with: apt-get install -y redis-server");
    }
    throw error;
  }
  if (result.code !== 0) {
    throw new StackError(`redis-server failed to start (exit ${result.code}):\n${outputTail(result.output)}`);
  }
}

export async function ensureRedis(config: StackConfig, report: Reporter): Promise<void> {
  const { host, port } = redisTarget(config);
  const start = performance.now();
  let reply = await redisPing(host, port);
  if (!isUp(reply)) {
    if (!LOCAL_HOSTS.has(host))
      throw new StackError(`Redis at ${host}:${port} (REDIS_URL) is not reachable.`);
    await startLocalRedis(config, port, report);
    const deadline = performance.now() + 10_000;
    while (!isUp(reply) && performance.now() < deadline) {
      await sleep(100);
      reply = await redisPing(host, port);
    }
    if (!isUp(reply)) throw new StackError(`redis-server started but ${host}:${port} does not answer PING.`);
  }
  report(`redis: up on ${host}:${port} (${reply.replace(/^[+-]/, "")}) in ${elapsed(start)}`);
}

export async function redisStatus(config: StackConfig): Promise<RedisStatus> {
  const { host, port } = redisTarget(config);
  const reply = await redisPing(host, port);
  return isUp(reply)
    ? { up: true, host, port, reply: reply.replace(/^[+-]/, "") }
    : { up: false, host, port };
}
