import { clusterCreateSchema, flowCreateSchema } from "@mirrordeck/contracts";
import { isSensitiveKey, MAX_PROPERTIES_BYTES } from "@mirrordeck/mm2";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ExistingTopology, type ImportPlan, planMm2Import } from "./import.ts";
import {
  catchInterchangeError,
  interchangeErrorOf,
  NOTHING,
  planTextOutsidePasswords,
} from "./test-support.ts";

const TWO =
  "clusters = a, b\na.bootstrap.servers = a1:9092\nb.bootstrap.servers = b1:9092\na->b.enabled = true\n";

function plan(text: string, existing: ExistingTopology = NOTHING): ImportPlan {
  return planMm2Import(text, existing);
}

function codes(result: ImportPlan): string[] {
  return result.issues.map((issue) => issue.code);
}

function reasonOf(result: ImportPlan, key: string): string | undefined {
  return result.ignoredKeys.find((entry) => entry.key === key)?.reason;
}

describe("planMm2Import: unusable files", () => {
  it("refuses binary input: NUL bytes, invalid UTF-8, control characters", () => {
    expect(catchInterchangeError(() => planMm2Import(new Uint8Array([0x63, 0x00, 0x64]), NOTHING)).code).toBe(
      "MM2_FILE_UNREADABLE",
    );
    expect(catchInterchangeError(() => planMm2Import("clusters=a\u0000", NOTHING)).code).toBe(
      "MM2_FILE_UNREADABLE",
    );
    expect(
      catchInterchangeError(() => planMm2Import(new Uint8Array([0x61, 0xff, 0xfe, 0x3d]), NOTHING)).code,
    ).toBe("MM2_FILE_UNREADABLE");
    const noisy = `clusters=a\n${"\u0001\u0002\u0003".repeat(10)}\n`;
    expect(catchInterchangeError(() => planMm2Import(noisy, NOTHING)).code).toBe("MM2_FILE_UNREADABLE");
    expect(
      catchInterchangeError(() => planMm2Import(`clusters=a\n${"\ufffd".repeat(5)}`, NOTHING)).code,
    ).toBe("MM2_FILE_UNREADABLE");
  });

  it("accepts a stray control character in a large text file", () => {
    const text = `${TWO}# ${"x".repeat(500)}\n# bell \u0007\n`;
    expect(plan(text).clusters).toHaveLength(2);
  });

  it("refuses files over 1 MiB, as text or bytes", () => {
    const big = `${TWO}#${"x".repeat(MAX_PROPERTIES_BYTES)}`;
    expect(catchInterchangeError(() => planMm2Import(big, NOTHING)).code).toBe("MM2_FILE_TOO_LARGE");
    expect(catchInterchangeError(() => planMm2Import(Buffer.from(big), NOTHING)).code).toBe(
      "MM2_FILE_TOO_LARGE",
    );
    // Multi-byte characters count as their UTF-8 size.
    const wide = `#${"é".repeat(MAX_PROPERTIES_BYTES / 2)}`;
    expect(catchInterchangeError(() => planMm2Import(wide, NOTHING)).code).toBe("MM2_FILE_TOO_LARGE");
  });

  it("refuses files without clusters, saying what is missing", () => {
    for (const text of ["", "# nothing\n", "topics = .*\n", "clusters = \n", "clusters = a->b\n"]) {
      const error = catchInterchangeError(() => planMm2Import(text, NOTHING));
      expect(error.code).toBe("MM2_FILE_INVALID");
      expect(error.message).toMatch(/clusters/);
    }
  });

  it("refuses a malformed \\u escape without quoting the line", () => {
    const error = catchInterchangeError(() =>
      planMm2Import(`${TWO}a.sasl.jaas.config = x password="Sekr1t\\u12zz";\n`, NOTHING),
    );
    expect(error.code).toBe("MM2_FILE_INVALID");
    expect(error.message).toMatch(/^Line 5: /);
    expect(error.message).not.toContain("Sekr1t");
  });

  it("reads UTF-8 bytes with a BOM", () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(TWO)]);
    expect(planMm2Import(bytes, NOTHING).flows.map((flow) => flow.name)).toEqual(["a->b"]);
  });
});

