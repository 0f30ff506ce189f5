"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "../ui/cn";

export function IncidentTabs({ base, tabs }: { base: string; tabs: { segment: string; label: string }[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Incident sections" className="border-b border-slate-200 dark:border-slate-800">
      <ul className="-mb-px flex gap-4 overflow-x-auto text-sm">
        {tabs.map((tab) => {
          const href = `${base}/${tab.segment}`;
          const active = pathname === href || pathname.startsWith(`${href}/`);
          return (
            <li key={tab.segment}>
              <Link
                href={href}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "inline-block border-b-2 px-1 py-2 no-underline",
                  active
                    ? "border-indigo-600 font-semibold text-indigo-700 dark:border-indigo-400 dark:text-indigo-300"
                    : "border-transparent text-slate-600 hover:border-slate-400 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100",
                )}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
