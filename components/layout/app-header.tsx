import Link from "next/link";
import type { Actor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { ThemeToggle } from "../ui/theme-toggle";
import { SignOutButton } from "./sign-out-button";

const ROLE_LABELS: Record<Actor["role"], string> = {
  admin: "Admin",
  responder: "Responder",
  executive: "Executive",
  agency: "Agency",
};

export function AppHeader({ actor }: { actor: Actor }) {
  const account = (
    <>
      <ThemeToggle />
      <span className="text-sm text-slate-700 dark:text-slate-300">
        <span className="font-medium">{actor.name}</span>{" "}
        <span className="text-slate-500 dark:text-slate-400">· {ROLE_LABELS[actor.role]}</span>
      </span>
      {can(actor, "token:manage-own") ? (
        <Link href="/settings/tokens" className="text-sm hover:underline">
          API tokens
        </Link>
      ) : null}
      <Link href="/account/password" className="text-sm hover:underline">
        Password
      </Link>
      <SignOutButton />
    </>
  );
  return (
    <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <div className="relative mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-3 px-4 py-2.5">
        <div className="flex items-center gap-4 sm:gap-6">
          <Link href="/" className="text-lg font-semibold tracking-tight no-underline">
            Dwell
          </Link>
          <nav aria-label="Main">
            <ul className="flex items-center gap-3 text-sm sm:gap-4">
              {actor.role === "agency" ? (
                <li>
                  <Link href="/portal" className="hover:underline">
                    Portal
                  </Link>
                </li>
              ) : (
                <li>
                  <Link href="/incidents" className="hover:underline">
                    Incidents
                  </Link>
                </li>
              )}
              {can(actor, "dashboard:read") ? (
                <li>
                  <Link href="/dashboard" className="hover:underline">
                    Dashboard
                  </Link>
                </li>
              ) : null}
              {can(actor, "user:manage") ? (
                <li>
                  <Link href="/admin/users" className="hover:underline">
                    Users
                  </Link>
                </li>
              ) : null}
              <li>
                <Link href="/api-docs" className="hover:underline">
                  API
                </Link>
              </li>
            </ul>
          </nav>
        </div>
        {/* Laptops show the account controls in the bar; phones fold them into a menu (no script needed). */}
        <div className="hidden flex-wrap items-center gap-3 sm:flex">{account}</div>
        <details className="group sm:hidden">
          <summary className="flex cursor-pointer list-none items-center gap-1 rounded-md border border-slate-300 px-2.5 py-1 text-sm dark:border-slate-700 [&::-webkit-details-marker]:hidden">
            Account
            <span aria-hidden="true" className="transition-transform group-open:rotate-180">
              ▾
            </span>
          </summary>
          <div className="absolute right-4 top-full z-40 mt-1 flex w-64 flex-col items-start gap-3 rounded-md border border-slate-200 bg-white p-3 shadow-lg dark:border-slate-700 dark:bg-slate-900">
            {account}
          </div>
        </details>
      </div>
    </header>
  );
}
