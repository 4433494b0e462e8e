// Apache Kafka's MirrorMaker 2 as the benchmark's peer: dedicated mode
// (org.apache.kafka.connect.mirror.MirrorMaker) with a generated mm2.properties, launched with the
// JVM options of Kafka's own connect-mirror-maker.sh (heap -Xms256M -Xmx2G, kafka-run-class.sh's
// G1 settings), so it runs as an operator would run it from the distribution.
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../../scripts/stack/stack-config.ts";
import type { BenchStack } from "./bench-stack.ts";
import type { Delivery } from "./replicate.ts";

/** connect-mirror-maker.sh: KAFKA_HEAP_OPTS="-Xms256M -Xmx2G"; kafka-run-class.sh's JVM flags. */
export const MM2_JVM_OPTIONS = [
  "-Xms256M",
  "-Xmx2G",
  "-server",
  "-XX:+UseG1GC",
  "-XX:MaxGCPauseMillis=20",
  "-XX:InitiatingHeapOccupancyPercent=35",
  "-XX:+ExplicitGCInvokesConcurrent",
  "-Djava.awt.headless=true",
];

/**
 * The settings MM2 runs with. Unlisted ones are MM2's defaults, as MirrorDeck's flow uses MM2's
 * defaults too (offset.lag.max=100, offset syncs on the source, checkpoints every 60 s, heartbeats
 * every 1 s). The producer gets acks=all (as MirrorDeck sends) and batches up to 512 KiB, the size
 * MirrorDeck's produce requests are capped at; neither side compresses what it writes.
 */
export function mm2Properties(
  stack: BenchStack,
  topicsRegex: string,
  delivery: Delivery = "at-least-once",
): Record<string, string> {
  return {
    ...(delivery === "exactly-once" && EXACTLY_ONCE_PROPERTIES),
    clusters: "east, west",
    "east.bootstrap.servers": stack.east,
    "west.bootstrap.servers": stack.west,
    "east->west.enabled": "true",
    "west->east.enabled": "false",
    "east->west.topics": topicsRegex,
    "tasks.max": "1",
    "replication.factor": "1",
    "checkpoints.topic.replication.factor": "1",
    "heartbeats.topic.replication.factor": "1",
    "offset-syncs.topic.replication.factor": "1",
    "offset.storage.replication.factor": "1",
    "status.storage.replication.factor": "1",
    "config.storage.replication.factor": "1",
    "sync.topic.acls.enabled": "false",
    "west.producer.acks": "all",
    "west.producer.compression.type": "none",
    "west.producer.batch.size": "524288",
  };
}

/** KIP-618 in dedicated mode (Kafka ≥ 3.5): transactional writes into west. */
export const EXACTLY_ONCE_PROPERTIES: Record<string, string> = {
  "west.exactly.once.source.support": "enabled",
};

export class MirrorMakerRun {
  private jvm: ChildProcess | undefined;
  private exited: string | null = null;

  constructor(
    private readonly stack: BenchStack,
    private readonly topicsRegex: string,
    private readonly workDir: string,
    private readonly delivery: Delivery = "at-least-once",
  ) {}

  get pid(): number {
    return this.jvm?.pid ?? 0;
  }

  start(): void {
    mkdirSync(this.workDir, { recursive: true });
    const propsFile = path.join(this.workDir, "mm2.properties");
    const props = mm2Properties(this.stack, this.topicsRegex, this.delivery);
    writeFileSync(
      propsFile,
      `${Object.entries(props)
        .map(([k, v]) => `${k} = ${v}`)
        .join("\n")}\n`,
    );
    const log = createWriteStream(path.join(this.workDir, "mm2.log"));
    this.jvm = spawn(
      this.stack.java,
      [
        ...MM2_JVM_OPTIONS,
        `-Dlog4j2.configurationFile=${path.join(repoRoot, "bench", "peer", "log4j2.properties")}`,
        "-cp",
        this.stack.peerClasspath,
        "org.apache.kafka.connect.mirror.MirrorMaker",
        propsFile,
        "--clusters",
        "west",
      ],
      { cwd: this.workDir, stdio: ["ignore", "pipe", "pipe"] },
    );
    this.jvm.stdout?.pipe(log);
    this.jvm.stderr?.pipe(log);
    this.jvm.on("exit", (code, signal) => {
      this.exited = `MirrorMaker 2 exited (${signal ?? code}); see ${path.join(this.workDir, "mm2.log")}`;
    });
  }

  failure(): string | null {
    return this.exited;
  }

  async stop(): Promise<void> {
    const jvm = this.jvm;
    if (!jvm || jvm.exitCode !== null || jvm.signalCode !== null) return;
    const exited = new Promise((r) => jvm.once("exit", r));
    jvm.kill("SIGTERM");
    const timer = setTimeout(() => jvm.kill("SIGKILL"), 30_000);
    await exited;
    clearTimeout(timer);
  }
}
