import type {
  ClientChanges,
  DivergentRange,
  ExpectedLoss,
  FailoverMode,
  FailoverOptions,
  FailoverPlan,
  FailoverReadiness,
  FailoverStep,
  FailoverStepId,
} from "@mirrordeck/contracts";

interface StepText {
  title: string;
  description: (o: PlanWords) => string;
}

interface PlanWords {
  source: string;
  target: string;
  quiet: number;
}

const STEP_TEXT: Record<FailoverStepId, StepText> = {
  plan: {
    title: "Dry-run",
    description: () => "Record the plan: offsets per group, expected loss, client changes.",
  },
  "stop-producers": {
    title: "Stop producers",
    description: (w) =>
      `Stop every producer writing to the flow's topics on ${w.source}. Verified when ${w.source}'s log-end offsets stand still for ${w.quiet} s.`,
  },
  "stop-consumers": {
    title: "Stop consumers",
    description: (w) =>
      `Stop the flow's consumer groups on ${w.source}. Verified when every group is empty there.`,
  },
  drain: {
    title: "Drain",
    description: (w) =>
      `Wait until every record on ${w.source} is on ${w.target} (lag 0 on every partition).`,
  },
  "assess-loss": {
    title: "Assess loss",
    description: (w) =>
      `${w.source} is unreachable: estimate per partition what never reached ${w.target}, from the last end offsets a worker saw.`,
  },
  handover: {
    title: "Hand over offsets",
    description: (w) =>
      `Write final checkpoints and commit each group's translated offsets on ${w.target} (groups active on ${w.target} are refused). Point of no return.`,
  },
  "pause-flow": { title: "Pause the flow", description: (w) => `Stop replicating ${w.source}→${w.target}.` },
  "reverse-flow": {
    title: "Reverse flow",
    description: (w) =>
      `Create or resume ${w.target}→${w.source} from the current end of ${w.target}'s topics, for failback.`,
  },
  "activate-target": {
    title: "Activate target",
    description: (w) => `Mark ${w.target} as the active side and write the report (RTO, RPO).`,
  },
};

const PLANNED: FailoverStepId[] = [
  "plan",
  "stop-producers",
  "stop-consumers",
  "drain",
  "handover",
  "pause-flow",
  "reverse-flow",
  "activate-target",
];
const UNPLANNED: FailoverStepId[] = [
  "plan",
  "assess-loss",
  "handover",
  "pause-flow",
  "reverse-flow",
  "activate-target",
];
/** Cancel is honoured only before this step starts. */
export const POINT_OF_NO_RETURN: FailoverStepId = "handover";

/** The steps of a run, all pending; a disabled reverse flow is marked skipped from the start. */
export function planSteps(
  mode: FailoverMode,
  options: FailoverOptions,
  names: { source: string; target: string },
): FailoverStep[] {
  const words: PlanWords = { ...names, quiet: options.quietPeriodSeconds };
  const ids = mode === "planned" ? PLANNED : UNPLANNED;
  let pastReturn = false;
  return ids.map((id) => {
    if (id === POINT_OF_NO_RETURN) pastReturn = true;
    const skipped = id === "reverse-flow" && !options.createReverseFlow;
    return {
      id,
      title: STEP_TEXT[id].title,
      description: STEP_TEXT[id].description(words),
      state: skipped ? "skipped" : "pending",
      startedAt: null,
      endedAt: null,
      waitingFor: null,
      outcome: skipped ? "Not asked for." : null,
      error: null,
      ...(pastReturn && { pointOfNoReturn: true }),
    };
  });
}

/** Records (and their time span) on the source but not on the target, per partition. */
export function lossFromLag(readiness: FailoverReadiness): ExpectedLoss {
  const partitions = readiness.partitions
    .filter((p) => (p.lagRecords ?? 0) > 0)
    .map((p) => ({ topic: p.topic, partition: p.partition, records: p.lagRecords!, seconds: p.lagSeconds }));
  const seconds = partitions.map((p) => p.seconds).filter((s): s is number => s !== null);
  return {
    records: partitions.reduce((sum, p) => sum + p.records, 0),
    seconds: partitions.length === 0 ? 0 : seconds.length === 0 ? null : Math.max(...seconds),
    basis: readiness.partitions.every((p) => p.sourceEndLive) ? "live" : "last-known",
    partitions,
  };
}

export const NO_LOSS: ExpectedLoss = { records: 0, seconds: 0, basis: "none", partitions: [] };

/** What producers and consumers change to use the target. */
export function clientChanges(
  readiness: FailoverReadiness,
  bootstrap: { source: string; target: string },
): ClientChanges {
  const topics = [...new Map(readiness.topics.map((t) => [t.topic, t.remoteTopic])).entries()].map(
    ([from, to]) => ({ from, to }),
  );
  return {
    bootstrapServers: { from: bootstrap.source, to: bootstrap.target },
    topics,
    groups: readiness.groups.map((g) => {
      const subscribed = [...new Set(g.partitions.map((p) => p.remoteTopic))];
      const renamed = [...new Set(g.partitions.filter((p) => p.remoteTopic !== p.topic).map((p) => p.topic))];
      return {
        group: g.group,
        snippet: [
          `# ${g.group}: consume from ${readiness.targetAlias} (offsets are handed over)`,
          `bootstrap.servers=${bootstrap.target}`,
          `group.id=${g.group}`,
          `# subscribe to: ${subscribed.join(", ")}`,
          ...(renamed.length > 0
            ? [
                `# ${renamed.join(", ")} on ${readiness.sourceAlias} ${renamed.length === 1 ? "is" : "are"} named ${subscribed.join(", ")} on ${readiness.targetAlias};`,
                `# producers writing on ${readiness.targetAlias} from now on write to the original names, so subscribe to both.`,
              ]
            : []),
        ].join("\n"),
      };
    }),
  };
}

/** The dry-run: everything the run would do and what it would cost, nothing changed. */
export function buildPlan(input: {
  mode: FailoverMode;
  options: FailoverOptions;
  readiness: FailoverReadiness;
  bootstrap: { source: string; target: string };
  divergent: DivergentRange[];
  at: number;
}): FailoverPlan {
  const { mode, options, readiness } = input;
  const lossNow = lossFromLag(readiness);
  const go = mode === "planned" ? readiness.go : readiness.unplannedGo;
  const blocking = readiness.reasons.find(
    (r) => r.level === "block" && (mode === "planned" || r.code !== "SOURCE_UNREACHABLE"),
  );
  return {
    flowId: readiness.flowId,
    mode,
    at: new Date(input.at).toISOString(),
    options,
    steps: planSteps(mode, options, { source: readiness.sourceAlias, target: readiness.targetAlias }),
    readiness,
    expectedLoss: mode === "planned" ? NO_LOSS : lossNow,
    lossIfSourceLostNow: lossNow,
    clientChanges: clientChanges(readiness, input.bootstrap),
    divergent: input.divergent,
    refusal: go || blocking === undefined ? null : { code: blocking.code, message: blocking.message },
  };
}
