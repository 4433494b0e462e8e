import { connect } from "node:net";

/** API key → [min, max] version, as one broker advertises in ApiVersions (works before SASL). */
export type ApiVersionRanges = Map<number, [number, number]>;

const API_VERSIONS_KEY = 18;
const FETCH_KEY = 1;
// StreamsGroupHeartbeat (KIP-1071) arrived in 4.1.
const STREAMS_GROUP_HEARTBEAT_KEY = 88;
// DescribeTopicPartitions (KIP-966) arrived in 3.8; AddRaftVoter (KIP-853) in 3.9.
const DESCRIBE_TOPIC_PARTITIONS_KEY = 75;
const ADD_RAFT_VOTER_KEY = 80;

/** Sends ApiVersions v0 to `host:port` over plain TCP; null when the broker cannot be asked. */
export function fetchApiVersions(hostPort: string, timeoutMs: number): Promise<ApiVersionRanges | null> {
  const index = hostPort.lastIndexOf(":");
  const host = hostPort.slice(0, index).replace(/^\[|\]$/g, "");
  const port = Number(hostPort.slice(index + 1));
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const chunks: Buffer[] = [];
    const done = (value: ApiVersionRanges | null) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => done(null));
    socket.on("error", () => done(null));
    socket.on("connect", () => {
      const clientId = Buffer.from("mirrordeck");
      const request = Buffer.alloc(4 + 2 + 2 + 4 + 2 + clientId.length);
      request.writeInt32BE(request.length - 4, 0);
      request.writeInt16BE(API_VERSIONS_KEY, 4);
      request.writeInt16BE(0, 6);
      request.writeInt32BE(1, 8);
      request.writeInt16BE(clientId.length, 12);
      clientId.copy(request, 14);
      socket.write(request);
    });
    socket.on("data", (chunk) => {
      chunks.push(chunk);
      const data = Buffer.concat(chunks);
      if (data.length < 4 || data.length < 4 + data.readInt32BE(0)) return;
      done(decode(data));
    });
  });
}

function decode(data: Buffer): ApiVersionRanges | null {
  // size, correlation id, error code, array of [key, min, max]
  if (data.length < 14 || data.readInt16BE(8) !== 0) return null;
  const count = data.readInt32BE(10);
  if (count < 0 || 14 + count * 6 > data.length) return null;
  const ranges: ApiVersionRanges = new Map();
  for (let i = 0; i < count; i++) {
    const at = 14 + i * 6;
    ranges.set(data.readInt16BE(at), [data.readInt16BE(at + 2), data.readInt16BE(at + 4)]);
  }
  return ranges;
}

/**
 * The Kafka release line the advertised APIs imply: Kafka does not report its version on the
 * wire, so this names the oldest release that has every API seen ("4.0 or newer", …).
 */
export function inferKafkaVersion(ranges: ApiVersionRanges): string {
  const fetch = ranges.get(FETCH_KEY);
  // Kafka 4.0 dropped Fetch v0-v3 (KIP-896).
  if (fetch !== undefined && fetch[0] >= 4) {
    return ranges.has(STREAMS_GROUP_HEARTBEAT_KEY) ? "4.1 or newer" : "4.0";
  }
  if (ranges.has(ADD_RAFT_VOTER_KEY)) return "3.9";
  if (ranges.has(DESCRIBE_TOPIC_PARTITIONS_KEY)) return "3.8";
  return "3.7 or older";
}
