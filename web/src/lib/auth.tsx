import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { fetchMe, signOut as endSession, type Me } from "./session";
import { whenUnauthenticated } from "./api";

interface AuthState {
  /** undefined while asking the platform, null when nobody is signed in. */
  me: Me | null | undefined;
  /** Set when a session ended under the person (expired, signed out elsewhere): sign-in says so. */
  expired: boolean;
  signedIn(me: Me): void;
  signOut(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    let live = true;
    fetchMe()
      .then((answer) => live && setMe(answer))
      .catch(() => live && setMe(null));
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    whenUnauthenticated(() => {
      setMe((current) => {
        if (current) setExpired(true);
        return null;
      });
    });
  }, []);

  const signedIn = useCallback((person: Me) => {
    setExpired(false);
    setMe(person);
  }, []);

  const signOut = useCallback(async () => {
    try {
      await endSession();
    } finally {
      setExpired(false);
      setMe(null);
    }
  }, []);

  const value = useMemo(() => ({ me, expired, signedIn, signOut }), [me, expired, signedIn, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error("useAuth outside AuthProvider");
  return state;
}

/** The signed-in person, for pages that are only reached signed in. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error("useMe without a signed-in person");
  return me;
}
