// What we know about a broker we started: <stackDir>/run/<alias>.json, plus the marker arguments on
// its java command line that let us find it even if that file is lost.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { readJsonFile, removeFile, writeFileAtomic } from "./file-utils.ts";
import { findProcessesByArgs, isSameProcessAlive } from "./process-control.ts";
import type { ClusterAlias, StackConfig } from "./stack-config.ts";
import { clusterPaths } from "./stack-config.ts";

export interface BrokerState {
  alias: ClusterAlias;
  pid: number;
  startTicks: string;
  kafkaVersion: string;
  kafkaPort: number;
  controllerPort: number;
  bootstrap: string;
  clusterId: string;
  logFile: string;
  stdoutFile: string;
  dataDir: string;
  startedAt: string;
}

/** JVM system properties that tag a broker's command line as ours. */
export function brokerMarkerArgs(config: StackConfig, alias: ClusterAlias): string[] {
  return [`-Dmirrordeck.stack.dir=${config.stackDir}`, `-Dmirrordeck.stack.alias=${alias}`];
}

export function readBrokerState(config: StackConfig, alias: ClusterAlias): Promise<BrokerState | null> {
  return readJsonFile<BrokerState>(clusterPaths(config, alias).stateFile);
}

export function writeBrokerState(config: StackConfig, state: BrokerState): void {
  const file = clusterPaths(config, state.alias).stateFile;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`);
}

export function removeBrokerState(config: StackConfig, alias: ClusterAlias): void {
  removeFile(clusterPaths(config, alias).stateFile);
}

export function isBrokerAlive(state: BrokerState): boolean {
  return isSameProcessAlive({ pid: state.pid, startTicks: state.startTicks });
}

/** Brokers of this stack dir and alias that are running, whether or not a state file names them. */
export function findBrokerProcesses(config: StackConfig, alias: ClusterAlias): number[] {
  return findProcessesByArgs(brokerMarkerArgs(config, alias));
}
