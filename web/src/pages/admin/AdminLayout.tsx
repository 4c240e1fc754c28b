import { NavLink, Outlet } from "react-router";
import { useMe } from "../../lib/auth";
import { NotFound } from "../../components/States";

export const adminPages = [
  { path: "people", label: "People" },
  { path: "api-keys", label: "API keys" },
  { path: "sites", label: "Sites and therapists" },
  { path: "rules", label: "Alert rules" },
  { path: "notifications", label: "Notifications" },
  { path: "access-log", label: "Access log" },
  { path: "security", label: "Security" },
  { path: "erasure", label: "Erasure" },
] as const;

/** The admin pages under one menu. Others see what the API would answer them: nothing here. */
export default function AdminLayout() {
  const me = useMe();
  if (me.role !== "ADMIN") return <NotFound what="Page" />;
  return (
    <>
      <nav aria-label="Administration" className="sub-nav">
        {adminPages.map((page) => (
          <NavLink key={page.path} to={`/admin/${page.path}`}>
            {page.label}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </>
  );
}
