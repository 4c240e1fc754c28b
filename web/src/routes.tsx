import { lazy, Suspense, type ReactNode } from "react";
import { createBrowserRouter, Navigate, Outlet, useLocation } from "react-router";
import { useAuth } from "./lib/auth";
import { Layout } from "./components/Layout";
import { Loading } from "./components/States";
import { SignInPage } from "./pages/SignIn";
import type { Role } from "./lib/session";

// Pages load on first visit, so the sign-in page does not carry the charts. Every path holds only UUIDs:
// no client id, name or free text ever goes into a URL.
const InvitationPage = lazy(() => import("./pages/Invitation"));
const OverviewPage = lazy(() => import("./pages/Overview"));
const SitePage = lazy(() => import("./pages/Site"));
const WorklistPage = lazy(() => import("./pages/Worklist"));
const AlertPage = lazy(() => import("./pages/Alert"));
const EpisodePage = lazy(() => import("./pages/Episode"));
const CaseloadPage = lazy(() => import("./pages/Caseload"));
// The client's own page, reached by a feedback link: outside the signed-in app, with no way into it.
const ClientFeedbackPage = lazy(() => import("./pages/ClientFeedback"));
const AdminLayout = lazy(() => import("./pages/admin/AdminLayout"));
const PeoplePage = lazy(() => import("./pages/admin/People"));
const ApiKeysPage = lazy(() => import("./pages/admin/ApiKeys"));
const DirectoryPage = lazy(() => import("./pages/admin/Directory"));
const AlertRulesPage = lazy(() => import("./pages/admin/AlertRules"));
const NotificationsPage = lazy(() => import("./pages/admin/Notifications"));
const AccessLogPage = lazy(() => import("./pages/admin/AccessLog"));
const SecurityPage = lazy(() => import("./pages/admin/Security"));
const ErasurePage = lazy(() => import("./pages/admin/Erasure"));

function Page({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading what="the page" />}>{children}</Suspense>;
}

/** Signed-in pages: nobody signed in (or the session ended) goes to sign-in, and comes back here afterwards. */
function SignedIn() {
  const { me } = useAuth();
  const location = useLocation();
  if (me === undefined) return <Loading what="your session" />;
  if (me === null) {
    const next = location.pathname + location.search;
    return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return (
    <Layout>
      <Outlet />
    </Layout>
  );
}

export function startPage(role: Role): string {
  switch (role) {
    case "CLINICIAN":
      return "/caseload";
    case "DIRECTOR":
      return "/alerts";
    default:
      return "/overview";
  }
}

function Start() {
  const { me } = useAuth();
  return me ? <Navigate to={startPage(me.role)} replace /> : null;
}

export const router = createBrowserRouter([
  { path: "/sign-in", element: <SignInPage /> },
  { path: "/invitation", element: <Page><InvitationPage /></Page> },
  { path: "/f/:token", element: <Page><ClientFeedbackPage /></Page> },
  {
    element: <SignedIn />,
    children: [
      { index: true, element: <Start /> },
      { path: "overview", element: <Page><OverviewPage /></Page> },
      { path: "sites/:siteId", element: <Page><SitePage /></Page> },
      { path: "alerts", element: <Page><WorklistPage /></Page> },
      { path: "alerts/:alertId", element: <Page><AlertPage /></Page> },
      { path: "episodes/:episodeId", element: <Page><EpisodePage /></Page> },
      { path: "caseload", element: <Page><CaseloadPage /></Page> },
      {
        path: "admin",
        element: <Page><AdminLayout /></Page>,
        children: [
          { index: true, element: <Navigate to="/admin/people" replace /> },
          { path: "people", element: <Page><PeoplePage /></Page> },
          { path: "api-keys", element: <Page><ApiKeysPage /></Page> },
          { path: "sites", element: <Page><DirectoryPage /></Page> },
          { path: "rules", element: <Page><AlertRulesPage /></Page> },
          { path: "notifications", element: <Page><NotificationsPage /></Page> },
          { path: "access-log", element: <Page><AccessLogPage /></Page> },
          { path: "security", element: <Page><SecurityPage /></Page> },
          { path: "erasure", element: <Page><ErasurePage /></Page> },
        ],
      },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
]);

function NotFoundPage() {
  return (
    <div role="alert" className="notice notice--error">
      <h1>Not found</h1>
      <p>This page does not exist. Use the menu above.</p>
    </div>
  );
}
