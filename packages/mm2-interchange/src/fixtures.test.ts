import { clusterCreateSchema, flowCreateSchema } from "@mirrordeck/contracts";
import { describe, expect, it } from "vitest";
import { exportMm2Properties } from "./export.ts";
import { type ImportPlan, planMm2Import } from "./import.ts";
import { fixture, NOTHING, planTextOutsidePasswords, topologyFromPlan } from "./test-support.ts";

const NOT_UNDERSTOOD = "not understood by MirrorDeck";
const TRUSTSTORE = "MirrorDeck does not read truststore files; upload the CA certificate instead";
const KEYSTORE = "MirrorDeck does not read keystore files; upload the client certificate and key instead";

/** Secrets written in the fixtures: they may only reach a cluster input's password. */
const SECRETS = [
  "Backup-S3cret!",
  "Truststore-S3cret",
  "Producer-S3cret",
  "Central-Truststore-S3cret",
  "Central-Keystore-S3cret",
  "Central-Key-S3cret",
  "S3cret",
];

function expectNoSecretOutsidePasswords(plan: ImportPlan): void {
  const text = planTextOutsidePasswords(plan);
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

/** import → export → import gives the same inputs; passwords become env placeholders. */
function expectRoundTrip(plan: ImportPlan): void {
  const exported = exportMm2Properties(topologyFromPlan(plan), {
    generatedAt: new Date("2025-01-02T03:04:05Z"),
  });
  const again = planMm2Import(exported, NOTHING);
  expect(again.issues).toEqual([]);
  expect(again.ignoredKeys).toEqual([]);
  expect(again.flows.map((flow) => flow.input)).toEqual(plan.flows.map((flow) => flow.input));
  expect(again.clusters.map((cluster) => cluster.input)).toEqual(
    plan.clusters.map(({ input }) =>
      input.sasl == null
        ? input
        : { ...input, sasl: { mechanism: input.sasl.mechanism, username: input.sasl.username } },
    ),
  );
  const saslAliases = plan.clusters
    .filter((cluster) => cluster.input.sasl != null)
    .map((cluster) => cluster.alias);
  expect(again.placeholdersNeeded).toEqual(
    saslAliases.map((alias) => `\${env:MIRRORDECK_${alias.toUpperCase().replace(/-/g, "_")}_SASL_PASSWORD}`),
  );
  expect(
    again.clusters.filter((cluster) => cluster.passwordPlaceholder !== undefined).map((c) => c.alias),
  ).toEqual(saslAliases);
  // And the export of the re-import is the same file.
  expect(
    exportMm2Properties(topologyFromPlan(again), { generatedAt: new Date("2025-01-02T03:04:05Z") }),
  ).toBe(exported);
}

function expectValidInputs(plan: ImportPlan): void {
  for (const { input, passwordPlaceholder } of plan.clusters) {
    const candidate =
      passwordPlaceholder !== undefined && input.sasl != null
        ? { ...input, sasl: { ...input.sasl, password: "supplied-by-operator" } }
        : input;
    expect(clusterCreateSchema.safeParse(candidate).success).toBe(true);
  }
  for (const { input } of plan.flows) expect(flowCreateSchema.safeParse(input).success).toBe(true);
}

describe("fixtures/active-passive.properties", () => {
  const plan = planMm2Import(fixture("active-passive.properties"), NOTHING);

  it("plans both clusters, the SCRAM one with its literal password", () => {
    expect(plan.clusters).toEqual([
      {
        alias: "primary",
        action: "create",
        input: {
          alias: "primary",
          bootstrapServers: "broker1-primary:9092,broker2-primary:9092,broker3-primary:9092",
          securityProtocol: "PLAINTEXT",
          clientOverrides: {},
        },
      },
      {
        alias: "backup",
        action: "create",
        input: {
          alias: "backup",
          bootstrapServers: "broker1-backup:9093,broker2-backup:9093",
          securityProtocol: "SASL_SSL",
          sasl: { mechanism: "SCRAM-SHA-512", username: "mm2-backup", password: "Backup-S3cret!" },
          clientOverrides: {},
        },
      },
    ]);
    expect(plan.placeholdersNeeded).toEqual([]);
  });

  it("plans the one enabled flow, identity policy, with what differs from MM2's defaults", () => {
    expect(plan.flows).toEqual([
      {
        name: "primary->backup",
        action: "create",
        input: {
          sourceAlias: "primary",
          targetAlias: "backup",
          name: "primary->backup",
          enabled: true,
          topicsInclude: "orders.*, payments.*, customers",
          topicsExclude: ".*[\\-\\.]internal, .*\\.replica, __.*, .*-test",
          groupsInclude: "orders-.*, payments-.*",
          groupsExclude: "console-consumer-.*, connect-.*, __.*, .*-adhoc",
          replicationPolicy: "IDENTITY",
          separator: ".",
          startPosition: "EARLIEST",
          tasksMax: 4,
          replicationFactor: 3,
          settings: {
            emitCheckpointsIntervalSeconds: 10,
            syncGroupOffsetsEnabled: true,
            syncGroupOffsetsIntervalSeconds: 30,
            syncTopicAcls: false,
          },
        },
      },
    ]);
  });

  it("lists the internal-topic and Connect keys as ignored, and nothing it consumed", () => {
    expect(plan.ignoredKeys).toEqual([
      { key: "checkpoints.topic.replication.factor", reason: NOT_UNDERSTOOD },
      { key: "heartbeats.topic.replication.factor", reason: NOT_UNDERSTOOD },
      { key: "offset-syncs.topic.replication.factor", reason: NOT_UNDERSTOOD },
      { key: "offset.storage.replication.factor", reason: NOT_UNDERSTOOD },
      { key: "status.storage.replication.factor", reason: NOT_UNDERSTOOD },
      { key: "config.storage.replication.factor", reason: NOT_UNDERSTOOD },
    ]);
    expect(plan.issues).toEqual([]);
  });

  it("keeps the password out of everything but the cluster input", () => {
    expectNoSecretOutsidePasswords(plan);
    expectValidInputs(plan);
  });

  it("round-trips through the export", () => expectRoundTrip(plan));
});

describe("fixtures/active-active.properties", () => {
  const plan = planMm2Import(fixture("active-active.properties"), NOTHING);

  it("plans the SASL/PLAIN cluster without a password and asks for the file placeholder", () => {
    expect(plan.clusters.map((cluster) => cluster.alias)).toEqual(["us-west", "us-east"]);
    expect(plan.clusters[1]).toEqual({
      alias: "us-east",
      action: "create",
      input: {
        alias: "us-east",
        bootstrapServers: "broker5-east:9092,broker6-east:9092",
        securityProtocol: "SASL_SSL",
        sasl: { mechanism: "PLAIN", username: "mirror-maker" },
        clientOverrides: {},
      },
      passwordPlaceholder: `\${file:/opt/mm2/secrets.properties:us-east.password}`,
    });
    expect(plan.placeholdersNeeded).toEqual([`\${file:/opt/mm2/secrets.properties:us-east.password}`]);
  });

  it("plans both directions with their own topics and the shared settings", () => {
    const shared = {
      topicsExclude: ".*[\\-\\.]internal, .*\\.replica, __.*, tmp-.*",
      replicationPolicy: "DEFAULT",
      separator: ".",
      tasksMax: 1,
      replicationFactor: 2,
      settings: { refreshTopicsIntervalSeconds: 300, offsetLagMax: 500, emitHeartbeatsIntervalSeconds: 5 },
    };
    expect(plan.flows).toEqual([
      {
        name: "us-west->us-east",
        action: "create",
        input: {
          sourceAlias: "us-west",
          targetAlias: "us-east",
          name: "us-west->us-east",
          enabled: true,
          topicsInclude: "orders.*, inventory",
          startPosition: "EARLIEST",
          ...shared,
        },
      },
      {
        name: "us-east->us-west",
        action: "create",
        input: {
          sourceAlias: "us-east",
          targetAlias: "us-west",
          name: "us-east->us-west",
          enabled: true,
          topicsInclude: "shipments.*, inventory",
          startPosition: "LATEST",
          ...shared,
        },
      },
    ]);
  });

  it("ignores truststore files, producer-only security, refresh.groups.enabled=false and Connect keys", () => {
    expect(plan.ignoredKeys).toEqual([
      { key: "us-east.ssl.truststore.location", reason: TRUSTSTORE },
      { key: "us-east.ssl.truststore.password", reason: TRUSTSTORE },
      {
        key: "us-east.producer.sasl.jaas.config",
        reason:
          "MirrorDeck uses one security setting for all clients of a cluster (us-east.sasl.jaas.config); producer-only settings are not imported",
      },
      {
        key: "refresh.groups.enabled",
        reason:
          "MirrorDeck always looks for new consumer groups; refresh.groups.interval.seconds sets how often",
      },
      { key: "us-west.offset.storage.replication.factor", reason: NOT_UNDERSTOOD },
      { key: "us-east.offset.storage.replication.factor", reason: NOT_UNDERSTOOD },
    ]);
    // config.providers* are consumed: the placeholder is reported instead.
    expect(plan.ignoredKeys.map((entry) => entry.key)).not.toContain("config.providers");
    expect(plan.issues).toEqual([]);
  });

  it("keeps every secret out of the plan", () => {
    expectNoSecretOutsidePasswords(plan);
    expect(JSON.stringify(plan)).not.toContain("S3cret");
    expectValidInputs(plan);
  });

  it("round-trips through the export", () => expectRoundTrip(plan));
});

describe("fixtures/hub.properties", () => {
  const plan = planMm2Import(fixture("hub.properties"), NOTHING);

  it("plans the three clusters, central over TLS", () => {
    expect(plan.clusters.map(({ alias, action, input }) => [alias, action, input.securityProtocol])).toEqual([
      ["east", "create", "PLAINTEXT"],
      ["west", "create", "PLAINTEXT"],
      ["central", "create", "SSL"],
    ]);
    expect(plan.clusters[2]?.input.bootstrapServers).toBe(
      "kafka-central-1:9094,kafka-central-2:9094,kafka-central-3:9094",
    );
  });

  it("plans the two spokes into central with the default policy, not the disabled way back", () => {
    const common = {
      targetAlias: "central",
      enabled: true,
      groupsInclude: "analytics-.*",
      replicationPolicy: "DEFAULT",
      startPosition: "EARLIEST",
      replicationFactor: 3,
      settings: { offsetSyncsTopicLocation: "target", emitCheckpointsEnabled: false },
    };
    expect(plan.flows).toEqual([
      {
        name: "east->central",
        action: "create",
        input: {
          sourceAlias: "east",
          name: "east->central",
          topicsInclude: "clicks, page-views, search-.*",
          separator: ".",
          tasksMax: 1,
          ...common,
        },
      },
      {
        name: "west->central",
        action: "create",
        input: {
          sourceAlias: "west",
          name: "west->central",
          topicsInclude: "clicks, page-views, search-.*, checkout-.*",
          separator: "_",
          tasksMax: 8,
          ...common,
        },
      },
    ]);
    // sync.topic.configs.enabled = true is MM2's default: not a setting.
    expect(plan.flows[0]?.input.settings).not.toHaveProperty("syncTopicConfigs");
  });

  it("ignores the key and trust stores; takes the explicit ACL sync (MM2's default) as is", () => {
    expect(plan.ignoredKeys).toEqual([
      { key: "central.ssl.truststore.location", reason: TRUSTSTORE },
      { key: "central.ssl.truststore.password", reason: TRUSTSTORE },
      { key: "central.ssl.keystore.location", reason: KEYSTORE },
      { key: "central.ssl.keystore.password", reason: KEYSTORE },
      { key: "central.ssl.key.password", reason: KEYSTORE },
    ]);
    expect(plan.issues).toEqual([]);
    expect(plan.placeholdersNeeded).toEqual([]);
  });

  it("keeps every secret out of the plan", () => {
    expect(JSON.stringify(plan)).not.toContain("S3cret");
    expectValidInputs(plan);
  });

  it("round-trips through the export", () => expectRoundTrip(plan));
});

describe("fixtures against an existing topology", () => {
  it("marks clusters and flows MirrorDeck already has", () => {
    const plan = planMm2Import(fixture("hub.properties"), {
      clusters: [
        {
          alias: "east",
          bootstrapServers: "kafka-east-3:9092, KAFKA-EAST-1:9092,kafka-east-2:9092",
          securityProtocol: "PLAINTEXT",
        },
        { alias: "central", bootstrapServers: "kafka-central-1:9093", securityProtocol: "SASL_SSL" },
      ],
      flows: [{ sourceAlias: "east", targetAlias: "central", name: "clicks-to-central" }],
    });
    expect(plan.clusters.map(({ alias, action, conflict }) => ({ alias, action, conflict }))).toEqual([
      { alias: "east", action: "unchanged", conflict: undefined },
      { alias: "west", action: "create", conflict: undefined },
      {
        alias: "central",
        action: "conflict",
        conflict:
          "Cluster central already exists with bootstrap servers kafka-central-1:9093 (file: kafka-central-1:9094,kafka-central-2:9094,kafka-central-3:9094) and security protocol SASL_SSL (file: SSL)",
      },
    ]);
    expect(plan.flows.map(({ name, action, conflict }) => ({ name, action, conflict }))).toEqual([
      {
        name: "east->central",
        action: "conflict",
        conflict: "Flow clicks-to-central already replicates east to central",
      },
      { name: "west->central", action: "create", conflict: undefined },
    ]);
  });
});
