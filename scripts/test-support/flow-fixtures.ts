// Test fixtures: a migrated scratch database with the two local clusters and a flow row.
import {
  createDatabase,
  type Database,
  ensureFlow,
  saslPasswordContext,
  upsertCluster,
} from "../../packages/db/src/index.ts";
import { applyMigrations } from "../../packages/db/src/migrations/index.ts";
import { migrationsDir } from "../db/paths.ts";
import { eastBootstrap, westBootstrap } from "./kafka-records.ts";
import { createScratchDatabase } from "./scratch-database.ts";

export interface FlowFixture {
  url: string;
  db: Database;
  eastId: string;
  westId: string;
  cleanup: () => Promise<void>;
}

export async function migratedDatabaseWithClusters(): Promise<FlowFixture> {
  const scratch = await createScratchDatabase("md_engine");
  await applyMigrations(scratch.url, migrationsDir);
  const db = createDatabase(scratch.url, { maxConnections: 4 });
  const east = await upsertCluster(db, { alias: "east", bootstrapServers: eastBootstrap });
  const west = await upsertCluster(db, { alias: "west", bootstrapServers: westBootstrap });
  return {
    url: scratch.url,
    db,
    eastId: east.id,
    westId: west.id,
    cleanup: async () => {
      await db.$disconnect();
      await scratch.drop();
    },
  };
}

export async function createFlowRow(
  fixture: FlowFixture,
  options: {
    name: string;
    topicsInclude: string;
    sourceId?: string;
    targetId?: string;
    policy?: "DEFAULT" | "IDENTITY";
  },
): Promise<string> {
  const flow = await ensureFlow(fixture.db, {
    name: options.name,
    sourceClusterId: options.sourceId ?? fixture.eastId,
    targetClusterId: options.targetId ?? fixture.westId,
    topicsInclude: options.topicsInclude,
    replicationFactor: 1,
  });
  if (options.policy === "IDENTITY") {
    await fixture.db.flow.update({ where: { id: flow.id }, data: { replicationPolicy: "IDENTITY" } });
  }
  return flow.id;
}

/** Registers a SASL_SSL/SCRAM-SHA-512 cluster with its password sealed as the web app seals it. */
export async function storeSaslSslCluster(
  fixture: FlowFixture,
  cluster: {
    alias: string;
    bootstrapServers: string;
    username: string;
    password: string;
    caCertificate: string;
    seal: (password: string, context: string) => string;
  },
): Promise<string> {
  const { id } = await upsertCluster(fixture.db, {
    alias: cluster.alias,
    bootstrapServers: cluster.bootstrapServers,
  });
  await fixture.db.cluster.update({
    where: { id },
    data: {
      securityProtocol: "SASL_SSL",
      saslMechanism: "SCRAM_SHA_512",
      saslUsername: cluster.username,
      saslPasswordSealed: cluster.seal(cluster.password, saslPasswordContext(id)),
      caCertificate: cluster.caCertificate,
    },
  });
  return id;
}
