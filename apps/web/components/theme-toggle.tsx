"use client";

import { useEffect, useState } from "react";

type Theme = "light" | "dark";

/** Switches light/dark; the choice is kept in localStorage and applied before paint (see layout). */
export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme | null>(null);
  useEffect(() => {
    const current = document.documentElement.dataset.theme as Theme | undefined;
    setTheme(current ?? (window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light"));
  }, []);
  const next: Theme = theme === "dark" ? "light" : "dark";
  return (
    <button
      type="button"
      className="link-button"
      aria-label={`Switch to ${next} theme`}
      onClick={() => {
        document.documentElement.dataset.theme = next;
        localStorage.setItem("mirrordeck-theme", next);
        setTheme(next);
      }}
    >
      {theme === null ? "Theme" : theme === "dark" ? "Light theme" : "Dark theme"}
    </button>
  );
}

/** Runs before the first paint: no flash of the wrong theme. */
export const THEME_BOOT_SCRIPT = `try{var t=localStorage.getItem("mirrordeck-theme");if(t==="light"||t==="dark")document.documentElement.dataset.theme=t}catch(e){}`;
