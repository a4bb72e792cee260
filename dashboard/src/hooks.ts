// Loading API data into a view: the result, the error, and a reload; and a
// poll that keeps a view live while it is on screen.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  reload: () => void;
}

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const generation = useRef(0);
  const reload = useCallback(() => {
    const mine = ++generation.current;
    load().then(
      (value) => { if (mine === generation.current) { setData(value); setError(undefined); } },
      (failure: Error) => { if (mine === generation.current) setError(failure.message); });
  }, deps);
  useEffect(() => {
    setData(undefined);
    reload();
  }, [reload]);
  return { data, error, reload };
}

export const kPollMs = 1500;

// Aggregates cost the server more than a page of a list: polled less often.
export const kStatsPollMs = 10_000;

// Calls `tick` every `everyMs` while the page is visible.
export function usePoll(tick: () => void, deps: unknown[], everyMs = kPollMs) {
  useEffect(() => {
    const timer = setInterval(() => { if (!document.hidden) tick(); }, everyMs);
    return () => clearInterval(timer);
  }, deps);
}
