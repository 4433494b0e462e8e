// The engine's view of an east→west test flow, with short intervals so tests run fast.
import { FLOW_SPEC_DEFAULTS, type FlowSpec } from "../../packages/replication/src/flow-spec.ts";
import { eastBootstrap, westBootstrap } from "./kafka-records.ts";

/** A regex that matches exactly `name` (topic names may contain '.' and '-'). */
export function escapeRegex(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function testFlowSpec(
  flowId: string,
  topicsInclude: string,
  overrides: Partial<FlowSpec> = {},
): FlowSpec {
  return {
    ...FLOW_SPEC_DEFAULTS,
    flowId,
    version: 1,
    source: { alias: "east", bootstrapServers: eastBootstrap },
    target: { alias: "west", bootstrapServers: westBootstrap },
    topicsInclude,
    policy: { kind: "DEFAULT", separator: "." },
    startPosition: "EARLIEST",
    replicationFactor: 1,
    commitIntervalMs: 500,
    metricsIntervalMs: 1_000,
    // Copy tests leave checkpoints and heartbeats out; the checkpoint tests turn them on.
    emitCheckpoints: false,
    emitHeartbeats: false,
    emitCheckpointsIntervalMs: 1_000,
    refreshGroupsIntervalMs: 1_000,
    syncGroupOffsetsIntervalMs: 1_000,
    ...overrides,
  };
}
