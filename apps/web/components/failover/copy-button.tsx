"use client";

import { useState } from "react";

/**
 * Copies `text` and says so; when the clipboard is out of reach (plain HTTP, permissions), says to
 * select the text instead, since the text is on screen beside the button.
 */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [said, setSaid] = useState<string | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setSaid("Copied.");
    } catch {
      setSaid("The clipboard is not available here: select the text and copy it.");
    }
  }
  return (
    <span className="fo-copy">
      <button type="button" onClick={() => void copy()} aria-label={label}>
        Copy
      </button>
      <span className="muted" role="status">
        {said}
      </span>
    </span>
  );
}
