import { useLayoutEffect, useState } from 'react';

/** The current time, refreshed every `intervalMs` (uptimes and retry countdowns need it). */
export function useClock(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useLayoutEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
