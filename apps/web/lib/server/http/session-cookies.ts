/** Names and attributes of the cookies a browser session uses. */
export const SESSION_COOKIE = "mirrordeck_session";
/** Readable by the page's script, which echoes it in X-CSRF-Token on writes. */
export const CSRF_COOKIE = "mirrordeck_csrf";
export const CSRF_HEADER = "x-csrf-token";

/** True when the request reached us over TLS (directly or through a proxy that says so). */
export function isSecureRequest(request: Request): boolean {
  return new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
}

export function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get("cookie");
  if (header === null) return null;
  for (const part of header.split(";")) {
    const index = part.indexOf("=");
    if (index < 0) continue;
    if (part.slice(0, index).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(index + 1).trim());
    } catch {
      return null; // A malformed cookie is no cookie.
    }
  }
  return null;
}

export function sessionCookies(
  request: Request,
  value: { sessionId: string; csrfToken: string; expiresAt: Date } | null,
): string[] {
  const secure = isSecureRequest(request) ? "; Secure" : "";
  if (value === null) {
    return [
      `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure}`,
      `${CSRF_COOKIE}=; Path=/; SameSite=Lax; Max-Age=0${secure}`,
    ];
  }
  const maxAge = Math.max(0, Math.floor((value.expiresAt.getTime() - Date.now()) / 1000));
  return [
    `${SESSION_COOKIE}=${value.sessionId}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`,
    `${CSRF_COOKIE}=${value.csrfToken}; Path=/; SameSite=Lax; Max-Age=${maxAge}${secure}`,
  ];
}
