import { describe, expect, it } from "vitest";
import { flowSettingsSchema } from "./flow.ts";

describe("flow settings: topic ACL sync", () => {
  it("takes MM2's defaults: on, every 600 s, names kept", () => {
    const settings = flowSettingsSchema.parse({});
    expect(settings).toMatchObject({ syncTopicAcls: true, syncTopicAclsIntervalSeconds: 600 });
    expect(settings.aclPrincipalMap).toBeUndefined();
  });

  it("validates both sides of the principal map, naming the bad one", () => {
    const ok = flowSettingsSchema.parse({
      aclPrincipalMap: { "User:alice": " User:alice-dr ", "User:CN=Bob Smith,O=Acme": "User:bob" },
    });
    expect(ok.aclPrincipalMap).toEqual({
      "User:alice": "User:alice-dr",
      "User:CN=Bob Smith,O=Acme": "User:bob",
    });
    const bad = flowSettingsSchema.safeParse({ aclPrincipalMap: { alice: "User:a", "User:b": "b" } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => [i.path.join("."), i.message]).sort()).toEqual([
      ["aclPrincipalMap.User:b", "must be a Kafka principal such as User:alice"],
      ["aclPrincipalMap.alice", "alice must be a Kafka principal such as User:alice"],
    ]);
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`User:u${i}`, `User:v${i}`]));
    expect(flowSettingsSchema.safeParse({ aclPrincipalMap: many }).error?.issues[0]?.message).toBe(
      "at most 100 principals can be mapped",
    );
  });
});
