// Progress lines printed by stack commands.

export type Reporter = (line: string) => void;

export const consoleReporter: Reporter = (line) => {
  console.log(`[stack] ${line}`);
};

/** Seconds elapsed since `startMs` (a performance.now() value), e.g. "4.2 s". */
export function elapsed(startMs: number): string {
  return `${((performance.now() - startMs) / 1000).toFixed(1)} s`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
