import type { ReactNode } from "react";

/** A table that may be long: scrolls within a fixed height and is reachable by keyboard. */
export function ScrollBox({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: the scroll area must be reachable by keyboard
    <section className="fo-scroll" tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}
