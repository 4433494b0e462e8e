import { describe, expect, it } from "vitest";
import { fromKafkajsAcl, toKafkajsAcl } from "./acl-codes.ts";

describe("kafkajs ACL codes", () => {
  it("reads Kafka's codes into names and writes them back", () => {
    const binding = fromKafkajsAcl(
      { resourceName: "orders", resourcePatternType: 3 },
      { principal: "User:alice", host: "*", operation: 3, permissionType: 3 },
    );
    expect(binding).toEqual({
      topic: "orders",
      patternType: "LITERAL",
      principal: "User:alice",
      host: "*",
      operation: "READ",
      permission: "ALLOW",
    });
    expect(toKafkajsAcl(binding!)).toEqual({
      resourceType: 2,
      resourceName: "orders",
      resourcePatternType: 3,
      principal: "User:alice",
      host: "*",
      operation: 3,
      permissionType: 3,
    });
    expect(
      fromKafkajsAcl(
        { resourceName: "x", resourcePatternType: 4 },
        { principal: "User:b", host: "*", operation: 10, permissionType: 2 },
      ),
    ).toMatchObject({ patternType: "PREFIXED", operation: "DESCRIBE_CONFIGS", permission: "DENY" });
  });

  it("refuses what no binding can be (ANY as an operation or a pattern) and skips unknown codes", () => {
    expect(() =>
      toKafkajsAcl({
        topic: "t",
        patternType: "ANY",
        principal: "User:a",
        host: "*",
        operation: "READ",
        permission: "ALLOW",
      }),
    ).toThrow(RangeError);
    expect(
      fromKafkajsAcl(
        { resourceName: "x", resourcePatternType: 3 },
        { principal: "User:b", host: "*", operation: 99, permissionType: 3 },
      ),
    ).toBeNull();
  });
});
