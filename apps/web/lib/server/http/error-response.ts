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
  if (isUniqueViolation(error)) {
    return new AppError("CONFLICT", "Something with that name already exists.");
  }
  logEvent("error", { requestId, msg: "unhandled API error", err: String(error).slice(0, 500) });
  return new AppError("INTERNAL", `Something went wrong on our side (request ${requestId}).`);
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

export function errorResponse(error: AppError, headers: HeadersInit = {}): Response {
  return Response.json(error.toJSON(), { status: error.status, headers });
}
