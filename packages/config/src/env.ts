import { z } from "zod";

/** Every environment variable MirrorDeck reads. `.env.example` lists the same names. */
export const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")
    .default("postgresql://postgres@127.0.0.1:5432/mirrordeck"),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// URL")
    .default("redis://127.0.0.1:6379"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]).default("info"),
  /** How long the web app waits for a cluster to answer a metadata request. */
  KAFKA_ADMIN_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(5_000),
  /** Key prefix of the BullMQ queues (lets several installations share one Redis). */
  MIRRORDECK_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, "letters, digits, '.', '_' or '-' only")
    .default("bull"),
  /** Stable name of this worker process in logs and task ownership; defaults to host:pid. */
  MIRRORDECK_WORKER_ID: z.string().min(1).max(200).optional(),
});

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  readonly code = "CONFIG_INVALID";
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Validates the environment once at start-up; fails with one readable line per bad variable. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
  throw new ConfigError(`Invalid environment configuration:\n${lines.join("\n")}`);
}
