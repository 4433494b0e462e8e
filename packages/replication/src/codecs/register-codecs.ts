import {
  type CodecName,
  currentDecodeWatcher,
  kafkajs,
  NotImplementedError,
  UndecodableBatchError,
} from "./decode-watch.ts";
import { snappyCodec } from "./snappy-codec.ts";

interface KafkajsCodec {
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
 * - lz4, zstd: no pure-JavaScript implementation fit to depend on (the maintained ones are native
 *   or WebAssembly builds), so they stay unreadable — unless another codec was registered for
 *   them before, which is then kept.
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
