"use client";

import { api } from "@/lib/api-client.ts";

export function SignOutButton() {
  return (
    <button
      type="button"
      className="link-button"
      onClick={async () => {
        await api.logout().catch(() => {});
        window.location.assign("/login");
      }}
    >
      Sign out
    </button>
  );
}
