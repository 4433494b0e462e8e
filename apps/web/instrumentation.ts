/** Runs once when a server process starts. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { ensureBootstrapAdmin } = await import("./lib/server/bootstrap-admin.ts");
  await ensureBootstrapAdmin().catch((error: unknown) => {
    console.error(
      JSON.stringify({ level: "error", msg: "could not create the first admin", err: String(error) }),
    );
  });
}
