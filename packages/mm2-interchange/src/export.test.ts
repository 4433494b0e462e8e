import type { FlowDefinition } from "@mirrordeck/contracts";
import {
  GROUPS_DEFAULT,
  GROUPS_EXCLUDE_DEFAULT,
  parseMm2Config,
  TOPICS_DEFAULT,
  TOPICS_EXCLUDE_DEFAULT,
} from "@mirrordeck/mm2";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ExportCluster, type ExportTopology, exportMm2Properties } from "./export.ts";
import { planMm2Import } from "./import.ts";
import { catchInterchangeError, effectiveFlow, NOTHING, topologyFromPlan } from "./test-support.ts";

const AT = { generatedAt: new Date("2025-06-01T12:00:00Z") };

function flow(
  sourceAlias: string,
  targetAlias: string,
  overrides: Partial<FlowDefinition> = {},
): FlowDefinition {
  return {
    name: `${sourceAlias}->${targetAlias}`,
    sourceAlias,
    targetAlias,
    enabled: true,
    topicsInclude: TOPICS_DEFAULT,
    topicsExclude: TOPICS_EXCLUDE_DEFAULT,
    groupsInclude: GROUPS_DEFAULT,
    groupsExclude: GROUPS_EXCLUDE_DEFAULT,
    replicationPolicy: "DEFAULT",
    separator: ".",
    startPosition: "EARLIEST",
    tasksMax: 1,
    replicationFactor: 2,
    settings: {},
    ...overrides,
  };
}

const primary: ExportCluster = {
  alias: "primary",
  bootstrapServers: "p1:9092,p2:9092",
  securityProtocol: "PLAINTEXT",
  sasl: null,
};
const backup: ExportCluster = {
  alias: "dr-backup",
  bootstrapServers: "b1:9093",
  securityProtocol: "SASL_SSL",
  sasl: { mechanism: "SCRAM-SHA-512", username: 'mm2 "dr"' },
};

