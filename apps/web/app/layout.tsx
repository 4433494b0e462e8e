import type { Metadata } from "next";
import type { ReactNode } from "react";
import { MainNav } from "@/components/main-nav.tsx";
import { SignOutButton } from "@/components/sign-out-button.tsx";
import { SystemStatusBanner } from "@/components/system-status-banner.tsx";
import { THEME_BOOT_SCRIPT, ThemeToggle } from "@/components/theme-toggle.tsx";
import "./globals.css";
import { Providers } from "./providers.tsx";

export const metadata: Metadata = {
  title: "MirrorDeck",
  description: "Kafka replication control plane, MirrorMaker 2 compatible",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant, applied before paint to avoid a theme flash */}
        <script dangerouslySetInnerHTML={{ __html: THEME_BOOT_SCRIPT }} />
      </head>
      <body>
        <Providers>
          <header className="app-header">
            <span className="brand">MirrorDeck</span>
            <MainNav />
            <div className="header-actions">
              <ThemeToggle />
              <SignOutButton />
            </div>
          </header>
          <SystemStatusBanner />
          <main>{children}</main>
        </Providers>
      </body>
    </html>
  );
}