describe("planMm2Import: clusters", () => {
  it("normalises bootstrap servers and security protocol case", () => {
    const result = plan("clusters = a\na.bootstrap.servers = h1:1 ,  h2:2\na.security.protocol = ssl\n");
    expect(result.clusters[0]?.input).toEqual({
      alias: "a",
      bootstrapServers: "h1:1,h2:2",
      securityProtocol: "SSL",
      clientOverrides: {},
    });
  });

  it("applies global connection settings to every cluster", () => {
    const result = plan(
      [
        "clusters = a, b",
        "a.bootstrap.servers = a:1",
        "b.bootstrap.servers = b:1",
        "security.protocol = SASL_PLAINTEXT",
        "sasl.mechanism = SCRAM-SHA-256",
        'sasl.jaas.config = org.apache.kafka.common.security.scram.ScramLoginModule required username="mm2" password="pw";',
      ].join("\n"),
    );
    expect(result.clusters.map((cluster) => cluster.input.sasl)).toEqual([
      { mechanism: "SCRAM-SHA-256", username: "mm2", password: "pw" },
      { mechanism: "SCRAM-SHA-256", username: "mm2", password: "pw" },
    ]);
  });

  it("reports clusters MirrorDeck cannot take, and the flows that need them", () => {
    const result = plan(
      [
        "clusters = dc.1, ok, nohost, bad",
        "dc.1.bootstrap.servers = d:1",
        "ok.bootstrap.servers = o:1",
        "bad.bootstrap.servers = not a host list",
        "ok->bad.enabled = true",
        "ok->nohost.enabled = true",
      ].join("\n"),
    );
    expect(result.clusters.map((cluster) => cluster.alias)).toEqual(["ok"]);
    expect(result.issues).toEqual([
      {
        code: "MISSING_BOOTSTRAP_SERVERS",
        key: "nohost.bootstrap.servers",
        message: "Flow ok->nohost is enabled but cluster nohost has no nohost.bootstrap.servers",
      },
      {
        code: "INVALID_CLUSTER",
        key: "clusters",
        message:
          "Cluster dc.1 is not imported: clusters: alias may contain only letters, digits, '-' and '_'",
      },
      {
        code: "INVALID_CLUSTER",
        key: "nohost.bootstrap.servers",
        message: expect.stringMatching(/^Cluster nohost is not imported: nohost.bootstrap.servers: /),
      },
      {
        code: "INVALID_CLUSTER",
        key: "bad.bootstrap.servers",
        message:
          "Cluster bad is not imported: bad.bootstrap.servers: each bootstrap server must be host:port with a port from 1 to 65535",
      },
      {
        code: "FLOW_CLUSTER_NOT_IMPORTED",
        key: "ok->nohost.enabled",
        message: "Flow ok->nohost is not imported: cluster nohost is not imported (see the issues above)",
      },
      {
        code: "FLOW_CLUSTER_NOT_IMPORTED",
        key: "ok->bad.enabled",
        message: "Flow ok->bad is not imported: cluster bad is not imported (see the issues above)",
      },
    ]);
  });

  it("plans a flow whose cluster could not be read when MirrorDeck already has that cluster", () => {
    const result = plan(`${TWO}b.bootstrap.servers = garbage\n`, {
      clusters: [{ alias: "b", bootstrapServers: "b1:9092", securityProtocol: "PLAINTEXT" }],
      flows: [],
    });
    expect(result.clusters.map((cluster) => cluster.alias)).toEqual(["a"]);
    expect(result.flows.map((flow) => flow.name)).toEqual(["a->b"]);
  });

  it("marks existing clusters unchanged or conflicting", () => {
    const existing: ExistingTopology = {
      clusters: [
        { alias: "a", bootstrapServers: "a1:9092", securityProtocol: "PLAINTEXT" },
        { alias: "b", bootstrapServers: "b1:9092", securityProtocol: "SSL" },
      ],
      flows: [],
    };
    const result = plan(TWO, existing);
    expect(result.clusters.map(({ action, conflict }) => ({ action, conflict }))).toEqual([
      { action: "unchanged" },
      {
        action: "conflict",
        conflict: "Cluster b already exists with security protocol SSL (file: PLAINTEXT)",
      },
    ]);
  });

  describe("SASL", () => {
    const sasl = (lines: string[]) =>
      plan(
        ["clusters = a, b", "a.bootstrap.servers = a:1", "b.bootstrap.servers = b:1", ...lines].join("\n"),
      );

    it("reads PLAIN and SCRAM JAAS configs, quoted or not, single quotes, comments", () => {
      const result = sasl([
        "a.security.protocol = SASL_SSL",
        "a.sasl.mechanism = PLAIN",
        "a.sasl.jaas.config = org.apache.kafka.common.security.plain.PlainLoginModule required username=alice password='p \\\"q\\\"'; ",
        "b.security.protocol = SASL_PLAINTEXT",
        "b.sasl.mechanism = SCRAM-SHA-512",
        'b.sasl.jaas.config = /* mm2 */ org.apache.kafka.common.security.scram.ScramLoginModule REQUIRED username="bob" password="x\\\\\\\\y";',
      ]);
      expect(result.issues).toEqual([]);
      expect(result.clusters.map((cluster) => cluster.input.sasl)).toEqual([
        { mechanism: "PLAIN", username: "alice", password: 'p "q"' },
        { mechanism: "SCRAM-SHA-512", username: "bob", password: "x\\y" },
      ]);
    });

    it("takes a password placeholder as needed, not as a secret", () => {
      const result = sasl([
        "a.security.protocol = SASL_SSL",
        "a.sasl.mechanism = SCRAM-SHA-256",
        `a.sasl.jaas.config = org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="\${env:A_PASSWORD}";`,
        "b.security.protocol = SASL_SSL",
        "b.sasl.mechanism = PLAIN",
        `b.sasl.jaas.config = org.apache.kafka.common.security.plain.PlainLoginModule required username="v" password="\${file:/etc/secrets.properties:b}";`,
      ]);
      expect(result.placeholdersNeeded).toEqual([`\${env:A_PASSWORD}`, `\${file:/etc/secrets.properties:b}`]);
      expect(result.clusters.map((cluster) => [cluster.passwordPlaceholder, cluster.input.sasl])).toEqual([
        [`\${env:A_PASSWORD}`, { mechanism: "SCRAM-SHA-256", username: "u" }],
        [`\${file:/etc/secrets.properties:b}`, { mechanism: "PLAIN", username: "v" }],
      ]);
    });

    it("reports unsupported mechanisms, including MM2's GSSAPI default", () => {
      const result = sasl([
        "a.security.protocol = SASL_SSL",
        "a.sasl.jaas.config = com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true;",
        "b.security.protocol = SASL_SSL",
        "b.sasl.mechanism = OAUTHBEARER",
        "b.sasl.jaas.config = org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required clientSecret='s3cr3t';",
      ]);
      expect(result.clusters).toEqual([]);
      expect(result.issues).toEqual([
        {
          code: "UNSUPPORTED_SASL_MECHANISM",
          key: "a.sasl.mechanism",
          message:
            "Cluster a is not imported: SASL mechanism GSSAPI (MM2's default, as a.sasl.mechanism is not set) is not supported; MirrorDeck supports PLAIN, SCRAM-SHA-256, SCRAM-SHA-512",
        },
        {
          code: "UNSUPPORTED_SASL_MECHANISM",
          key: "b.sasl.mechanism",
          message:
            "Cluster b is not imported: SASL mechanism OAUTHBEARER is not supported; MirrorDeck supports PLAIN, SCRAM-SHA-256, SCRAM-SHA-512",
        },
      ]);
    });

    it("reports JAAS configs it cannot use without quoting them", () => {
      const result = sasl([
        "security.protocol = SASL_SSL",
        "sasl.mechanism = PLAIN",
        'a.sasl.jaas.config = org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="Hunter2a";',
        'b.sasl.jaas.config = org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="Hunter2b"',
      ]);
      expect(result.clusters).toEqual([]);
      expect(result.issues).toEqual([
        {
          code: "INVALID_JAAS_CONFIG",
          key: "a.sasl.jaas.config",
          message:
            "Cluster a is not imported: a.sasl.jaas.config must use org.apache.kafka.common.security.plain.PlainLoginModule for SASL mechanism PLAIN",
        },
        {
          code: "INVALID_JAAS_CONFIG",
          key: "b.sasl.jaas.config",
          message:
            "Cluster b is not imported: b.sasl.jaas.config cannot be read: the entry is not terminated by ';'",
        },
      ]);
      expect(JSON.stringify(result)).not.toContain("Hunter2");
    });

    it("needs a JAAS config with username and password", () => {
      const result = sasl([
        "a.security.protocol = SASL_SSL",
        "a.sasl.mechanism = PLAIN",
        "b.security.protocol = SASL_SSL",
        "b.sasl.mechanism = PLAIN",
        'b.sasl.jaas.config = org.apache.kafka.common.security.plain.PlainLoginModule required username="u";',
      ]);
      expect(result.issues.map((issue) => [issue.code, issue.key])).toEqual([
        ["INVALID_JAAS_CONFIG", "a.sasl.jaas.config"],
        ["INVALID_JAAS_CONFIG", "b.sasl.jaas.config"],
      ]);
    });

    it("cannot take a username or a whole JAAS config from a config provider", () => {
      const result = sasl([
        "security.protocol = SASL_SSL",
        "sasl.mechanism = PLAIN",
        `a.sasl.jaas.config = \${file:/etc/kafka/jaas.properties:a}`,
        `b.sasl.jaas.config = org.apache.kafka.common.security.plain.PlainLoginModule required username="\${env:USER}" password="p";`,
      ]);
      expect(result.clusters).toEqual([]);
      expect(codes(result)).toEqual(["UNRESOLVED_PLACEHOLDER", "UNRESOLVED_PLACEHOLDER"]);
      expect(result.placeholdersNeeded).toEqual([]);
    });

    it("lists SASL keys of a non-SASL cluster as ignored", () => {
      const result = sasl(["a.sasl.mechanism = PLAIN", "a.sasl.jaas.config = x required;"]);
      expect(result.clusters).toHaveLength(2);
      expect(reasonOf(result, "a.sasl.mechanism")).toBe(
        "not used: cluster a connects with PLAINTEXT, not SASL",
      );
      expect(reasonOf(result, "a.sasl.jaas.config")).toBe(
        "not used: cluster a connects with PLAINTEXT, not SASL",
      );
    });
  });
});