describe("exportMm2Properties", () => {
  it("writes clusters, env-var passwords and only what differs from MM2's defaults", () => {
    const text = exportMm2Properties(
      {
        clusters: [primary, backup],
        flows: [
          flow("primary", "dr-backup", {
            name: "orders-dr",
            topicsInclude: "orders.*,payments",
            replicationPolicy: "IDENTITY",
            startPosition: "LATEST",
            tasksMax: 4,
            replicationFactor: 3,
            settings: {
              syncGroupOffsetsEnabled: true,
              emitCheckpointsIntervalSeconds: 60,
              configPropertiesExclude: "retention\\.ms",
              commitIntervalMs: 500,
              syncTopicAcls: false,
              aclPrincipalMap: { "User:alice": "User:alice-dr" },
            },
          }),
          flow("dr-backup", "primary", { enabled: false, separator: "_" }),
        ],
      },
      AT,
    );
    expect(text).toBe(
      [
        "# MirrorMaker 2 configuration exported by MirrorDeck",
        "# Generated at 2025-06-01T12:00:00.000Z",
        "# Settings equal to MM2's defaults are left out.",
        "# SASL passwords are read from environment variables (EnvVarConfigProvider, Kafka 3.5 or later):",
        "#   MIRRORDECK_DR_BACKUP_SASL_PASSWORD: password of cluster dr-backup",
        '# Flow primary->dr-backup is MirrorDeck flow "orders-dr"',
        "clusters=primary, dr-backup",
        "config.providers=env",
        "config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider",
        "primary.bootstrap.servers=p1\\:9092,p2\\:9092",
        "dr-backup.bootstrap.servers=b1\\:9093",
        "dr-backup.security.protocol=SASL_SSL",
        "dr-backup.sasl.mechanism=SCRAM-SHA-512",
        `dr-backup.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username\\="mm2 \\\\"dr\\\\"" password\\="\${env\\:MIRRORDECK_DR_BACKUP_SASL_PASSWORD}";`,
        "primary->dr-backup.enabled=true",
        "primary->dr-backup.topics=orders.*, payments",
        "primary->dr-backup.replication.policy.class=org.apache.kafka.connect.mirror.IdentityReplicationPolicy",
        "primary->dr-backup.consumer.auto.offset.reset=latest",
        "primary->dr-backup.tasks.max=4",
        "primary->dr-backup.replication.factor=3",
        "primary->dr-backup.sync.topic.acls.enabled=false",
        "primary->dr-backup.config.properties.exclude=retention\\\\.ms",
        "primary->dr-backup.sync.group.offsets.enabled=true",
        "dr-backup->primary.enabled=false",
        "dr-backup->primary.replication.policy.separator=_",
        "",
      ].join("\n"),
    );
  });

  it("writes a file MM2 reads as intended, with nothing it does not know but config providers", () => {
    const text = exportMm2Properties(
      { clusters: [primary, backup], flows: [flow("primary", "dr-backup", { tasksMax: 2 })] },
      AT,
    );
    const config = parseMm2Config(text);
    expect(config.issues).toEqual([]);
    expect(config.unknownKeys).toEqual(["config.providers", "config.providers.env.class"]);
    expect(config.clusterConfigs[1]).toMatchObject({
      securityProtocol: "SASL_SSL",
      saslMechanism: "SCRAM-SHA-512",
      saslJaasConfig: `org.apache.kafka.common.security.scram.ScramLoginModule required username="mm2 \\"dr\\"" password="\${env:MIRRORDECK_DR_BACKUP_SASL_PASSWORD}";`,
    });
    const enabled = config.flows.filter((candidate) => candidate.enabled);
    expect(enabled.map((candidate) => [candidate.source, candidate.target, candidate.tasksMax])).toEqual([
      ["primary", "dr-backup", 2],
    ]);
    expect(enabled[0]?.syncTopicAclsEnabled).toBe(true);
  });

  it("writes no providers when there is nothing to use them", () => {
    const text = exportMm2Properties(
      { clusters: [primary, { ...primary, alias: "tls", securityProtocol: "SSL" }], flows: [] },
      AT,
    );
    expect(text.split("\n").filter((line) => !line.startsWith("#"))).toEqual([
      "clusters=primary, tls",
      "primary.bootstrap.servers=p1\\:9092,p2\\:9092",
      "tls.bootstrap.servers=p1\\:9092,p2\\:9092",
      "tls.security.protocol=SSL",
      "",
    ]);
  });

  it("keeps password variables apart when aliases sanitise to the same name", () => {
    const sasl = { mechanism: "PLAIN" as const, username: "u" };
    const text = exportMm2Properties(
      {
        clusters: [
          { ...backup, alias: "us-east", sasl },
          { ...backup, alias: "us_east", sasl },
          { ...backup, alias: "US-EAST", sasl },
        ],
        flows: [],
      },
      AT,
    );
    expect(planMm2Import(text, NOTHING).placeholdersNeeded).toEqual([
      `\${env:MIRRORDECK_US_EAST_SASL_PASSWORD}`,
      `\${env:MIRRORDECK_US_EAST_2_SASL_PASSWORD}`,
      `\${env:MIRRORDECK_US_EAST_3_SASL_PASSWORD}`,
    ]);
  });

  it("refuses topologies one mm2.properties file cannot hold", () => {
    const cases: ExportTopology[] = [
      { clusters: [], flows: [] },
      { clusters: [primary, primary], flows: [] },
      { clusters: [{ ...primary, alias: "a->b" }], flows: [] },
      { clusters: [primary], flows: [flow("primary", "elsewhere")] },
      {
        clusters: [primary, backup],
        flows: [flow("primary", "dr-backup"), flow("primary", "dr-backup", { name: "x" })],
      },
      {
        clusters: [primary, backup],
        flows: [flow("primary", "dr-backup", { settings: { offsetLagMax: -1 } })],
      },
    ];
    for (const topology of cases) {
      expect(catchInterchangeError(() => exportMm2Properties(topology)).code).toBe("MM2_EXPORT_INVALID");
    }
  });

  it("exports disabled flows, which an import then lists as ignored", () => {
    const text = exportMm2Properties(
      { clusters: [primary, backup], flows: [flow("primary", "dr-backup", { enabled: false, tasksMax: 3 })] },
      AT,
    );
    const plan = planMm2Import(text, NOTHING);
    expect(plan.flows).toEqual([]);
    expect(plan.ignoredKeys).toEqual([
      {
        key: "primary->dr-backup.tasks.max",
        reason: "flow primary->dr-backup is not enabled, so it is not imported",
      },
    ]);
  });
});

