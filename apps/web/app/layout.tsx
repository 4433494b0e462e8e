import type { Metadata } from "next";
import type { ReactNode } from "react";
import { SignOutButton } from "@/components/sign-out-button.tsx";
import "./globals.css";
import { Providers } from "./providers.tsx";

export const metadata: Metadata = {
  title: "MirrorDeck",
  description: "Kafka replication control plane, MirrorMaker 2 compatible",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="app-header">
          <span className="brand">MirrorDeck</span>
          <nav aria-label="Main">
            <a href="/">Overview</a>
          </nav>
          <SignOutButton />
        </header>
        <Providers>
          <main>{children}</main>
        </Providers>
      </body>
    </html>
  );
}
