// vitest globalSetup for the `integration` project: make sure the local stack (both Kafka clusters,
// Postgres with its databases, Redis) is up before any *.int.test.ts runs. stackUp() is idempotent
// and takes ~0.1 s when everything already runs; brokers it starts keep running after the tests
// (stop them with `npm run stack:down`). The environment is left untouched.
import { stackUp } from "../stack/index.ts";

export default async function integrationSetup(): Promise<void> {
  await stackUp();
}
