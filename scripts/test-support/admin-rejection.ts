import { expect } from "vitest";
import { AdminError } from "../../packages/replication/src/kafkajs/admin-error.ts";

/** Awaits a promise that must reject with an AdminError, and returns that error. */
export async function adminRejection(promise: Promise<unknown>): Promise<AdminError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AdminError);
  return error as AdminError;
}
