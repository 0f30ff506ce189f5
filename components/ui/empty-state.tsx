import type { ReactNode } from "react";

/** Says what is missing and what to do about it. */
export function EmptyState({
  title,
  children,
  action,
  level = 3,
}: {
  title: string;
  children: ReactNode;
  action?: ReactNode;
  /** 1 when the empty state is the whole page (a not-found page). */
  level?: 1 | 2 | 3;
}) {
  const Heading = level === 1 ? "h1" : level === 2 ? "h2" : "h3";
  return (
    <div className="rounded-lg border border-dashed border-slate-300 px-6 py-10 text-center dark:border-slate-700">
      <Heading className="text-base font-semibold">{title}</Heading>
      <div className="mx-auto mt-1 max-w-prose text-sm text-slate-600 dark:text-slate-400">{children}</div>
      {action ? <div className="mt-4">{action}</div> : null}
    </div>
  );
}
