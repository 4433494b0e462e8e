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

  it("treats an empty variable as unset, and checks the security settings", () => {
    const env = loadEnv({ MIRRORDECK_ADMIN_PASSWORD: "", MIRRORDECK_SECRET_KEY: "" });
    expect(env.MIRRORDECK_ADMIN_PASSWORD).toBeUndefined();
    expect(env.MIRRORDECK_TRUST_PROXY).toBe(false);
    expect(() => loadEnv({ MIRRORDECK_SECRET_KEY: "too-short" })).toThrowError(/MIRRORDECK_SECRET_KEY/);
    expect(() => loadEnv({ MIRRORDECK_ADMIN_PASSWORD: "short" })).toThrowError(/at least 12/);
    expect(() => loadEnv({ MIRRORDECK_BOOTSTRAP_TOKEN: "guessable" })).toThrowError(/32/);
    const key = Buffer.alloc(32, 1).toString("base64");
    expect(loadEnv({ MIRRORDECK_SECRET_KEY: key, MIRRORDECK_TRUST_PROXY: "true" })).toMatchObject({
      MIRRORDECK_SECRET_KEY: key,
      MIRRORDECK_TRUST_PROXY: true,
    });
  });
});
