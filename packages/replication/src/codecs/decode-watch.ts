import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";

/**
 * kafkajs is CommonJS and Node's ESM loader does not see its error classes or codec table by
 * name, so they are required here, typed against kafkajs's own declarations.
 */
export const kafkajs = createRequire(import.meta.url)("kafkajs") as typeof import("kafkajs");

/** Kafka's names for the record batch compression codecs (`compression.type`). */
export type CodecName = "gzip" | "snappy" | "lz4" | "zstd";

/** Told, synchronously and inside the fetch that decodes it, of each batch that could not be decoded. */
export interface DecodeWatcher {
  /** `reason` is null when the engine has no codec at all, else why the codec failed. */
  undecodable(codec: CodecName, reason: string | null): void;
}

const watchers = new AsyncLocalStorage<DecodeWatcher>();

/**
 * Runs `start` (a consumer's `run()`) so that every fetch response that consumer decodes later
 * — its fetch loops are promise chains started inside `start` — reports undecodable batches to
 * `watcher`. kafkajs's codec table is process-wide; this is how a codec knows whose fetch it serves.
 */
export function runWatched<T>(watcher: DecodeWatcher, start: () => T): T {
  return watchers.run(watcher, start);
}

export function currentDecodeWatcher(): DecodeWatcher | undefined {
  return watchers.getStore();
}

/**
 * Thrown by a codec, inside a watched fetch, for a batch it cannot decode. It is a
 * `KafkaJSPartialMessageError` on purpose: kafkajs's fetch decoder treats that error as "the data
 * of this partition ends here" (it is how it skips a batch cut off by the fetch size limit). So
 * the partition yields the records before the batch and nothing after it, its fetch position
 * stays on the batch, and every other partition of the same fetch response is decoded and
 * delivered as usual — instead of the whole fetch failing and the consumer crashing.
 */
export class UndecodableBatchError extends (kafkajs.KafkaJSPartialMessageError as unknown as ErrorClass) {}

/** What kafkajs throws for a codec it lacks (its declarations omit the constructor's message). */
export const NotImplementedError = kafkajs.KafkaJSNotImplemented as unknown as ErrorClass;

type ErrorClass = new (message: string) => Error;
