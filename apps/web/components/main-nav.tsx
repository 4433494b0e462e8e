"use client";

import { usePathname } from "next/navigation";
import { useMe } from "@/lib/use-me.ts";

const LINKS: { href: string; label: string; admin?: boolean }[] = [
  { href: "/", label: "Overview" },
  { href: "/clusters", label: "Clusters" },
  { href: "/flows", label: "Flows" },
  { href: "/import", label: "Import / export" },
  { href: "/audit", label: "Audit log", admin: true },
  { href: "/admin", label: "Users & tokens", admin: true },
];

/** The main navigation; admin pages are listed for admins only (the API refuses others anyway). */
export function MainNav() {
  const pathname = usePathname();
  const { can } = useMe();
  const current = (href: string) => (href === "/" ? pathname === "/" : pathname.startsWith(href));
  return (
    <nav aria-label="Main">
      {LINKS.filter((l) => !l.admin || can("ADMIN")).map((l) => (
        <a key={l.href} href={l.href} aria-current={current(l.href) ? "page" : undefined}>
          {l.label}
        </a>
      ))}
    </nav>
  );
}
