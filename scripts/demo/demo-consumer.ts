import { createKafka } from "@mirrordeck/kafka";

export interface DemoConsumerOptions {
  bootstrapServers: string;
  topic: string;
  groupId: string;
}

/**
 * A consumer group on the source, as an application would run one: it reads the demo topic and
 * commits as it goes, so the flow has a group to checkpoint and translate onto the target.
 */
export async function startDemoConsumer(
  options: DemoConsumerOptions,
): Promise<{ stop: () => Promise<void> }> {
  const consumer = createKafka({
    alias: "demo-consumer",
    bootstrapServers: options.bootstrapServers,
  }).consumer({
    groupId: options.groupId,
    allowAutoTopicCreation: false,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [options.topic], fromBeginning: true });
  await consumer.run({ autoCommitInterval: 5_000, eachMessage: async () => {} });
  return { stop: () => consumer.disconnect().catch(() => {}) };
}
