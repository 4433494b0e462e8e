/** Turns a kafkajs error into a sentence an operator can act on, naming the cluster. */
export function describeKafkaError(error: unknown, clusterAlias: string): string {
  const name = error instanceof Error ? error.name : "";
  const message = error instanceof Error ? error.message : String(error);
  const type = (error as { type?: string }).type ?? "";
  if (/SASL|authenticat/i.test(message) || name === "KafkaJSSASLAuthenticationError") {
    return `${clusterAlias} refused our credentials (${message}); check the cluster's SASL settings.`;
  }
  if (type === "TOPIC_AUTHORIZATION_FAILED" || /TOPIC_AUTHORIZATION_FAILED|not authorized/i.test(message)) {
    return `${clusterAlias} denied access to a topic (${message}); grant the flow's principal the needed ACLs.`;
  }
  if (type === "MESSAGE_TOO_LARGE" || /too large/i.test(message)) {
    return `${clusterAlias} rejected a record as too large (${message}); raise max.message.bytes on the target topic.`;
  }
  if (
    /Connection|ECONNREFUSED|ETIMEDOUT|ENOTFOUND|broker.*not.*available|Closed connection|retries/i.test(
      `${name} ${message}`,
    )
  ) {
    return `${clusterAlias} is unreachable (${message}); replication resumes by itself when it answers again.`;
  }
  if (/not implemented|codec/i.test(message)) {
    return `Records on ${clusterAlias} use a compression codec this engine cannot read (${message}).`;
  }
  return `${clusterAlias}: ${message}`;
}
