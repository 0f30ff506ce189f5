import type { ReactNode } from "react";
import { redirect } from "next/navigation";
import { AppHeader } from "@/components/layout/app-header";
import { SignOutButton } from "@/components/layout/sign-out-button";
import { ThemeToggle } from "@/components/ui/theme-toggle";
import { getActor } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

// Outside the (app) group on purpose: (app)'s layout sends a user with a temporary password here, so
// this page cannot sit under it. Such a user gets a header without the navigation they may not use yet.
export default async function AccountLayout({ children }: { children: ReactNode }) {
  const actor = await getActor();
  if (!actor) redirect("/login");
  return (
    <>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-sm dark:focus:bg-slate-900"
      >
        Skip to content
      </a>
      {actor.mustChangePassword ? (
        <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <div className="mx-auto flex max-w-7xl items-center justify-between gap-3 px-4 py-2.5">
            <span className="text-lg font-semibold tracking-tight">Dwell</span>
            <div className="flex items-center gap-3">
              <ThemeToggle />
              <span className="text-sm font-medium">{actor.name}</span>
              <SignOutButton />
            </div>
          </div>
        </header>
      ) : (
        <AppHeader actor={actor} />
      )}
      <main id="main" className="mx-auto max-w-7xl px-4 py-6">
        {children}
      </main>
    </>
  );
}
