import { AppError } from "@mirrordeck/contracts";

/**
 * Reads a request body, refusing it once it passes `maxBytes` (whatever Content-Length claims),
 * so an oversized upload costs at most `maxBytes` of memory.
 */
export async function readBodyBytes(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  if (request.body === null) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** UTF-8 text of a body; anything else is refused. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("VALIDATION_FAILED", "The request body is not valid UTF-8 text.");
  }
}

function tooLarge(maxBytes: number): AppError {
  return new AppError(
    "PAYLOAD_TOO_LARGE",
    `The request body is larger than ${maxBytes.toLocaleString("en")} bytes.`,
    {
      maxBytes,
    },
  );
}

/** Parses a JSON body; an empty body counts as `{}` so action endpoints need none. */
export function parseJsonBody(text: string, contentType: string | null): unknown {
  if (text.trim() === "") return {};
  if (contentType === null || !/^application\/json\b/i.test(contentType)) {
    throw new AppError(
      "UNSUPPORTED_MEDIA_TYPE",
      "Send the body as JSON with Content-Type: application/json.",
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    // Where, not what: the parser's message quotes the body, which may hold a secret.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new AppError(
      "MALFORMED_JSON",
      `The body is not valid JSON${position === undefined ? "" : ` (near character ${position})`}.`,
    );
  }
}
