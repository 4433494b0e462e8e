// Two lengths of the same suite: `npm test` runs the short one (fits CI), `npm run test:chaos`
// the full one (CHAOS_PROFILE=full): longer traffic, longer outages, every scenario.
export const fullProfile = process.env.CHAOS_PROFILE === "full";

/** Milliseconds the flow runs under traffic before the fault, and after it before the check. */
export const trafficMs = fullProfile ? 15_000 : 4_000;

/** `it` for scenarios that only the full profile runs. */
export const onlyInFull = fullProfile ? "run" : "skip";

/**
 * CHAOS_DELIVERY=exactly-once (`npm run test:chaos:eos`): every scenario's flow runs in
 * exactly-once mode (ADR 0015) and the target is read with read_committed, as always; then no
 * scenario may leave a duplicate, whatever its at-least-once bound.
 */
export const exactlyOnceMode = process.env.CHAOS_DELIVERY === "exactly-once";
