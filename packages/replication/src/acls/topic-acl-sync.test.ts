import { describe, expect, it } from "vitest";
import type { AclAdmin } from "../ports/acl-admin.ts";
import type { TopicAclBinding } from "./topic-acl-plan.ts";
import { syncTopicAcls, type TopicAclSyncInput } from "./topic-acl-sync.ts";

const binding = (topic: string, principal: string, operation: string, extra: Partial<TopicAclBinding> = {}) =>
  ({
    topic,
    patternType: "LITERAL",
    principal,
    host: "*",
    operation,
    permission: "ALLOW",
    ...extra,
  }) as const;

/** An in-memory cluster's ACLs; `refuse` makes a call fail as Kafka would. */
function cluster(bindings: TopicAclBinding[], refuse: { describe?: string; create?: string } = {}) {
  const created: TopicAclBinding[] = [];
  const admin: AclAdmin = {
    describeTopicAcls: async () => {
      if (refuse.describe) throw Object.assign(new Error("refused"), { kafkaErrorType: refuse.describe });
      return [...bindings, ...created];
    },
    createTopicAcls: async (more) => {
      if (refuse.create) throw Object.assign(new Error("refused"), { kafkaErrorType: refuse.create });
      created.push(...more);
    },
  };
  return { admin, created };
}

function input(
  source: AclAdmin,
  target: AclAdmin,
  extra: Partial<TopicAclSyncInput> = {},
): TopicAclSyncInput {
  return {
    source: { alias: "east", principal: "User:mm", admin: source },
    target: { alias: "west", principal: "User:mm", admin: target },
    topics: ["orders"],
    remoteName: (t) => `east.${t}`,
    ...extra,
  };
}

describe("a topic ACL sync round", () => {
  it("creates what the remote topics lack, reads a target-only binding and leaves it", async () => {
    const source = cluster([binding("orders", "User:a", "ALL"), binding("other", "User:b", "READ")]);
    const target = cluster([binding("east.orders", "User:ops", "DESCRIBE")]);
    const result = await syncTopicAcls(input(source.admin, target.admin));
    expect(result.problem).toBeNull();
    expect(result.created).toBe(1);
    expect(target.created).toEqual([binding("east.orders", "User:a", "READ")]);
    expect(result.plan?.targetOnly).toEqual([binding("east.orders", "User:ops", "DESCRIBE")]);
    const again = await syncTopicAcls(input(source.admin, target.admin));
    expect(again.created).toBe(0);
    expect(again.plan?.present).toHaveLength(1);
  });

  it("says in words what a cluster refused, and creates nothing", async () => {
    const source = cluster([binding("orders", "User:a", "READ")]);
    const noAuthorizer = await syncTopicAcls(
      input(cluster([], { describe: "SECURITY_DISABLED" }).admin, cluster([]).admin),
    );
    expect(noAuthorizer.problem).toBe(
      "east has no authorizer (authorizer.class.name is not set), so it has no ACLs to read.",
    );
    const noAlter = await syncTopicAcls(
      input(source.admin, cluster([], { create: "CLUSTER_AUTHORIZATION_FAILED" }).admin),
    );
    expect(noAlter.problem).toBe("west refused to create ACLs: User:mm needs ALTER on the cluster.");
    expect(noAlter.created).toBe(0);
    const noDescribe = await syncTopicAcls(
      input(source.admin, cluster([], { describe: "CLUSTER_AUTHORIZATION_FAILED" }).admin),
    );
    expect(noDescribe.problem).toBe("west refused to list its ACLs: User:mm needs DESCRIBE on the cluster.");
  });

  it("creates nothing once the caller may no longer write (a leader that lost its lease)", async () => {
    const target = cluster([]);
    const result = await syncTopicAcls(
      input(cluster([binding("orders", "User:a", "READ")]).admin, target.admin, {
        mayCreate: async () => false,
      }),
    );
    expect(target.created).toEqual([]);
    expect(result.problem).toMatch(/no longer leads/);
  });
});
