import { AppError } from "@mirrordeck/contracts";

/**
 * Wraps a route handler so that every failure leaves as `{ error: { code, message, details } }`:
 * an AppError with its status, anything else as a 500 whose cause goes to the log, not the client.
 */
export function apiRoute<Args extends unknown[]>(
  handler: (...args: Args) => Promise<Response>,
): (...args: Args) => Promise<Response> {
  return async (...args: Args) => {
    try {
      return await handler(...args);
    } catch (error) {
      if (error instanceof AppError) return Response.json(error.toJSON(), { status: error.status });
      const requestId = crypto.randomUUID();
      console.error(
        JSON.stringify({ level: "error", requestId, msg: "unhandled API error", err: String(error) }),
      );
      return Response.json(
        new AppError("INTERNAL", `Something went wrong on our side (request ${requestId}).`).toJSON(),
        { status: 500 },
      );
    }
  };
}
