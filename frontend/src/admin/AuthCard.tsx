import type { ReactNode } from "react";
import { Link } from "react-router";
import { Alert } from "../components/Alert";
import { Brand } from "../components/Brand";

/** The one-time secret of an account link: the part after `#` (browsers never send it to a server). */
export function linkSecret(hash: string): string {
  const raw = hash.startsWith("#") ? hash.slice(1) : hash;
  try {
    return decodeURIComponent(raw).trim();
  } catch {
    return raw.trim();
  }
}

/** The frame of the public account pages (first-run setup, sign-in, invitation, password reset). */
export function AuthCard({
  title,
  subtitle = "Admin console",
  wide,
  children,
}: {
  title: string;
  subtitle?: string;
  /** For a longer form (first-run setup). */
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <main className="auth-page">
      <div className={`auth-card${wide ? " auth-card-wide" : ""} card`}>
        <Brand subtitle={subtitle} />
        <h1 className="auth-title">{title}</h1>
        {children}
      </div>
    </main>
  );
}

/** A link opened without its secret (cut off when copied, or typed by hand). */
export function IncompleteLink({ what }: { what: string }) {
  return (
    <>
      <Alert tone="warning" title="This link is incomplete">
        <p>
          Open the whole link from the {what}, including the part after <code>#</code>.
        </p>
      </Alert>
      <p className="auth-alt">
        <Link to="/admin/login">Go to sign in</Link>
      </p>
    </>
  );
}
