import type { ReactNode } from "react";
import { cn } from "./cn";

export type Tone = "neutral" | "red" | "amber" | "green" | "blue" | "indigo" | "black";

const TONES: Record<Tone, string> = {
  neutral: "bg-slate-100 text-slate-800 ring-slate-300 dark:bg-slate-800 dark:text-slate-200 dark:ring-slate-600",
  red: "bg-red-50 text-red-800 ring-red-300 dark:bg-red-950 dark:text-red-200 dark:ring-red-800",
  amber: "bg-amber-50 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800",
  green: "bg-green-50 text-green-800 ring-green-300 dark:bg-green-950 dark:text-green-200 dark:ring-green-800",
  blue: "bg-sky-50 text-sky-800 ring-sky-300 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-800",
  indigo: "bg-indigo-50 text-indigo-800 ring-indigo-300 dark:bg-indigo-950 dark:text-indigo-200 dark:ring-indigo-800",
  black: "bg-slate-900 text-white ring-slate-900 dark:bg-white dark:text-slate-900 dark:ring-white",
};

export function Badge({ tone = "neutral", children, title, className }: { tone?: Tone; children: ReactNode; title?: string; className?: string }) {
  return (
    <span
      title={title}
      className={cn(
        "inline-flex items-center rounded px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset",
        TONES[tone],
        className,
      )}
    >
      {children}
    </span>
  );
}

const TLP_TONES: Record<string, Tone> = { CLEAR: "neutral", GREEN: "green", AMBER: "amber", "AMBER+STRICT": "amber", RED: "red" };

export function TlpBadge({ tlp }: { tlp: string }) {
  return (
    <Badge tone={TLP_TONES[tlp] ?? "neutral"} title={`Traffic Light Protocol: ${tlp}`}>
      TLP:{tlp}
    </Badge>
  );
}
