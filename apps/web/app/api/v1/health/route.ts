export const dynamic = "force-dynamic";

/** Liveness: the process serves requests. Readiness (dependencies) is a separate endpoint. */
export function GET(): Response {
  return Response.json({ status: "ok" });
}
