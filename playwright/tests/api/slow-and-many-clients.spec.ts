// Clients that hold the server: 200 live-metrics subscribers at once, slowloris-style requests that
// never finish their headers, bodies that trickle in. The API keeps answering others, and the
// web server's memory does not grow from one round of subscribers to the next.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import net from "node:net";
import { expect, test } from "@playwright/test";
import { Redis } from "ioredis";
import { parsePrometheusText, sumOf } from "../../../scripts/test-support/prometheus-text.ts";
import { e2eBaseUrl, e2eBootstrapToken, e2eMetricsToken, e2ePort } from "../../e2e-env.ts";
import { createFailoverFlow } from "../../support/failover-flow.ts";

const SUBSCRIBERS = 200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The pid of the process listening on the e2e port (the Next.js server). */
function webServerPid(): number {
  const out = execFileSync("ss", ["-ltnpH", `sport = :${e2ePort}`], { encoding: "utf8" });
  const pid = /pid=(\d+)/.exec(out)?.[1];
  if (pid === undefined) throw new Error(`no process listens on ${e2ePort}: ${out}`);
  return Number(pid);
}

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kb) / 1024;
}

/** Live streams open on the web server, from its Prometheus endpoint. */
async function openStreams(): Promise<number> {
  const response = await fetch(`${e2eBaseUrl}/metrics`, {
    headers: { authorization: `Bearer ${e2eMetricsToken}` },
  });
  expect(response.status).toBe(200);
  return sumOf(parsePrometheusText(await response.text()), "mirrordeck_live_streams");
}

/** Commands Redis has processed so far (by anyone). */
async function redisCommands(redis: Redis): Promise<number> {
  const info = await redis.info("stats");
  return Number(/total_commands_processed:(\d+)/.exec(info)?.[1]);
}

/** Response times of `n` health checks, one after another (ms). */
async function healthTimes(n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const response = await fetch(`${e2eBaseUrl}/api/v1/health`, { signal: AbortSignal.timeout(10_000) });
    expect(response.status).toBe(200);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

/** Opens `n` live streams of the flow, reads `events` metrics events from each, then closes them. */
async function subscribers(flowId: string, n: number, events: number): Promise<number[]> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const abort = new AbortController();
      const response = await fetch(`${e2eBaseUrl}/api/v1/flows/${flowId}/stream`, {
        headers: { authorization: `Bearer ${e2eBootstrapToken}` },
        signal: abort.signal,
      });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = "";
      let seen = 0;
      while (seen < events) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        seen = text.split("event: metrics\n").length - 1;
      }
      abort.abort();
      await reader.cancel().catch(() => {});
      return seen;
    }),
  );
}

test(`${SUBSCRIBERS} live-metrics subscribers, three rounds: all served, others answered, nothing left running, memory bounded`, async ({
  request,
}) => {
  test.setTimeout(240_000);
  const suffix = Date.now().toString(36);
  const flowId = await createFailoverFlow(request, {
    source: `sse-src-${suffix}`,
    target: `sse-dst-${suffix}`,
    topic: `sse-${suffix}`,
    partitions: 1,
  });
  const pid = webServerPid();
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  const rounds: { rss: number; p95: number; minEvents: number; open: number; busy: number; left: number }[] =
    [];
  try {
    for (let round = 0; round < 3; round++) {
      const streams = subscribers(flowId, SUBSCRIBERS, 4);
      // Each stays open for four updates (6 s or more): long enough for the last to connect.
      let open = 0;
      for (let waited = 0; waited < 4_000 && open < SUBSCRIBERS; waited += 250) {
        await sleep(250);
        open = await openStreams();
      }
      const busyFrom = await redisCommands(redis);
      const [times] = await Promise.all([healthTimes(20), sleep(2_500)]);
      const busy = (await redisCommands(redis)) - busyFrom;
      const seen = await streams;
      // Closed by their clients: none is left running on the server.
      await sleep(3_000);
      rounds.push({
        rss: rssMb(pid),
        p95: times[Math.floor(times.length * 0.95)]!,
        minEvents: Math.min(...seen),
        open,
        busy,
        left: await openStreams(),
      });
    }
  } finally {
    redis.disconnect();
  }
  console.log(
    `SSE rounds (RSS MB / health p95 ms / fewest events / streams open / Redis commands in 2.5 s / streams left): ${rounds
      .map(
        (r) =>
          `${r.rss.toFixed(0)} / ${r.p95.toFixed(0)} / ${r.minEvents} / ${r.open} / ${r.busy} / ${r.left}`,
      )
      .join(" · ")}`,
  );
  for (const r of rounds) {
    expect(r.minEvents, "every subscriber got its updates").toBe(4);
    expect(r.p95, "health answered while 200 streams are open").toBeLessThan(1_000);
    expect(r.open, "every stream open at once").toBe(SUBSCRIBERS);
    // They share one read a second of Redis, not one each every 2 s (over 200 commands here before).
    expect(r.busy, "the streams' Redis reads are shared").toBeLessThan(SUBSCRIBERS / 4);
    expect(r.left, "nothing left running once the subscribers are gone").toBe(0);
  }
  // V8 grows its heap in steps, so RSS is noisy; a leak of the streams would add up round by round.
  expect(rounds[2]!.rss - rounds[0]!.rss).toBeLessThan(150);
});

test("slowloris: 200 requests that never finish their headers, and 50 trickling bodies, do not starve others", async () => {
  test.setTimeout(120_000);
  const sockets: net.Socket[] = [];
  const open = (request: string) =>
    new Promise<net.Socket>((resolve, reject) => {
      const socket = net.connect(e2ePort, "127.0.0.1", () => {
        socket.write(request);
        resolve(socket);
      });
      socket.on("error", () => {});
      socket.once("error", reject);
    });
  try {
    for (let i = 0; i < 200; i++) {
      sockets.push(await open(`GET /api/v1/flows HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow-${i}: `));
    }
    for (let i = 0; i < 50; i++) {
      sockets.push(
        await open(
          `POST /api/v1/clusters HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${e2eBootstrapToken}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"alias":`,
        ),
      );
    }
    const dribble = setInterval(() => {
      for (const s of sockets) if (!s.destroyed) s.write("a");
    }, 1_000);
    try {
      await sleep(3_000);
      const times = await healthTimes(20);
      const p95 = times[Math.floor(times.length * 0.95)]!;
      console.log(`health p95 with 250 slow clients: ${p95.toFixed(0)} ms`);
      expect(p95).toBeLessThan(1_000);
      const flows = await fetch(`${e2eBaseUrl}/api/v1/flows`, {
        headers: { authorization: `Bearer ${e2eBootstrapToken}` },
        signal: AbortSignal.timeout(10_000),
      });
      expect(flows.status).toBe(200);
    } finally {
      clearInterval(dribble);
    }
  } finally {
    for (const s of sockets) s.destroy();
  }
});
