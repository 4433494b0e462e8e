import {
  type CodecName,
  currentDecodeWatcher,
  kafkajs,
  NotImplementedError,
  UndecodableBatchError,
} from "./decode-watch.ts";
import { lz4Codec } from "./lz4-codec.ts";
import { snappyCodec } from "./snappy-codec.ts";
import { zstdCodec } from "./zstd-codec.ts";

export interface KafkajsCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}
type CodecFactory = () => KafkajsCodec;

/** Set on kafkajs's codec table itself, so that two copies of this module install once. */
const REGISTERED = Symbol.for("mirrordeck.codecs.registered");

/**
 * Installs the record batch codecs this engine reads into kafkajs's (process-wide) codec table,
 * once: later calls change nothing, also when a codec was replaced since.
 *
 * - gzip: kafkajs's own (zlib).
 * - snappy: pure JavaScript (`snappyjs`), reading both Java's xerial framing and raw blocks.
 * - lz4: our own frame decoder (lz4-codec.ts); zstd: `fzstd` (pure JavaScript). Both read only:
 *   the engine writes uncompressed batches.
 * A codec registered for a type before this runs is kept (wrapped as below) instead of ours.
 *
 * Every codec is wrapped so that a batch it cannot decode, inside a fetch run under
 * {@link runWatched}, is reported to the watcher and ends that partition's data for the fetch
 * (see {@link UndecodableBatchError}) instead of failing the fetch of every partition. Outside a
 * watched fetch the behaviour is kafkajs's: the error is thrown as is.
 */
export function registerCodecs(): void {
  const { CompressionCodecs: table, CompressionTypes: types } = kafkajs;
  const codecs = table as unknown as Record<number, CodecFactory> & { [REGISTERED]?: true };
  if (codecs[REGISTERED]) return;
  codecs[REGISTERED] = true;
  if (!usable(codecs[types.Snappy])) codecs[types.Snappy] = () => snappyCodec;
  if (!usable(codecs[types.LZ4])) codecs[types.LZ4] = () => lz4Codec;
  if (!usable(codecs[types.ZSTD])) codecs[types.ZSTD] = () => zstdCodec;
  const names: [number, CodecName][] = [
    [types.GZIP, "gzip"],
    [types.Snappy, "snappy"],
    [types.LZ4, "lz4"],
    [types.ZSTD, "zstd"],
  ];
  for (const [type, name] of names) {
    const inner = usable(codecs[type]);
    const codec = inner ? watched(name, inner) : unreadable(name);
    codecs[type] = () => codec;
  }
}

/**
 * Installs `inner` as the codec of `type`, watched like the others (registerCodecs must have run).
 * Returns what restores the codec it replaced. For tests that need a decoder that fails.
 */
export function replaceCodec(type: number, name: CodecName, inner: KafkajsCodec): () => void {
  const codecs = kafkajs.CompressionCodecs as unknown as Record<number, CodecFactory>;
  const previous = codecs[type];
  const codec = watched(name, inner);
  codecs[type] = () => codec;
  return () => {
    if (previous) codecs[type] = previous;
  };
}

/** The codec a kafkajs factory gives, or null when it has none (kafkajs's placeholders throw). */
function usable(factory: CodecFactory | undefined): KafkajsCodec | null {
  try {
    return factory?.() ?? null;
  } catch {
    return null;
  }
}

function watched(name: CodecName, inner: KafkajsCodec): KafkajsCodec {
  return {
    compress: (encoder) => inner.compress(encoder),
    async decompress(buffer) {
      try {
        return await inner.decompress(buffer);
      } catch (error) {
        const watcher = currentDecodeWatcher();
        if (!watcher) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        watcher.undecodable(name, reason);
        throw new UndecodableBatchError(`${name} batch could not be decoded: ${reason}`);
      }
    },
  };
}

function unreadable(name: CodecName): KafkajsCodec {
  const notImplemented = () => new NotImplementedError(`${name} compression not implemented`);
  return {
    async compress() {
      throw notImplemented();
    },
    async decompress() {
      const watcher = currentDecodeWatcher();
      if (!watcher) throw notImplemented();
      watcher.undecodable(name, null);
      throw new UndecodableBatchError(`${name} compression not implemented`);
    },
  };
}
