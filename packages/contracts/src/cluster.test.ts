import { describe, expect, it } from "vitest";
import { bootstrapServersSchema, clusterAliasSchema } from "./cluster.ts";

describe("clusterAliasSchema", () => {
  it.each(["east", "west-2", "dc_1", "A9"])("accepts the MM2-legal alias %s", (alias) => {
    expect(clusterAliasSchema.parse(alias)).toBe(alias);
  });
  it.each(["", "east.1", "east west", "a/b", "é"])(
    "rejects %j, which would break MM2 topic naming",
    (alias) => {
      expect(clusterAliasSchema.safeParse(alias).success).toBe(false);
    },
  );
});

describe("bootstrapServersSchema", () => {
  it("normalises spacing in a host:port list", () => {
    expect(bootstrapServersSchema.parse(" 127.0.0.1:19092 , kafka-2.local:9092")).toBe(
      "127.0.0.1:19092,kafka-2.local:9092",
    );
  });
  it.each(["127.0.0.1", "host:0x10", "host:70000", ",,", "a b:9092", "[::1]"])(
    "rejects garbage %j",
    (value) => {
      expect(bootstrapServersSchema.safeParse(value).success).toBe(false);
    },
  );
  it("accepts a bracketed IPv6 address", () => {
    expect(bootstrapServersSchema.parse("[::1]:9092")).toBe("[::1]:9092");
  });
});
