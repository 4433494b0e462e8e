// The cluster form's state, how it becomes API input, and where API errors belong in it.
import {
  CLIENT_OVERRIDE_KEYS,
  type ClusterCreate,
  type ClusterDetail,
  type ClusterUpdate,
  type SaslMechanismName,
  type SecurityProtocol,
} from "@mirrordeck/contracts";
import { ApiError } from "@/lib/api-client.ts";

export const SECURITY_PROTOCOLS: { value: SecurityProtocol; hint: string }[] = [
  { value: "PLAINTEXT", hint: "No encryption, no authentication." },
  { value: "SSL", hint: "TLS encryption; mutual TLS with a client certificate." },
  { value: "SASL_PLAINTEXT", hint: "SASL authentication without encryption." },
  { value: "SASL_SSL", hint: "SASL authentication over TLS." },
];

export const SASL_MECHANISMS: SaslMechanismName[] = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"];

export const OVERRIDE_KEYS: readonly string[] = CLIENT_OVERRIDE_KEYS;

export const OVERRIDE_HINTS: Record<string, string> = {
  "client.id": "a name brokers log and quota by",
  "request.timeout.ms": "milliseconds",
  "socket.connection.setup.timeout.ms": "milliseconds",
  "retry.backoff.ms": "milliseconds",
  retries: "a whole number",
};

export const usesSasl = (p: SecurityProtocol) => p === "SASL_PLAINTEXT" || p === "SASL_SSL";
export const usesTls = (p: SecurityProtocol) => p === "SSL" || p === "SASL_SSL";

export interface OverrideRow {
  /** Stable React key; not sent. */
  id: number;
  key: string;
  value: string;
}

export interface ClusterFormState {
  alias: string;
  bootstrapServers: string;
  securityProtocol: SecurityProtocol;
  saslMechanism: SaslMechanismName;
  saslUsername: string;
  /** Write-only: empty on edit means "keep the stored one". */
  saslPassword: string;
  caCertificate: string;
  clientCertificate: string;
  /** Write-only: empty on edit means "keep the stored one". */
  clientKey: string;
  removeClientKey: boolean;
  overrides: OverrideRow[];
}

let nextRowId = 1;
export const newRowId = () => nextRowId++;

export function emptyForm(): ClusterFormState {
  return {
    alias: "",
    bootstrapServers: "",
    securityProtocol: "PLAINTEXT",
    saslMechanism: "SCRAM-SHA-512",
    saslUsername: "",
    saslPassword: "",
    caCertificate: "",
    clientCertificate: "",
    clientKey: "",
    removeClientKey: false,
    overrides: [],
  };
}

export function formFromCluster(cluster: ClusterDetail): ClusterFormState {
  return {
    alias: cluster.alias,
    bootstrapServers: cluster.bootstrapServers,
    securityProtocol: cluster.securityProtocol,
    saslMechanism: cluster.sasl?.mechanism ?? "SCRAM-SHA-512",
    saslUsername: cluster.sasl?.username ?? "",
    saslPassword: "",
    caCertificate: cluster.tls?.caCertificate ?? "",
    clientCertificate: cluster.tls?.clientCertificate ?? "",
    clientKey: "",
    removeClientKey: false,
    overrides: Object.entries(cluster.clientOverrides).map(([key, value]) => ({
      id: newRowId(),
      key,
      value,
    })),
  };
}

/** What two forms would send, compared without the rows' React keys. */
export function sameSettings(a: ClusterFormState, b: ClusterFormState): boolean {
  const strip = (s: ClusterFormState) => ({
    ...s,
    overrides: s.overrides.map(({ key, value }) => [key, value]),
  });
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

function overridesOf(state: ClusterFormState): ClusterCreate["clientOverrides"] {
  const record: Record<string, string> = {};
  for (const row of state.overrides) if (row.key !== "") record[row.key] = row.value.trim();
  return record as ClusterCreate["clientOverrides"];
}

const orNull = (text: string) => (text.trim() === "" ? null : text.trim());

/** POST /clusters and POST /connection-tests input. */
export function createInput(state: ClusterFormState, alias = state.alias.trim()): Partial<ClusterCreate> {
  const protocol = state.securityProtocol;
  const input: Partial<ClusterCreate> = {
    alias,
    bootstrapServers: state.bootstrapServers.trim(),
    securityProtocol: protocol,
    clientOverrides: overridesOf(state),
  };
  if (usesSasl(protocol)) {
    input.sasl = {
      mechanism: state.saslMechanism,
      username: state.saslUsername.trim(),
      ...(state.saslPassword !== "" && { password: state.saslPassword }),
    };
  }
  if (usesTls(protocol)) {
    const tls = {
      ...(orNull(state.caCertificate) !== null && { caCertificate: orNull(state.caCertificate) }),
      ...(orNull(state.clientCertificate) !== null && { clientCertificate: orNull(state.clientCertificate) }),
      ...(orNull(state.clientKey) !== null && { clientKey: orNull(state.clientKey) }),
    };
    if (Object.keys(tls).length > 0) input.tls = tls;
  }
  return input;
}

/** PATCH /clusters/{alias} input: empty secret fields keep the stored secrets. */
export function updateInput(state: ClusterFormState, cluster: ClusterDetail): Partial<ClusterUpdate> {
  const protocol = state.securityProtocol;
  const input: Partial<ClusterUpdate> = {
    version: cluster.version,
    bootstrapServers: state.bootstrapServers.trim(),
    securityProtocol: protocol,
    clientOverrides: overridesOf(state),
    sasl: usesSasl(protocol)
      ? {
          mechanism: state.saslMechanism,
          username: state.saslUsername.trim(),
          ...(state.saslPassword !== "" && { password: state.saslPassword }),
        }
      : null,
    tls: usesTls(protocol)
      ? {
          caCertificate: orNull(state.caCertificate),
          clientCertificate: orNull(state.clientCertificate),
          ...(orNull(state.clientKey) !== null
            ? { clientKey: orNull(state.clientKey) }
            : state.removeClientKey
              ? { clientKey: null }
              : {}),
        }
      : null,
  };
  return input;
}

/**
 * The API's message for one form field. Schema issues carry a path (`body.sasl.password`);
 * checks made after the schema name the field at the start of their message (`sasl.password: …`).
 * `exact` leaves out issues of nested fields (the SASL fieldset vs. its password).
 */
export function fieldMessage(error: unknown, field: string, exact = false): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const issue = exact
    ? error.issues.find((i) => i.path === `body.${field}`)?.message
    : error.fieldError(field);
  if (issue !== undefined) return issue;
  if (error.issues.length > 0 || error.code !== "VALIDATION_FAILED") return undefined;
  const colon = error.message.indexOf(": ");
  const named = colon < 0 ? "" : error.message.slice(0, colon);
  const matches = exact ? named === field : named === field || named.startsWith(`${field}.`);
  return matches ? error.message.slice(colon + 2) : undefined;
}

/** Fields the form shows errors beside; anything else goes in the form's own alert. */
export const FORM_FIELDS = [
  "alias",
  "bootstrapServers",
  "securityProtocol",
  "sasl",
  "tls",
  "clientOverrides",
] as const;

export function hasFieldMessage(error: unknown): boolean {
  return FORM_FIELDS.some((f) => fieldMessage(error, f) !== undefined);
}
