import { ApiError } from "./api-client.ts";

/** An error's message for people (anything thrown, not only Errors). */
export const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

export type FormErrors<F extends string> = Partial<Record<F | "form", string>>;

/**
 * A refused form submission as the form shows it: the API's message for each of `fields` beside
 * that field, and its overall message under `form` when none of them has one (or when no API
 * answer came at all).
 */
export function fieldErrors<F extends string>(error: unknown, fields: readonly F[]): FormErrors<F> {
  if (!(error instanceof ApiError)) return { form: errorText(error) } as FormErrors<F>;
  const found: FormErrors<F> = {};
  for (const field of fields) found[field] = error.fieldError(field);
  return Object.values(found).some(Boolean) ? found : { ...found, form: error.message };
}
