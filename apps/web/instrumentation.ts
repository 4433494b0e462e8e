/** Runs once when a server process starts. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // The Prometheus registry and its process collectors, ready before the first request.
  const { webMetrics } = await import("./lib/server/prometheus.ts");
  webMetrics();
  const { ensureBootstrapAdmin } = await import("./lib/server/bootstrap-admin.ts");
  await ensureBootstrapAdmin().catch((error: unknown) => {
    console.error(
      JSON.stringify({ level: "error", msg: "could not create the first admin", err: String(error) }),
    );
  });
}
