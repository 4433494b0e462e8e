import { describe, expect, it } from "vitest";
import { ConfigError, loadEnv } from "./env.ts";

describe("loadEnv", () => {
  it("fills documented defaults when nothing is set", () => {
    const env = loadEnv({});
    expect(env.DATABASE_URL).toBe("postgresql://postgres@127.0.0.1:5432/mirrordeck");
    expect(env.REDIS_URL).toBe("redis://127.0.0.1:6379");
    expect(env.KAFKA_ADMIN_TIMEOUT_MS).toBe(5000);
  });

  it("names every invalid variable in one readable error", () => {
    expect(() => loadEnv({ DATABASE_URL: "mysql://x", KAFKA_ADMIN_TIMEOUT_MS: "soon" })).toThrowError(
      ConfigError,
    );
    try {
      loadEnv({ DATABASE_URL: "mysql://x", KAFKA_ADMIN_TIMEOUT_MS: "soon" });
    } catch (error) {
      expect((error as Error).message).toContain("DATABASE_URL: must be a postgresql:// URL");
      expect((error as Error).message).toContain("KAFKA_ADMIN_TIMEOUT_MS");
    }
  });
});
