import { useEffect, useRef } from "react";
import { useLocation, useNavigate } from "react-router";
import { useTitle } from "../hooks";
import { Loading } from "../components/States";
import { beginAdminSession, ssoNext } from "./LoginPage";

/** The session the server put in the URL fragment after single sign-on (`#access_token=…&expires_in=…`). */
export function ssoToken(hash: string): string | null {
  const fragment = new URLSearchParams(hash.startsWith("#") ? hash.slice(1) : hash);
  const token = fragment.get("access_token")?.trim();
  return token ? token : null;
}

/**
 * Where the OpenID provider's round trip ends (`/admin/sso`): the server sends the session in the
 * fragment (never sent to a server, never in a `Referer`). It starts the session as a password
 * sign-in does, leaves the address without the token, and goes on into the console.
 */
export function SsoPage() {
  useTitle("Signing in");
  const location = useLocation();
  const navigate = useNavigate();
  const done = useRef(false);

  useEffect(() => {
    if (done.current) return;
    done.current = true;
    const token = ssoToken(location.hash);
    if (!token) {
      navigate(`/admin/login?${new URLSearchParams({ sso_error: "The single sign-on answer carried no session. Try again." })}`, {
        replace: true,
      });
      return;
    }
    beginAdminSession(token);
    // Replacing this entry drops the fragment: the token stays neither in the address bar nor in the history.
    navigate(ssoNext.take(), { replace: true });
  }, [location.hash, navigate]);

  return (
    <main className="centered-page">
      <Loading label="Signing in…" />
    </main>
  );
}
