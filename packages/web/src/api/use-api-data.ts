import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from './api-client.ts';

export interface ApiData<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload(): void;
}

/** GETs `path` (null = nothing yet) and keeps the answer; reload() fetches again after an edit. */
export function useApiData<T>(path: string | null): ApiData<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (path === null) return undefined;
    let alive = true;
    setLoading(true);
    api.get<T>(path).then(
      (value) => {
        if (!alive) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (!alive) return;
        setError(e instanceof ApiError ? `${e.message} (${e.code})` : String(e));
        setLoading(false);
      },
    );
    return () => {
      alive = false;
    };
  }, [path, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data, error, loading, reload };
}
