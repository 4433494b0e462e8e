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
  /** 32 random bytes, base64 (`openssl rand -base64 32`): seals cluster secrets at rest. */
  MIRRORDECK_SECRET_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, "must be 32 bytes, base64 (openssl rand -base64 32)")
    .optional(),
  /** First start only: the admin account to create. Without them a one-time password is logged. */
  MIRRORDECK_ADMIN_EMAIL: z.email("must be an e-mail address").optional(),
  MIRRORDECK_ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
  /** For scripted set-ups: accepted as an admin API token (Authorization: Bearer …). */
  MIRRORDECK_BOOTSTRAP_TOKEN: z.string().min(32, "must be at least 32 characters").optional(),
  /** How long a browser session lasts without signing in again. */
  MIRRORDECK_SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(720).default(12),
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (else it is ignored). */
  MIRRORDECK_TRUST_PROXY: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  /** Worker: port of its Prometheus endpoint (GET /metrics); 0 turns it off. */
  MIRRORDECK_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(9464),
  /** Worker: address the Prometheus endpoint listens on. */
  MIRRORDECK_METRICS_HOST: z.string().min(1).default("0.0.0.0"),
  /** Worker: a series per partition as well as per topic (many more series: see docs/operations.md). */
  MIRRORDECK_METRICS_PER_PARTITION: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  /** Web and worker: when set, /metrics wants `Authorization: Bearer <token>`. */
  MIRRORDECK_METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** Failed sign-ins allowed per address and per account in 15 minutes. */
  MIRRORDECK_LOGIN_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(10),
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
  // An empty variable (FOO= in .env, ${FOO:-} in compose) means unset, as in most tools.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = envSchema.safeParse(present);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
  throw new ConfigError(`Invalid environment configuration:\n${lines.join("\n")}`);
}
