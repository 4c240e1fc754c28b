import { useEffect, type ReactNode } from "react";
import { NavLink, useLocation, useNavigate } from "react-router";
import { useAuth, useMe } from "../lib/auth";

const links: Record<string, { to: string; label: string }[]> = {
  DIRECTOR: [
    { to: "/alerts", label: "Alert worklist" },
    { to: "/overview", label: "Sites overview" },
  ],
  CLINICIAN: [{ to: "/caseload", label: "My caseload" }],
  ADMIN: [
    { to: "/overview", label: "Sites overview" },
    { to: "/alerts", label: "Alert worklist" },
    { to: "/admin", label: "Administration" },
  ],
  INTEGRATOR: [{ to: "/overview", label: "Sites overview" }],
};

export function Layout({ children }: { children: ReactNode }) {
  const me = useMe();
  const { signOut } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();

  // A new page moves the focus to its content, as a page load would, for keyboard and screen-reader users.
  useEffect(() => {
    document.getElementById("main")?.focus({ preventScroll: true });
  }, [location.pathname]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <div className="app-header__inner">
          <NavLink to="/" className="app-header__brand">
            FeedbackPlatform
          </NavLink>
          <nav className="app-nav" aria-label="Main">
            {(links[me.role] ?? []).map((link) => (
              <NavLink key={link.to} to={link.to} end={false}>
                {link.label}
              </NavLink>
            ))}
          </nav>
          <div className="app-header__person">
            <span>
              {me.displayName} · {me.role.toLowerCase()} · {me.organization}
            </span>
            <button
              type="button"
              className="button"
              onClick={async () => {
                await signOut();
                navigate("/sign-in", { replace: true });
              }}
            >
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
