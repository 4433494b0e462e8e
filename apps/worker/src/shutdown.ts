import type { Logger } from "./logger.ts";

type Closer = { name: string; close: () => Promise<unknown> };

/**
 * Owns every long-lived resource of the process and closes them in reverse order of registration
 * (stop taking jobs → drain → close Redis → close the database) on SIGTERM/SIGINT.
 */
export class ShutdownManager {
  private readonly closers: Closer[] = [];
  private shuttingDown = false;

  constructor(private readonly log: Logger) {}

  register(name: string, close: () => Promise<unknown>): void {
    this.closers.push({ name, close });
  }

  listen(): void {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      process.once(signal, () => {
        this.log.info({ signal }, "shutting down");
        void this.shutdown().then((code) => process.exit(code));
      });
    }
  }

  async shutdown(): Promise<number> {
    if (this.shuttingDown) return 0;
    this.shuttingDown = true;
    let code = 0;
    for (const closer of [...this.closers].reverse()) {
      try {
        await closer.close();
        this.log.debug({ resource: closer.name }, "closed");
      } catch (error) {
        code = 1;
        this.log.error({ resource: closer.name, err: error }, "failed to close");
      }
    }
    return code;
  }
}
