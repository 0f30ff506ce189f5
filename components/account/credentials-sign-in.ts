// Signs in through next-auth's credentials callback, reading what next-auth's own signIn() hides: the
// 429 of the sign-in rate limit with its message. Used by the sign-in form and after a password change.
import { getCsrfToken } from "next-auth/react";

export type SignInResult =
  { ok: true } | { ok: false; kind: "invalid" | "rate-limited" | "unavailable" | "network"; message: string };

export async function signInWithCredentials(email: string, password: string): Promise<SignInResult> {
  try {
    const csrfToken = (await getCsrfToken()) ?? "";
    const response = await fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({
        csrfToken,
        email,
        password,
        json: "true",
        callbackUrl: `${window.location.origin}/`,
      }),
    });
    const body = (await response.json().catch(() => null)) as {
      url?: string;
      error?: { message?: string };
    } | null;
    if (response.status === 429) {
      return {
        ok: false,
        kind: "rate-limited",
        message: body?.error?.message ?? "Too many sign-in attempts. Try again later.",
      };
    }
    if (response.status >= 500) {
      return {
        ok: false,
        kind: "unavailable",
        message: "Dwell could not reach its database. Try again in a moment.",
      };
    }
    const error = body?.url ? new URL(body.url, window.location.origin).searchParams.get("error") : null;
    if (!response.ok || error) {
      return { ok: false, kind: "invalid", message: "Email or password is incorrect." };
    }
    return { ok: true };
  } catch {
    return {
      ok: false,
      kind: "network",
      message: "Dwell could not be reached. Check your connection and try again.",
    };
  }
}
