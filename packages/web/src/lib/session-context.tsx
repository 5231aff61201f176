import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { api, setCsrfToken } from '../api/api-client.ts';
import type { SessionResponse, SessionUser } from '../api/types.ts';

export interface Session {
  /** undefined while the first GET /session is in flight; null when signed out. */
  user: SessionUser | null | undefined;
  signIn(username: string, password: string): Promise<SessionUser>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }): ReactNode {
  const [user, setUser] = useState<SessionUser | null | undefined>(undefined);

  useEffect(() => {
    let alive = true;
    api.get<SessionResponse>('/api/v1/session').then(
      (session) => {
        setCsrfToken(session.csrfToken);
        if (alive) setUser(session.user);
      },
      () => {
        if (alive) setUser(null);
      },
    );
    return () => {
      alive = false;
    };
  }, []);

  const signIn = useCallback(async (username: string, password: string) => {
    const session = await api.post<SessionResponse>('/api/v1/session', { username, password });
    setCsrfToken(session.csrfToken);
    setUser(session.user);
    return session.user;
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.del('/api/v1/session');
    } finally {
      setCsrfToken(null);
      setUser(null);
    }
  }, []);

  const value = useMemo<Session>(() => ({ user, signIn, signOut }), [user, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (value === null) throw new Error('useSession outside SessionProvider');
  return value;
}

export function homePathFor(role: SessionUser['role']): string {
  return role === 'agent' ? '/agent' : role === 'supervisor' ? '/supervisor' : '/admin';
}