describe("planMm2Import: flows", () => {
  it("plans only enabled flows, named source->target, enabled", () => {
    const result = plan(`${TWO}b->a.enabled = false\n`);
    expect(result.flows).toEqual([
      {
        name: "a->b",
        action: "create",
        input: {
          sourceAlias: "a",
          targetAlias: "b",
          name: "a->b",
          enabled: true,
          replicationPolicy: "DEFAULT",
          separator: ".",
          startPosition: "EARLIEST",
          tasksMax: 1,
          replicationFactor: 2,
          settings: {},
        },
      },
    ]);
    expect(result.ignoredKeys).toEqual([]);
  });

  it("maps flow-specific over global values, and leaves out MM2's defaults even when written", () => {
    const result = plan(
      [
        TWO,
        "topics = .*",
        "a->b.groups = g1,g2",
        "tasks.max = 2",
        "a->b.tasks.max = 3",
        "replication.factor = 1",
        "replication.policy.separator = -",
        "consumer.auto.offset.reset = LATEST",
        "emit.heartbeats.enabled = false",
        "emit.heartbeats.interval.seconds = 1",
        "sync.topic.configs.enabled = false",
        "sync.topic.configs.interval.seconds = 900",
        "refresh.groups.interval.seconds = 120",
        "a->b.config.properties.exclude = retention\\\\.ms,  cleanup\\\\.policy",
        "emit.offset-syncs.enabled = false",
        "a->b.emit.checkpoints.enabled = true",
      ].join("\n"),
    );
    expect(result.issues).toEqual([]);
    const input = result.flows[0]?.input;
    expect(input).toMatchObject({
      groupsInclude: "g1, g2",
      tasksMax: 3,
      replicationFactor: 1,
      separator: "-",
      startPosition: "LATEST",
      settings: {
        emitHeartbeatsEnabled: false,
        syncTopicConfigs: false,
        syncTopicConfigsIntervalSeconds: 900,
        refreshGroupsIntervalSeconds: 120,
        configPropertiesExclude: "retention\\.ms, cleanup\\.policy",
        emitOffsetSyncs: false,
      },
    });
    expect(input).not.toHaveProperty("topicsInclude");
    expect(input?.settings).not.toHaveProperty("emitHeartbeatsIntervalSeconds");
    expect(input?.settings).not.toHaveProperty("emitCheckpointsEnabled");
  });

  it("refuses flows with a replication policy MirrorDeck cannot run", () => {
    const result = plan(`${TWO}a->b.replication.policy.class = com.example.PrefixlessPolicy\n`);
    expect(result.flows).toEqual([]);
    expect(result.issues).toEqual([
      {
        code: "UNSUPPORTED_POLICY",
        key: "a->b.replication.policy.class",
        message:
          "Flow a->b is not imported: replication.policy.class com.example.PrefixlessPolicy is not supported; MirrorDeck runs org.apache.kafka.connect.mirror.DefaultReplicationPolicy and org.apache.kafka.connect.mirror.IdentityReplicationPolicy",
      },
    ]);
  });

  it("refuses flows with values out of MirrorDeck's ranges, naming the MM2 key", () => {
    const result = plan(
      `${TWO}tasks.max = 100\na->b.emit.checkpoints.interval.seconds = 0\na->b.topics = (\n`,
    );
    expect(result.flows).toEqual([]);
    const issue = result.issues.find((candidate) => candidate.code === "INVALID_FLOW");
    expect(issue?.key).toBe("a->b.topics");
    expect(issue?.message).toMatch(/^Flow a->b is not imported: a->b.topics: Invalid pattern/);
    expect(issue?.message).toContain("tasks.max: ");
    expect(issue?.message).toContain("a->b.emit.checkpoints.interval.seconds: ");
    expect(codes(result)).toContain("INVALID_PATTERN");
  });

  it("refuses a flow whose name MirrorDeck cannot hold", () => {
    const [x, y] = ["x".repeat(50), "y".repeat(50)];
    const result = plan(
      `clusters = ${x}, ${y}\n${x}.bootstrap.servers = a:1\n${y}.bootstrap.servers = b:1\n${x}->${y}.enabled = true\n`,
    );
    expect(result.clusters).toHaveLength(2);
    expect(result.flows).toEqual([]);
    expect(result.issues[0]).toMatchObject({ code: "INVALID_FLOW" });
    expect(result.issues[0]?.message).toContain("name: ");
  });

  it("marks flows MirrorDeck already has, by direction or by name", () => {
    const text = `${TWO}b->a.enabled = true\n`;
    const result = plan(text, {
      clusters: [],
      flows: [
        { sourceAlias: "a", targetAlias: "b", name: "orders" },
        { sourceAlias: "a", targetAlias: "c", name: "b->a" },
      ],
    });
    expect(result.flows.map(({ name, action, conflict }) => ({ name, action, conflict }))).toEqual([
      { name: "a->b", action: "conflict", conflict: "Flow orders already replicates a to b" },
      { name: "b->a", action: "conflict", conflict: "A flow named b->a already exists (a to c)" },
    ]);
  });
});

