"use client";

import type { SecurityProtocol } from "@mirrordeck/contracts";
import type { ConnectionTestResult } from "@/lib/api-client.ts";
import { formatCount } from "@/lib/format.ts";
import { usesSasl, usesTls } from "./cluster-form-model.ts";

/** What to check next, by what went wrong and how the cluster is reached. */
function advice(result: ConnectionTestResult, protocol: SecurityProtocol): string {
  if (result.reachable && !result.authenticated) {
    return usesSasl(protocol)
      ? "The brokers answered but refused the credentials: check the SASL mechanism, the username and the password."
      : "The brokers answered but refused the connection: check the security protocol the listener expects.";
  }
  const steps = [
    "Check that each bootstrap server is the right host:port",
    "that the brokers are running",
    "and that this server can reach them (DNS, firewall, advertised listeners)",
  ];
  if (usesTls(protocol))
    steps.push("With TLS, also check the CA certificate and that the port is a TLS listener");
  else steps.push("If the listener uses TLS or SASL, pick the matching security protocol");
  return `${steps.join(", ")}.`;
}

/** The outcome of a connection test, in words, with the cluster's facts when it answered. */
export function ConnectionTestOutcome({
  result,
  protocol,
}: {
  result: ConnectionTestResult;
  protocol: SecurityProtocol;
}) {
  const ok = result.reachable && result.authenticated;
  return (
    <div className={`connection-result ${ok ? "is-ok" : "is-bad"}`} data-testid="connection-test-result">
      <p className="connection-result-head">
        <span className={`badge ${result.reachable ? "ok" : "bad"}`} data-testid="connection-reachable">
          {result.reachable ? "reachable" : "unreachable"}
        </span>
        {result.reachable ? (
          <span className={`badge ${result.authenticated ? "ok" : "bad"}`}>
            {result.authenticated ? "authenticated" : "not authenticated"}
          </span>
        ) : null}
        <span className="muted">
          {result.reachable ? "answered in" : "gave up after"} {result.elapsedMs.toLocaleString("en-US")} ms
        </span>
      </p>
      {ok ? (
        <dl className="facts connection-facts">
          <dt>Brokers</dt>
          <dd data-testid="connection-broker-count">{result.brokerCount ?? "—"}</dd>
          <dt>Controller</dt>
          <dd>{result.controllerId === null ? "—" : `broker ${result.controllerId}`}</dd>
          <dt>Kafka version</dt>
          <dd data-testid="connection-kafka-version">{result.kafkaVersion ?? "unknown"}</dd>
          <dt>Topics</dt>
          <dd>{result.topicCount === null ? "—" : formatCount(result.topicCount)}</dd>
          <dt>Cluster id</dt>
          <dd>
            <code>{result.clusterId ?? "—"}</code>
          </dd>
        </dl>
      ) : (
        <>
          <p className="error-text" data-testid="connection-error">
            {result.error?.message ?? "The cluster did not answer."}
          </p>
          <p className="muted">{advice(result, protocol)}</p>
        </>
      )}
    </div>
  );
}
