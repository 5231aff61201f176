import { useEffect, useState } from 'react';

/** The wall clock, re-read every `intervalMs` to redraw running durations (a render tick, never a server poll). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
