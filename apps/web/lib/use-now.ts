"use client";

import { useEffect, useState } from "react";

/** The current time, re-read every `intervalMs` while `live`: elapsed times that tick on screen. */
export function useNow(live: boolean, intervalMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [live, intervalMs]);
  return now;
}
