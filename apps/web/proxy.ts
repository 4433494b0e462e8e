import { type NextRequest, NextResponse } from "next/server";

const SESSION_COOKIE = "mirrordeck_session";

/**
 * Sends a browser without a session cookie to the sign-in page. Convenience only: every API
 * route checks the session itself, so a forged cookie gets no data.
 */
export function proxy(request: NextRequest): NextResponse {
  if (request.cookies.has(SESSION_COOKIE)) return NextResponse.next();
  const login = new URL("/login", request.url);
  login.searchParams.set("next", request.nextUrl.pathname);
  return NextResponse.redirect(login);
}

export const config = {
  // Pages only: not the API, the sign-in page, Prometheus (/metrics) or Next's assets.
  matcher: ["/((?!api/|login|metrics|_next/|favicon.ico).*)"],
};
