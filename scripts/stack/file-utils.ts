// Small filesystem helpers: atomic writes (a killed command never leaves half a file), JSON state,
// log tails and rotation.
import { closeSync, openSync, readSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";

export function writeFileAtomic(file: string, content: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

export async function readJsonFile<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as T;
  } catch {
    // Missing or unreadable (e.g. truncated by a crash): treat as absent.
    return null;
  }
}

/** The last `lines` lines of a text file ("" if it doesn't exist). Reads at most the last 64 KiB. */
export function tailFile(file: string, lines: number): string {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return "";
  }
  try {
    const size = statSync(file).size;
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const text = buffer.toString("utf8").replace(/\n+$/, "");
    return text.split("\n").slice(-lines).join("\n");
  } finally {
    closeSync(fd);
  }
}

/** Keep one previous generation: `file` is renamed to `previous` (replacing an older one). */
export function rotateFile(file: string, previous: string): void {
  try {
    renameSync(file, previous);
  } catch {
    // Nothing to rotate.
  }
}

export function removeFile(file: string): void {
  rmSync(file, { force: true });
}
