import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get } from './api';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * GETs `path` (null: nothing to load yet) whenever it changes. A response that arrives after the
 * path changed (or the view went away) is dropped, not aborted: nothing is cancelled mid-flight.
 */
export function useApi<T>(path: string | null, pollMs?: number): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: path !== null });
  const [tick, setTick] = useState(0);
  const live = useRef(true);
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);
  useEffect(() => {
    if (path === null) return;
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => {
      setState((s) => ({ ...s, loading: true }));
      get<T>(path).then(
        (data) => current && live.current && setState({ data, loading: false }),
        (error: ApiError) => current && live.current && setState((s) => ({ data: s.data, error, loading: false })),
      ).finally(() => {
        // Polling: the next request only after this one finished, and not while the tab is hidden.
        if (pollMs && current && live.current) timer = setTimeout(function again() {
          if (!current) return;
          if (document.hidden) timer = setTimeout(again, pollMs);
          else load();
        }, pollMs);
      });
    };
    load();
    return () => {
      current = false;
      if (timer) clearTimeout(timer);
    };
  }, [path, tick, pollMs]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** Sets the document title for the current view. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · tollgate console`;
  }, [title]);
}
