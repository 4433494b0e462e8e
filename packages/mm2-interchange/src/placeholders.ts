/*
 * Config-provider placeholders (`${provider:[path:]key}`, KIP-297), as Kafka's
 * `ConfigTransformer` finds them in a value: they are references to secrets, not secrets.
 */

const PLACEHOLDER = /\$\{[^}]*?:[^}]*?\}/g;

/** The placeholders in `value`, in order, e.g. ["${env:KAFKA_PASSWORD}"]. */
export function findPlaceholders(value: string): string[] {
  return value.match(PLACEHOLDER) ?? [];
}

export function hasPlaceholder(value: string): boolean {
  return findPlaceholders(value).length > 0;
}

/** `config.providers` and `config.providers.<name>.class/param.*`: read by MM2, resolved by the operator. */
export function isConfigProviderKey(key: string): boolean {
  return key === "config.providers" || key.startsWith("config.providers.");
}

/** The environment variable the export reads a cluster's SASL password from. */
export function passwordEnvVar(alias: string): string {
  return `MIRRORDECK_${alias.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_SASL_PASSWORD`;
}
