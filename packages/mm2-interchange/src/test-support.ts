import { readFileSync } from "node:fs";
import type { FlowDefinition } from "@mirrordeck/contracts";
import {
  GROUPS_DEFAULT,
  GROUPS_EXCLUDE_DEFAULT,
  TOPICS_DEFAULT,
  TOPICS_EXCLUDE_DEFAULT,
} from "@mirrordeck/mm2";
import { expect } from "vitest";
import { Mm2InterchangeError } from "./errors.ts";
import type { ExportCluster, ExportTopology } from "./export.ts";
import type { ExistingTopology, ImportPlan } from "./import.ts";
import { canonicalList, mm2Default, SETTING_MAPPINGS } from "./mapping.ts";

export const NOTHING: ExistingTopology = { clusters: [], flows: [] };

export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");
}

/** What MirrorDeck would hold after applying `plan`: absent fields take MM2's defaults, as stored. */
export function topologyFromPlan(plan: ImportPlan): ExportTopology {
  const clusters: ExportCluster[] = plan.clusters.map(({ input }) => ({
    alias: input.alias,
    bootstrapServers: input.bootstrapServers,
    securityProtocol: input.securityProtocol,
    sasl: input.sasl == null ? null : { mechanism: input.sasl.mechanism, username: input.sasl.username },
  }));
  const flows: FlowDefinition[] = plan.flows.map(({ name, input }) => ({
    ...input,
    name: input.name ?? name,
    topicsInclude: input.topicsInclude ?? TOPICS_DEFAULT,
    topicsExclude: input.topicsExclude ?? TOPICS_EXCLUDE_DEFAULT,
    groupsInclude: input.groupsInclude ?? GROUPS_DEFAULT,
    groupsExclude: input.groupsExclude ?? GROUPS_EXCLUDE_DEFAULT,
  }));
  return { clusters, flows };
}

/** A flow as MM2 would run it: lists canonical, every mapped setting resolved. For comparisons. */
export function effectiveFlow(flow: FlowDefinition): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const { setting, mm2 } of SETTING_MAPPINGS) {
    const value = flow.settings[setting] ?? mm2Default(mm2);
    settings[setting] = typeof value === "string" ? canonicalList(value) : value;
  }
  return {
    sourceAlias: flow.sourceAlias,
    targetAlias: flow.targetAlias,
    enabled: flow.enabled,
    topicsInclude: canonicalList(flow.topicsInclude),
    topicsExclude: canonicalList(flow.topicsExclude),
    groupsInclude: canonicalList(flow.groupsInclude),
    groupsExclude: canonicalList(flow.groupsExclude),
    replicationPolicy: flow.replicationPolicy,
    separator: flow.separator,
    startPosition: flow.startPosition,
    tasksMax: flow.tasksMax,
    replicationFactor: flow.replicationFactor,
    settings,
  };
}

/** Everything in a plan except the cluster inputs' password fields, as one string to search. */
export function planTextOutsidePasswords(plan: ImportPlan): string {
  return JSON.stringify({
    ...plan,
    clusters: plan.clusters.map((cluster) => ({
      ...cluster,
      input: {
        ...cluster.input,
        sasl: cluster.input.sasl == null ? null : { ...cluster.input.sasl, password: "" },
      },
    })),
  });
}

/** Runs `fn`; passes if it returns or throws an Mm2InterchangeError, and returns that error. */
export function interchangeErrorOf(fn: () => unknown): Mm2InterchangeError | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (!(error instanceof Mm2InterchangeError)) throw error;
    expect(error.message.length).toBeGreaterThan(0);
    return error;
  }
}

/** The error `fn` throws, which must be an Mm2InterchangeError. */
export function catchInterchangeError(fn: () => unknown): Mm2InterchangeError {
  const error = interchangeErrorOf(fn);
  if (error === undefined) throw new Error("expected an Mm2InterchangeError, but nothing was thrown");
  return error;
}
