// A Redis server of the scenario's own (no persistence, as the machine's is run): killing it and
// starting it again is a real Redis restart that loses everything, without touching anyone else's.
import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import { redisPing } from "../../scripts/stack/redis.ts";

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export class ScratchRedis {
  private child: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  static async start(): Promise<ScratchRedis> {
    const redis = new ScratchRedis(await freePort());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      "redis-server",
      ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      { stdio: "ignore" },
    );
    this.child = child;
    const deadline = Date.now() + 10_000;
    while ((await redisPing("127.0.0.1", this.port)) !== "+PONG") {
      if (Date.now() > deadline || child.exitCode !== null) {
        throw new Error(`redis-server on port ${this.port} did not answer PING`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** kill -9: whatever it held is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }
}