describe("planMm2Import: ignored keys", () => {
  it("takes sync.topic.acls.* into the flow's settings (on, every 600 s, by default as in MM2)", () => {
    const settingsOf = (text: string) => plan(text).flows[0]?.input?.settings;
    expect(plan(TWO).ignoredKeys).toEqual([]);
    expect(settingsOf(TWO)).not.toHaveProperty("syncTopicAcls");
    expect(
      settingsOf(`${TWO}sync.topic.acls.enabled = false\na->b.sync.topic.acls.interval.seconds = 60\n`),
    ).toMatchObject({ syncTopicAcls: false, syncTopicAclsIntervalSeconds: 60 });
    expect(plan(`${TWO}a->b.sync.topic.acls.enabled = TRUE\n`).ignoredKeys).toEqual([]);
  });

  it("lists turned-off refreshes, unsupported offset resets and the internal separator switch", () => {
    const result = plan(
      `${TWO}refresh.topics.enabled = false\na->b.refresh.groups.enabled = false\nconsumer.auto.offset.reset = none\nreplication.policy.internal.topic.separator.enabled = false\n`,
    );
    expect(result.flows).toHaveLength(1);
    expect(result.flows[0]?.input.startPosition).toBe("EARLIEST");
    expect(result.ignoredKeys.map((entry) => entry.key)).toEqual([
      "refresh.topics.enabled",
      "a->b.refresh.groups.enabled",
      "consumer.auto.offset.reset",
      "replication.policy.internal.topic.separator.enabled",
    ]);
    expect(reasonOf(result, "consumer.auto.offset.reset")).toMatch(/^none is not supported/);
  });

  it("lists settings of flows that are not enabled", () => {
    const result = plan(`${TWO}b->a.topics = x\nb->a.enabled = false\nb->a.tasks.max = 2\n`);
    expect(result.ignoredKeys).toEqual([
      { key: "b->a.topics", reason: "flow b->a is not enabled, so it is not imported" },
      { key: "b->a.tasks.max", reason: "flow b->a is not enabled, so it is not imported" },
    ]);
  });

  it("explains client-prefixed security keys and store files; consumes config providers", () => {
    const result = plan(
      [
        TWO,
        "a.consumer.security.protocol = SSL",
        "b.admin.sasl.mechanism = PLAIN",
        "producer.sasl.jaas.config = x required;",
        "a->b.consumer.ssl.truststore.location = /t.jks",
        "ssl.keystore.location = /k.jks",
        "config.providers = env",
        "config.providers.env.class = org.apache.kafka.common.config.provider.EnvVarConfigProvider",
        "a.producer.linger.ms = 5",
        "c.bootstrap.servers = c:1",
        "a->c.enabled = true",
      ].join("\n"),
    );
    expect(result.ignoredKeys).toEqual([
      {
        key: "a.consumer.security.protocol",
        reason:
          "MirrorDeck uses one security setting for all clients of a cluster (a.security.protocol); consumer-only settings are not imported",
      },
      {
        key: "b.admin.sasl.mechanism",
        reason:
          "MirrorDeck uses one security setting for all clients of a cluster (b.sasl.mechanism); admin-only settings are not imported",
      },
      {
        key: "producer.sasl.jaas.config",
        reason:
          "MirrorDeck uses one security setting for all clients of a cluster (sasl.jaas.config); producer-only settings are not imported",
      },
      {
        key: "a->b.consumer.ssl.truststore.location",
        reason: "MirrorDeck does not read truststore files; upload the CA certificate instead",
      },
      {
        key: "ssl.keystore.location",
        reason: "MirrorDeck does not read keystore files; upload the client certificate and key instead",
      },
      { key: "a.producer.linger.ms", reason: "not understood by MirrorDeck" },
      { key: "c.bootstrap.servers", reason: "not understood by MirrorDeck" },
      { key: "a->c.enabled", reason: "not understood by MirrorDeck" },
    ]);
    expect(codes(result)).toEqual(["UNKNOWN_FLOW"]);
  });

  it("does not show lines that are not property names (they may be pieces of a secret)", () => {
    const result = plan(
      `${TWO}b.sasl.jaas.config = org.apache.kafka.common.security.plain.PlainLoginModule required username="u"\n"Sup3rS3cret"=;\n"Sup3rS3cret"=;\n`,
    );
    expect(result.ignoredKeys).toEqual([
      { key: "b.sasl.jaas.config", reason: "not used: cluster b connects with PLAINTEXT, not SASL" },
      {
        key: "(unreadable line 1)",
        reason:
          "this line is not a key = value property (a value continued without a trailing backslash?); it is not shown as it may hold a secret",
      },
    ]);
    expect(result.issues).toEqual([
      { code: "DUPLICATE_KEY", message: "DUPLICATE_KEY: a line that is not a property name (not shown)" },
    ]);
    expect(JSON.stringify(result)).not.toContain("Sup3rS3cret");
  });
});

