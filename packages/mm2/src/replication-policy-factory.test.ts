import { describe, expect, it } from "vitest";
import { DefaultReplicationPolicy } from "./default-replication-policy.ts";
import { IdentityReplicationPolicy } from "./identity-replication-policy.ts";
import { createReplicationPolicy } from "./replication-policy-factory.ts";
import { catchMm2Error } from "./test-support.ts";

describe("createReplicationPolicy", () => {
  it("builds the default policy with the configured separator", () => {
    const policy = createReplicationPolicy({ separator: "_" });
    expect(policy).toBeInstanceOf(DefaultReplicationPolicy);
    expect(policy.formatRemoteTopic("A", "t")).toBe("A_t");
  });

  it("builds the identity policy from its fully-qualified class name", () => {
    const policy = createReplicationPolicy({
      className: " org.apache.kafka.connect.mirror.IdentityReplicationPolicy ",
      sourceClusterAlias: "A",
    });
    expect(policy).toBeInstanceOf(IdentityReplicationPolicy);
    expect(policy.topicSource("t")).toBe("A");
  });

  it("rejects classes it cannot run", () => {
    const error = catchMm2Error(() => createReplicationPolicy({ className: "com.acme.MyPolicy" }));
    expect(error.code).toBe("UNSUPPORTED_REPLICATION_POLICY");
    expect(error.message).toContain("com.acme.MyPolicy");
  });
});
