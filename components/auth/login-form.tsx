"use client";

import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { signInWithCredentials } from "../account/credentials-sign-in";
import { Button } from "../ui/button";
import { useHydrated } from "../ui/use-hydrated";

/** Only same-site paths are followed after sign-in, never another origin. */
function safeCallback(value: string | null): string {
  return value && value.startsWith("/") && !value.startsWith("//") ? value : "/";
}

export function LoginForm({ callbackUrl }: { callbackUrl: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const errorId = useId();
  const hydrated = useHydrated();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    if (!email || !password) {
      setError(!email ? "Enter your email." : "Enter your password.");
      return;
    }
    setPending(true);
    setError(null);
    try {
      // Wrong credentials, the rate limit (429, "Try again in N minutes"), or an unreachable server.
      const result = await signInWithCredentials(email, password);
      if (!result.ok) {
        setError(result.message);
        return;
      }
      router.replace(safeCallback(callbackUrl));
      router.refresh();
    } finally {
      setPending(false);
    }
  }

  const fieldClass =
    "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm dark:border-slate-700 dark:bg-slate-950";
  return (
    <form
      method="post"
      onSubmit={onSubmit}
      noValidate
      className="space-y-4"
      aria-describedby={error ? errorId : undefined}
    >
      <div>
        <label htmlFor="email" className="block text-sm font-medium">
          Email
        </label>
        <input id="email" name="email" type="email" autoComplete="username" required className={fieldClass} />
      </div>
      <div>
        <label htmlFor="password" className="block text-sm font-medium">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className={fieldClass}
        />
      </div>
      {error ? (
        <p
          id={errorId}
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
        >
          {error}
        </p>
      ) : null}
      <Button type="submit" disabled={pending || !hydrated} className="w-full">
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