describe("planMm2Import: never anything but a plan or an Mm2InterchangeError", () => {
  const SECRET = "Zq9-S3cret-Value";
  const keys = fc.constantFrom(
    "clusters",
    "a.bootstrap.servers",
    "b.bootstrap.servers",
    "bootstrap.servers",
    "a.security.protocol",
    "security.protocol",
    "b.sasl.mechanism",
    "sasl.mechanism",
    "a.sasl.jaas.config",
    "b.sasl.jaas.config",
    "a.ssl.truststore.password",
    "b.producer.sasl.jaas.config",
    "a->b.enabled",
    "b->a.enabled",
    "a->c.enabled",
    "topics",
    "a->b.topics",
    "groups.exclude",
    "config.properties.exclude",
    "replication.policy.class",
    "a->b.replication.policy.separator",
    "tasks.max",
    "replication.factor",
    "consumer.auto.offset.reset",
    "emit.checkpoints.interval.seconds",
    "offset.lag.max",
    "offset-syncs.topic.location",
    "sync.topic.acls.enabled",
    "refresh.topics.enabled",
    "config.providers",
    "checkpoints.topic.replication.factor",
  );
  const values = fc.oneof(
    fc.string({ maxLength: 16 }),
    fc.string({ unit: "binary", maxLength: 16 }),
    fc.constantFrom(
      "a, b",
      "a,b,c",
      "a",
      "a, a->b, _x",
      "h:1",
      "h:1, i:65536",
      "true",
      "FALSE",
      "0",
      "-1",
      "65",
      "1000000000001",
      "latest",
      "none",
      "by_duration:P1D",
      "SASL_SSL",
      "sasl_plaintext",
      "SSL",
      "PLAIN",
      "SCRAM-SHA-512",
      "GSSAPI",
      "org.apache.kafka.connect.mirror.IdentityReplicationPolicy",
      "com.example.Policy",
      `\${env:X}`,
      "(",
      "[a-",
      ".*",
      "\\",
      "_",
      "target",
    ),
  );
  const secretValues = fc.constantFrom(
    `org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="${SECRET}";`,
    `org.apache.kafka.common.security.scram.ScramLoginModule required username='u' password="${SECRET}";`,
    `org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="${SECRET}"`,
    `org.apache.kafka.common.security.plain.PlainLoginModule required "${SECRET}";`,
    `org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password=${SECRET};`,
    `${SECRET} required username="u" password="p";`,
    `org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="\${env:P}";`,
    SECRET,
  );
  const line = keys.chain((key) =>
    (isSensitiveKey(key) ? secretValues : values).map((value) => `${key}=${value.replace(/[\r\n\\]/g, "")}`),
  );
  const existing: fc.Arbitrary<ExistingTopology> = fc.record({
    clusters: fc.array(
      fc.record({
        alias: fc.constantFrom("a", "b", "c"),
        bootstrapServers: fc.constantFrom("h:1", "a1:9092"),
        securityProtocol: fc.constantFrom("PLAINTEXT", "SSL"),
      }),
      { maxLength: 2 },
    ),
    flows: fc.array(
      fc.record({
        sourceAlias: fc.constantFrom("a", "b"),
        targetAlias: fc.constantFrom("a", "b"),
        name: fc.constantFrom("a->b", "x"),
      }),
      { maxLength: 2 },
    ),
  });

  // Starting points that plan something, for the random lines to change.
  const header = fc.constantFrom(
    ["clusters=a, b", "a.bootstrap.servers=a1:9092", "b.bootstrap.servers=b1:9092"],
    ["clusters=a, b", "a.bootstrap.servers=a1:9092", "b.bootstrap.servers=b1:9092", "a->b.enabled=true"],
    [
      "clusters=a, b",
      "a.bootstrap.servers=a1:9092",
      "b.bootstrap.servers=b1:9092",
      "a->b.enabled=true",
      "b->a.enabled=true",
      "b.security.protocol=SASL_SSL",
      "b.sasl.mechanism=PLAIN",
      `b.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="${SECRET}";`,
    ],
    [
      "clusters=a, b",
      "a.bootstrap.servers=a1:9092",
      "b.bootstrap.servers=b1:9092",
      "a->b.enabled=true",
      "security.protocol=SASL_PLAINTEXT",
      "sasl.mechanism=SCRAM-SHA-256",
      `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="${SECRET}";`,
    ],
  );

  function checkPlan(result: ImportPlan): void {
    for (const cluster of result.clusters) {
      const { input, passwordPlaceholder } = cluster;
      const candidate =
        passwordPlaceholder !== undefined && input.sasl != null
          ? { ...input, sasl: { ...input.sasl, password: "supplied" } }
          : input;
      expect(clusterCreateSchema.safeParse(candidate).success).toBe(true);
    }
    for (const flow of result.flows) expect(flowCreateSchema.safeParse(flow.input).success).toBe(true);
  }

  it("for random text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 400 }), (text) => {
        const error = interchangeErrorOf(() => checkPlan(planMm2Import(text, NOTHING)));
        if (error !== undefined) expect(error.code).toMatch(/^MM2_FILE_/);
      }),
      { numRuns: 500 },
    );
  });

  it("for random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        interchangeErrorOf(() => checkPlan(planMm2Import(bytes, NOTHING)));
      }),
      { numRuns: 500 },
    );
  });

  it("for random mm2.properties, keeping secrets in password fields only", () => {
    fc.assert(
      fc.property(header, fc.array(line, { maxLength: 12 }), existing, (head, lines, current) => {
        const text = [...head, ...lines].join("\n");
        let result: ImportPlan | undefined;
        interchangeErrorOf(() => {
          result = planMm2Import(text, current);
        });
        if (result === undefined) return;
        checkPlan(result);
        expect(planTextOutsidePasswords(result)).not.toContain(SECRET);
      }),
      { numRuns: 1000 },
    );
  });
});
