import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { envSchema } from "@mirrordeck/config";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../db/paths.ts";
import { DEFAULT_KAFKA_VERSION, loadStackConfig } from "../stack/stack-config.ts";

// docker-compose.yml runs the same stack as the local scripts: this keeps the two in step.
// (`npm run compose:check` validates the file itself with docker-compose.)

interface Service {
  image?: string;
  build?: { context: string; target: string };
  environment?: Record<string, string | number>;
  ports?: string[];
}
const compose = parse(readFileSync(path.join(repoRoot, "docker-compose.yml"), "utf8")) as {
  services: Record<string, Service>;
};
const service = (name: string) => {
  const s = compose.services[name];
  if (!s) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
};
const hostPort = (s: Service) => (s.ports ?? []).map((p) => Number(p.split(":").at(-1)));

describe("docker-compose.yml", () => {
  const stack = loadStackConfig({});

  it("runs the Kafka version and the ports of the local stack", () => {
    for (const alias of ["east", "west"] as const) {
      const kafka = service(`kafka-${alias}`);
      expect(kafka.image).toBe(`apache/kafka:\${KAFKA_IMAGE_TAG:-${DEFAULT_KAFKA_VERSION}}`);
      const port = stack.clusters.find((c) => c.alias === alias)!.kafkaPort;
      expect(hostPort(kafka)).toEqual([port]);
      expect(String(kafka.environment?.KAFKA_ADVERTISED_LISTENERS)).toContain(`127.0.0.1:${port}`);
    }
    expect(hostPort(service("postgres"))).toEqual([5432]);
    expect(hostPort(service("redis"))).toEqual([6379]);
    expect(hostPort(service("web"))).toEqual([3000]);
  });

  it("configures the apps only through documented variables, and exposes the worker's metrics", () => {
    const documented = new Set(Object.keys(envSchema.shape));
    const example = readFileSync(path.join(repoRoot, ".env.example"), "utf8");
    for (const name of ["migrate", "web", "worker"]) {
      for (const variable of Object.keys(service(name).environment ?? {})) {
        expect(documented.has(variable), `${name}: ${variable} is validated at start-up`).toBe(true);
        expect(example, `${variable} is in .env.example`).toMatch(new RegExp(`^#? ?${variable}=`, "m"));
      }
    }
    const worker = service("worker");
    expect(hostPort(worker)).toEqual([Number(worker.environment?.MIRRORDECK_METRICS_PORT)]);
    expect(envSchema.shape.MIRRORDECK_METRICS_PORT.parse(undefined)).toBe(9464);
  });

  it("builds the web, worker and migrate images from stages of the Dockerfile", () => {
    const dockerfile = readFileSync(path.join(repoRoot, "Dockerfile"), "utf8");
    // npm ci in the deps stage needs every workspace's package.json (the lockfile names them all).
    const workspaces = ["apps", "packages"].flatMap((dir) =>
      readdirSync(path.join(repoRoot, dir)).map((name) => `${dir}/${name}`),
    );
    for (const workspace of [
      ...workspaces.filter((w) => existsSync(path.join(repoRoot, w, "package.json"))),
      "playwright",
    ]) {
      expect(dockerfile, `the Dockerfile copies ${workspace}/package.json`).toContain(
        `COPY ${workspace}/package.json ${workspace}/`,
      );
    }
    const stages = new Set([...dockerfile.matchAll(/^FROM \S+ AS (\S+)$/gm)].map((m) => m[1]));
    for (const name of ["migrate", "web", "worker"]) {
      expect(stages.has(service(name).build?.target)).toBe(true);
    }
  });
});
