export { ConfigError, type Env, envSchema, loadEnv } from "./env.ts";
