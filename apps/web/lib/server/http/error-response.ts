import { AppError } from "@mirrordeck/contracts";
import { SecurityError } from "@mirrordeck/security";
import { ZodError, type z } from "zod";
import { logEvent } from "./request-log.ts";

/** Zod issues as `details.issues`: where and what, never the rejected value itself. */
export function validationError(error: z.ZodError, where: string): AppError {
  const issues = error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join("."),
    message: issue.message,
  }));
  const first = issues[0];
  return new AppError(
    "VALIDATION_FAILED",
    first === undefined ? `Invalid ${where}.` : `${first.path}: ${first.message}`,
    { issues },
  );
}

/** Any failure as an AppError; unexpected ones are logged with the request id and hidden. */
export function toAppError(error: unknown, requestId: string): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) return validationError(error, "input");
  if (error instanceof SecurityError && error.code === "SECRET_UNREADABLE") {
    return new AppError(
      "SECRET_KEY_MISSING",
      "A stored secret cannot be opened with the configured MIRRORDECK_SECRET_KEY; was the key changed?",
    );
  }
  if (error instanceof Error && error.name === "ClusterCredentialsMissing") {
    return new AppError("CLUSTER_AUTH_FAILED", `Cannot connect: ${error.message}.`);
  }
  if (isForeignKeyViolation(error)) {
    return new AppError(
      "IN_USE",
      "Something else refers to this (or it was removed meanwhile); reload and retry.",
    );
  }
  if (isNotFound(error)) {
    return new AppError("NOT_FOUND", "It no longer exists (removed meanwhile).");
  }
  if (isUniqueViolation(error)) {
    return new AppError("CONFLICT", "Something with that name already exists.");
  }
  logEvent("error", { requestId, msg: "unhandled API error", err: String(error).slice(0, 500) });
  return new AppError("INTERNAL", `Something went wrong on our side (request ${requestId}).`);
}

const prismaCode = (error: unknown): unknown =>
  typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
const isUniqueViolation = (error: unknown) => prismaCode(error) === "P2002";
const isForeignKeyViolation = (error: unknown) => prismaCode(error) === "P2003";
const isNotFound = (error: unknown) => prismaCode(error) === "P2025";

export function errorResponse(error: AppError, headers: HeadersInit = {}): Response {
  return Response.json(error.toJSON(), { status: error.status, headers });
}
