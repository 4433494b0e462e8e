// TLS material of a secured local broker: a throw-away CA and a server certificate for 127.0.0.1 and
// localhost, made once per stack directory with openssl. Clients trust `ca.pem`; the broker reads
// `server.pem` (private key and chain) as a PEM keystore.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { outputTail, runCommand } from "./run-command.ts";
import type { ClusterSpec, StackConfig } from "./stack-config.ts";
import { StackError } from "./stack-error.ts";

export interface BrokerTls {
  dir: string;
  caFile: string;
  /** Private key, server certificate and CA, in one file (Kafka's PEM keystore). */
  keystoreFile: string;
}

export function brokerTlsPaths(config: StackConfig, cluster: Pick<ClusterSpec, "alias">): BrokerTls {
  const dir = path.join(config.stackDir, "config", cluster.alias, "tls");
  return { dir, caFile: path.join(dir, "ca.pem"), keystoreFile: path.join(dir, "server.pem") };
}

/** The CA certificate clients of the secured listener must trust. */
export function brokerCaCertificate(config: StackConfig, cluster: Pick<ClusterSpec, "alias">): string {
  return readFileSync(brokerTlsPaths(config, cluster).caFile, "utf8");
}

export async function ensureBrokerTls(config: StackConfig, cluster: ClusterSpec): Promise<BrokerTls> {
  const tls = brokerTlsPaths(config, cluster);
  if (existsSync(tls.caFile) && existsSync(tls.keystoreFile)) return tls;
  mkdirSync(tls.dir, { recursive: true });
  const file = (name: string) => path.join(tls.dir, name);
  writeFileSync(file("san.cnf"), `subjectAltName=IP:${cluster.host},IP:127.0.0.1,DNS:localhost\n`);
  const steps: string[][] = [
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      file("ca.key"),
      "-out",
      tls.caFile,
      "-days",
      "3650",
      "-subj",
      "/CN=MirrorDeck local test CA",
    ],
    [
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      file("server.key"),
      "-out",
      file("server.csr"),
      "-subj",
      "/CN=localhost",
    ],
    [
      "x509",
      "-req",
      "-in",
      file("server.csr"),
      "-CA",
      tls.caFile,
      "-CAkey",
      file("ca.key"),
      "-CAcreateserial",
      "-out",
      file("server.crt"),
      "-days",
      "3650",
      "-extfile",
      file("san.cnf"),
    ],
    // PKCS#8, unencrypted: what Kafka's PEM keystore reads without a key password.
    ["pkcs8", "-topk8", "-nocrypt", "-in", file("server.key"), "-out", file("server.pk8")],
  ];
  for (const args of steps) {
    const result = await runCommand("openssl", args, { cwd: tls.dir });
    if (result.code !== 0) {
      throw new StackError(`openssl ${args[0]} failed (exit ${result.code}):\n${outputTail(result.output)}`);
    }
  }
  const pem = ["server.pk8", "server.crt"].map((name) => readFileSync(file(name), "utf8")).join("");
  writeFileSync(tls.keystoreFile, pem + readFileSync(tls.caFile, "utf8"), { mode: 0o600 });
  return tls;
}
