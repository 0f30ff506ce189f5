// Adds a per-request CSP nonce and the security headers. A convenience only: access control lives in
// lib/domain and every page, route and action checks the actor itself.
import { NextResponse, type NextRequest } from "next/server";
import { REQUEST_ID_PATTERN } from "./lib/http/request-id";
import { buildContentSecurityPolicy, STATIC_SECURITY_HEADERS } from "./lib/http/security-headers";

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = buildContentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  // One request id, from here to the route handler, the log line and the answer (`x-request-id`).
  const proposed = request.headers.get("x-request-id");
  const requestId = proposed && REQUEST_ID_PATTERN.test(proposed) ? proposed : crypto.randomUUID();
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("x-request-id", requestId);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("x-request-id", requestId);
  response.headers.set("Content-Security-Policy", csp);
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)" }],
};
