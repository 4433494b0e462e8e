// vitest globalSetup for the `integration` project: make sure the local stack (both Kafka clusters,
// Postgres with its databases, Redis) is up before any *.int.test.ts runs, then warm each cluster's
// group coordinator (a brand-new broker creates __consumer_offsets on the first group join, and
// tests should not race that). stackUp() is idempotent; the environment is left untouched.
import { stackUp } from "../stack/index.ts";
import {
  createTopic,
  deleteTopics,
  eastBootstrap,
  produceKeyed,
  readAll,
  uniqueName,
  westBootstrap,
} from "./kafka-records.ts";

export default async function integrationSetup(): Promise<void> {
  await stackUp();
  await Promise.all([eastBootstrap, westBootstrap].map(warmGroupCoordinator));
}

async function warmGroupCoordinator(bootstrap: string): Promise<void> {
  const topic = uniqueName("warm-up");
  await createTopic(bootstrap, topic, 1);
  try {
    await produceKeyed(bootstrap, topic, 1);
    await readAll(bootstrap, topic, 1, 60_000);
  } finally {
    await deleteTopics(bootstrap, [topic]);
  }
}
