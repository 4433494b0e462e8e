import { pino } from "pino";

export type Logger = pino.Logger;

export function createLogger(level: string, workerId: string): Logger {
  return pino({ level, base: { component: "worker", workerId } });
}
