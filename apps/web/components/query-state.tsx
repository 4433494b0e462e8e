import type { ReactNode } from "react";
import { errorText } from "@/lib/form-errors.ts";

/**
 * A loaded table's place on the page: "loading", the failure in words, an empty message, or the
 * table itself. `failed` starts the error sentence ("Could not load tokens"); `empty` returns
 * what to say when the data has nothing to show (null when it has).
 */
export function QueryState<T>({
  query,
  loading,
  failed,
  empty,
  children,
}: {
  query: { isPending: boolean; data: T | undefined; error: unknown };
  loading: string;
  failed: string;
  empty?: (data: T) => ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <p className="muted table-placeholder">{loading}</p>;
  if (query.data === undefined) {
    return (
      <p className="error-text table-placeholder" role="alert">
        {failed}: {errorText(query.error)}
      </p>
    );
  }
  const nothing = empty?.(query.data) ?? null;
  if (nothing !== null) return <p className="muted table-placeholder">{nothing}</p>;
  return children(query.data);
}
