// next-auth's endpoints. The credentials sign-in is rate limited first (lib/domain/users/rate-limit.ts):
// over the limit it answers 429 with Retry-After and never reaches next-auth, whose callback can only
// answer 401. The message is the same whether or not the account exists.
import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/options";
import { clientIp } from "@/lib/domain/users/client-ip";
import { rateLimitMessage, signInRetryAfter } from "@/lib/domain/users/rate-limit";
import { log } from "@/lib/log";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ nextauth: string[] }> };

const handler = NextAuth(authOptions) as (req: NextRequest, context: Context) => Promise<Response>;

/** Set by authorize when the limit was reached between the check here and its own (parallel attempts). */
const RATE_LIMITED_ERROR = "RateLimited";

function tooManyAttempts(retryAfterSeconds: number, req: NextRequest): Response {
  const message = rateLimitMessage(retryAfterSeconds);
  return Response.json(
    {
      error: { code: "rate_limited", message, retryAfter: retryAfterSeconds },
      // What next-auth's own signIn() reads: it then reports error "RateLimited" and status 429.
      url: new URL(`/login?error=${RATE_LIMITED_ERROR}`, req.nextUrl.origin).toString(),
    },
    { status: 429, headers: { "retry-after": String(retryAfterSeconds), "cache-control": "no-store" } },
  );
}

async function credentialsCallback(req: NextRequest, context: Context): Promise<Response> {
  const body = await req.text();
  const type = req.headers.get("content-type") ?? "";
  let email = "";
  if (type.includes("application/x-www-form-urlencoded")) {
    email = new URLSearchParams(body).get("email") ?? "";
  } else if (type.includes("application/json")) {
    try {
      const parsed = JSON.parse(body) as { email?: unknown };
      email = typeof parsed.email === "string" ? parsed.email : "";
    } catch {
      // next-auth refuses it itself.
    }
  }
  const ip = clientIp(req.headers);
  const retryAfter = await signInRetryAfter({ email, ip });
  if (retryAfter !== null) {
    log("warn", "sign-in rate limited", { ip, retryAfterSeconds: retryAfter });
    return tooManyAttempts(retryAfter, req);
  }
  // The body was read above: next-auth gets a fresh request with the same one.
  const fresh = new NextRequest(req.url, { method: req.method, headers: req.headers, body });
  const response = await handler(fresh, context);
  if (response.status === 401) {
    const target =
      response.headers.get("location") ??
      (
        (await response
          .clone()
          .json()
          .catch(() => null)) as { url?: string } | null
      )?.url;
    if (target && new URL(target, req.nextUrl.origin).searchParams.get("error") === RATE_LIMITED_ERROR) {
      return tooManyAttempts((await signInRetryAfter({ email, ip })) ?? 60, req);
    }
  }
  return response;
}

export async function POST(req: NextRequest, context: Context): Promise<Response> {
  const { nextauth } = await context.params;
  if (nextauth?.[0] === "callback" && nextauth[1] === "credentials") return credentialsCallback(req, context);
  return handler(req, context);
}

export { handler as GET };
