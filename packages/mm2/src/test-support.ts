import { expect } from "vitest";
import { Mm2Error } from "./mm2-error.ts";

/** Runs `fn` and returns the Mm2Error it throws; fails the test if it throws anything else or nothing. */
export function catchMm2Error(fn: () => unknown): Mm2Error {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(Mm2Error);
    return error as Mm2Error;
  }
  throw new Error("expected an Mm2Error, but nothing was thrown");
}

/** Runs `fn`; passes if it returns or throws an Mm2Error (the contract of every decoder/parser). */
export function returnsOrThrowsMm2Error(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof Mm2Error)) throw error;
  }
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}
