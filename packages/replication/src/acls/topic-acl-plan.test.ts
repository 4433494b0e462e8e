import { describe, expect, it } from "vitest";
import { planTopicAclSync, type TopicAclBinding, targetAclBinding } from "./topic-acl-plan.ts";

const acl = (topic: string, principal: string, operation: string, extra: Partial<TopicAclBinding> = {}) => ({
  topic,
  patternType: "LITERAL" as const,
  principal,
  host: "*",
  operation,
  permission: "ALLOW" as const,
  ...extra,
});
const remoteName = (topic: string) => `east.${topic}`;

describe("targetAclBinding (MM2's mapping)", () => {
  it("copies READ and DESCRIBE as they are, ALL as READ, and never ALLOW WRITE", () => {
    expect(targetAclBinding(acl("orders", "User:alice", "READ"), remoteName)).toEqual(
      acl("east.orders", "User:alice", "READ"),
    );
    expect(targetAclBinding(acl("orders", "User:alice", "ALL"), remoteName)?.operation).toBe("READ");
    expect(targetAclBinding(acl("orders", "User:alice", "WRITE"), remoteName)).toBeNull();
    // A DENY is copied whatever its operation: it only takes rights away.
    expect(
      targetAclBinding(acl("orders", "User:mallory", "WRITE", { permission: "DENY" }), remoteName),
    ).toMatchObject({ operation: "WRITE", permission: "DENY" });
    expect(
      targetAclBinding(acl("orders", "User:alice", "READ", { patternType: "PREFIXED" }), remoteName),
    ).toBeNull();
  });

  it("renames principals the flow maps", () => {
    expect(
      targetAclBinding(acl("orders", "User:alice", "READ"), remoteName, { "User:alice": "User:alice-dr" }),
    ).toMatchObject({ principal: "User:alice-dr" });
  });
});

describe("planTopicAclSync", () => {
  it("creates what is missing, keeps what is there, leaves target-only bindings alone", () => {
    const plan = planTopicAclSync({
      source: [
        acl("orders", "User:alice", "ALL"),
        acl("orders", "User:bob", "DESCRIBE"),
        acl("orders", "User:app", "WRITE"),
        acl("payments", "User:alice", "READ"), // not selected by the flow
        acl("ord", "User:carol", "READ", { patternType: "PREFIXED" }),
      ],
      target: [
        acl("east.orders", "User:bob", "DESCRIBE"),
        acl("east.orders", "User:dr-reader", "READ"),
        acl("other", "User:x", "READ"),
      ],
      selects: (topic) => topic === "orders" || topic === "ord",
      remoteName,
    });
    expect(plan.toCreate).toEqual([acl("east.orders", "User:alice", "READ")]);
    expect(plan.present).toEqual([acl("east.orders", "User:bob", "DESCRIBE")]);
    expect(plan.targetOnly).toEqual([acl("east.orders", "User:dr-reader", "READ")]);
    expect(plan.desired).toHaveLength(2);
  });

  it("is idempotent: once created, nothing is left to create", () => {
    const source = [acl("orders", "User:alice", "ALL")];
    const first = planTopicAclSync({ source, target: [], selects: () => true, remoteName });
    const second = planTopicAclSync({ source, target: first.toCreate, selects: () => true, remoteName });
    expect(second.toCreate).toEqual([]);
    expect(second.present).toEqual(first.toCreate);
  });
});