describe("export → import round trip", () => {
  const alias = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,11}$/);
  const host = fc.stringMatching(/^[a-z0-9]([a-z0-9.-]{0,10}[a-z0-9])?$/);
  const bootstrap = fc
    .array(fc.tuple(host, fc.integer({ min: 1, max: 65535 })), { minLength: 1, maxLength: 3 })
    .map((servers) => servers.map(([h, port]) => `${h}:${port}`).join(","));
  const sasl = fc.record({
    mechanism: fc.constantFrom("PLAIN" as const, "SCRAM-SHA-256" as const, "SCRAM-SHA-512" as const),
    username: fc.string({ unit: "binary", minLength: 1, maxLength: 20 }).filter((u) => !u.includes("${")),
  });
  const cluster = (name: string): fc.Arbitrary<ExportCluster> =>
    fc.oneof(
      fc.record({
        alias: fc.constant(name),
        bootstrapServers: bootstrap,
        securityProtocol: fc.constantFrom("PLAINTEXT" as const, "SSL" as const),
        sasl: fc.constant(null),
      }),
      fc.record({
        alias: fc.constant(name),
        bootstrapServers: bootstrap,
        securityProtocol: fc.constantFrom("SASL_PLAINTEXT" as const, "SASL_SSL" as const),
        sasl,
      }),
    );
  const patterns = fc
    .tuple(
      fc.array(
        fc.constantFrom("orders", "orders\\..*", "pay-.*", "a_b", ".*", "__.*", "x[0-9]+", "(?i)logs"),
        {
          maxLength: 4,
        },
      ),
      fc.constantFrom(",", ", ", " ,  "),
    )
    .map(([entries, comma]) => entries.join(comma));
  const list = (fallback: string) => fc.oneof(fc.constant(fallback), patterns);
  const seconds = fc.integer({ min: 1, max: 86_400 });
  const settings = fc.record(
    {
      syncTopicConfigs: fc.boolean(),
      syncTopicConfigsIntervalSeconds: seconds,
      refreshTopicsIntervalSeconds: seconds,
      configPropertiesExclude: patterns,
      offsetLagMax: fc.integer({ min: 0, max: 1_000_000_000 }),
      emitOffsetSyncs: fc.boolean(),
      offsetSyncsTopicLocation: fc.constantFrom("source", "target"),
      commitIntervalMs: fc.integer({ min: 100, max: 60_000 }),
      offsetSyncFlushIntervalSeconds: fc.integer({ min: 1, max: 3_600 }),
      emitCheckpointsEnabled: fc.boolean(),
      emitCheckpointsIntervalSeconds: seconds,
      refreshGroupsIntervalSeconds: seconds,
      syncGroupOffsetsEnabled: fc.boolean(),
      syncGroupOffsetsIntervalSeconds: seconds,
      emitHeartbeatsEnabled: fc.boolean(),
      emitHeartbeatsIntervalSeconds: seconds,
    },
    { requiredKeys: [] },
  );
  const flowFields = fc.record({
    topicsInclude: list(TOPICS_DEFAULT),
    topicsExclude: list(TOPICS_EXCLUDE_DEFAULT),
    groupsInclude: list(GROUPS_DEFAULT),
    groupsExclude: list(GROUPS_EXCLUDE_DEFAULT),
    replicationPolicy: fc.constantFrom("DEFAULT" as const, "IDENTITY" as const),
    separator: fc.constantFrom(".", "_", "-", "__", "x.y"),
    startPosition: fc.constantFrom("EARLIEST" as const, "LATEST" as const),
    tasksMax: fc.integer({ min: 1, max: 64 }),
    replicationFactor: fc.integer({ min: 1, max: 32 }),
    settings,
  });
  const topology: fc.Arbitrary<ExportTopology> = fc
    .uniqueArray(alias, { minLength: 1, maxLength: 4, selector: (a) => a })
    .chain((aliases) => {
      const pairs = aliases.flatMap((s) => aliases.filter((t) => t !== s).map((t) => [s, t] as const));
      return fc.record({
        clusters: fc.tuple(...aliases.map(cluster)),
        flows:
          pairs.length === 0
            ? fc.constant([])
            : fc
                .subarray(pairs)
                .chain((chosen) =>
                  fc.tuple(
                    ...chosen.map(([s, t]) =>
                      flowFields.map((fields) => flow(s, t, { ...fields, name: `custom-${s}-${t}` })),
                    ),
                  ),
                ),
      });
    });

  it("gives back the same clusters and flows (names become source->target, passwords placeholders)", () => {
    fc.assert(
      fc.property(topology, (original) => {
        const text = exportMm2Properties(original, AT);
        const plan = planMm2Import(text, NOTHING);
        expect(plan.issues).toEqual([]);
        expect(plan.ignoredKeys).toEqual([]);
        const back = topologyFromPlan(plan);
        expect(back.clusters).toEqual(original.clusters);
        expect(back.flows.map(effectiveFlow)).toEqual(original.flows.map(effectiveFlow));
        expect(back.flows.map((f) => f.name)).toEqual(
          original.flows.map((f) => `${f.sourceAlias}->${f.targetAlias}`),
        );
        expect(plan.clusters.every((c) => c.input.sasl == null || c.input.sasl.password === undefined)).toBe(
          true,
        );
        expect(exportMm2Properties(back, AT)).toBe(text.replace(/^# Flow .*\n/gm, ""));
      }),
      { numRuns: 300 },
    );
  });
});
