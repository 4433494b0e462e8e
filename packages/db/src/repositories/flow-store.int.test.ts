import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FlowFixture,
  migratedDatabaseWithClusters,
} from "../../../../scripts/test-support/flow-fixtures.ts";
import { createApiToken, createUser, findApiTokenPrincipal, updateUser } from "../auth/accounts.ts";
import type { Database } from "../client.ts";
import type { ClusterRecord } from "./cluster-store.ts";
import { setFlowEnabled } from "./flow-runtime-repository.ts";
import {
  createFlowWithRevision,
  listFlowRevisions,
  type NewFlow,
  updateFlowWithRevision,
} from "./flow-store.ts";
import { importTopology, TopologyImportConflict } from "./topology-import.ts";

let fixture: FlowFixture;
let db: Database;

beforeAll(async () => {
  fixture = await migratedDatabaseWithClusters();
  db = fixture.db;
});
afterAll(async () => {
  await fixture.cleanup();
});

const flowFields = (name: string, sourceClusterId: string, targetClusterId: string): NewFlow => ({
  name,
  enabled: false,
  topicsInclude: ".*",
  topicsExclude: "",
  groupsInclude: ".*",
  groupsExclude: "",
  replicationPolicy: "DEFAULT",
  separator: ".",
  startPosition: "EARLIEST",
  tasksMax: 1,
  replicationFactor: 1,
  settings: {},
  sourceClusterId,
  targetClusterId,
});

const plainCluster: ClusterRecord = {
  bootstrapServers: "127.0.0.1:1",
  securityProtocol: "PLAINTEXT",
  saslMechanism: null,
  saslUsername: null,
  saslPasswordSealed: null,
  caCertificate: null,
  clientCertificate: null,
  clientKeySealed: null,
  clientOverrides: {},
};

describe("flow store", () => {
  it("lets only one of many concurrent creates claim a direction", async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        createFlowWithRevision(db, flowFields(`race-${i}`, fixture.westId, fixture.eastId), "test"),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toHaveLength(5);
  });

  it("refuses a stale edit, and an operator's start makes older edits stale too", async () => {
    const created = await createFlowWithRevision(
      db,
      flowFields("versions", fixture.eastId, fixture.westId),
      "alice",
    );
    if (!created.ok) throw new Error("create failed");
    const id = created.flow.id;
    expect((await updateFlowWithRevision(db, id, 1, { tasksMax: 2 }, "alice")).ok).toBe(true);
    expect(await updateFlowWithRevision(db, id, 1, { tasksMax: 3 }, "bob")).toEqual({
      ok: false,
      reason: "stale-version",
      currentVersion: 2,
    });
    await setFlowEnabled(db, id, true, "STARTING", "user:operator");
    // An editor who read version 2 (enabled=false) can no longer switch it back silently.
    expect(await updateFlowWithRevision(db, id, 2, { enabled: false }, "bob")).toMatchObject({
      ok: false,
      reason: "stale-version",
    });
    // Asking again for what is already so changes nothing.
    await setFlowEnabled(db, id, true, "RUNNING", "user:operator");
    const revisions = await listFlowRevisions(db, id);
    expect(revisions.map((r) => [r.version, r.actor, Object.keys(r.diff as object)])).toEqual([
      [3, "user:operator", ["enabled"]],
      [2, "alice", ["tasksMax"]],
      [1, "alice", expect.arrayContaining(["name", "sourceAlias", "targetAlias"])],
    ]);
    expect(await updateFlowWithRevision(db, randomUUID(), 1, {}, "x")).toEqual({
      ok: false,
      reason: "not-found",
    });
  });

  it("imports clusters and flows all or nothing", async () => {
    const alias = `imp-${Date.now()}`;
    const flows = [
      { ...flowFields(`${alias}->east`, "", ""), sourceAlias: alias, targetAlias: "east" },
      // east->west is taken by the test above: the whole import must roll back.
      { ...flowFields("east->west-again", "", ""), sourceAlias: "east", targetAlias: "west" },
    ].map(({ sourceClusterId: _s, targetClusterId: _t, ...rest }) => rest);
    await expect(
      importTopology(db, [{ id: randomUUID(), alias, record: plainCluster }], flows, "test"),
    ).rejects.toThrow(TopologyImportConflict);
    expect(await db.cluster.findUnique({ where: { alias } })).toBeNull();
    const ok = await importTopology(
      db,
      [{ id: randomUUID(), alias, record: plainCluster }],
      flows.slice(0, 1),
      "test",
    );
    expect(ok.flowIds).toHaveLength(1);
  });
});

describe("user administration", () => {
  it("never leaves the system without an enabled admin, and takes a demoted user's tokens away", async () => {
    const only = await createUser(db, {
      email: `admin-${Date.now()}@x.test`,
      passwordHash: "x",
      role: "ADMIN",
    });
    expect(await updateUser(db, only.id, { disabled: true })).toEqual({ ok: false, reason: "last-admin" });
    const second = await createUser(db, {
      email: `admin2-${Date.now()}@x.test`,
      passwordHash: "x",
      role: "ADMIN",
    });
    const adminToken = await createApiToken(db, { name: "ops", role: "ADMIN", createdById: second.id });
    const viewerToken = await createApiToken(db, { name: "dash", role: "VIEWER", createdById: second.id });
    expect((await updateUser(db, second.id, { role: "OPERATOR" })).ok).toBe(true);
    expect(await findApiTokenPrincipal(db, adminToken.token)).toBeNull();
    expect((await findApiTokenPrincipal(db, viewerToken.token))?.role).toBe("VIEWER");
    // Now `only` is the only admin again.
    expect(await updateUser(db, only.id, { role: "VIEWER" })).toEqual({ ok: false, reason: "last-admin" });
    expect((await updateUser(db, second.id, { disabled: true })).ok).toBe(true);
    expect(await findApiTokenPrincipal(db, viewerToken.token)).toBeNull();
  });
});
