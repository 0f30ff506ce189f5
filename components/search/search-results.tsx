// Search results of one incident, grouped by kind, each linking to where the record lives. Rendered
// on the server; the snippet is plain text (React escapes it) with the query's words marked.
import Link from "next/link";
import type { ReactNode } from "react";
import type { SearchHit, SearchKind, SearchResults } from "@/lib/domain/search/dto";
import { Badge } from "../ui/badge";
import { buttonClasses } from "../ui/button";
import { EmptyState } from "../ui/empty-state";
import { inputClass } from "../ui/field";

const KINDS: { kind: SearchKind; label: string }[] = [
  { kind: "events", label: "Timeline events" },
  { kind: "findings", label: "Findings" },
  { kind: "indicators", label: "Indicators" },
  { kind: "organizations", label: "Organizations" },
];

function hrefOf(incident: string, kind: SearchKind, hit: SearchHit): string {
  const base = `/incidents/${encodeURIComponent(incident)}`;
  const q = encodeURIComponent(hit.title);
  switch (kind) {
    case "events":
      return `${base}/timeline?q=${q}`;
    case "findings":
      return `${base}/findings?q=${q}#finding-${hit.id}`;
    case "indicators":
      return `${base}/indicators?q=${q}`;
    case "organizations":
      return `${base}/organizations?q=${q}`;
  }
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The text with the query's words wrapped in <mark> (as React elements: nothing is parsed as HTML). */
function highlight(text: string, words: readonly string[]): ReactNode {
  const usable = words.filter((w) => w.length > 1).map(escapeRegExp);
  if (usable.length === 0) return text;
  const parts = text.split(new RegExp(`(${usable.join("|")})`, "gi"));
  return parts.map((part, i) => (i % 2 === 1 ? <mark key={i}>{part}</mark> : part));
}

export function SearchBox({ incident, q }: { incident: string; q: string }) {
  return (
    <form
      method="get"
      action={`/incidents/${encodeURIComponent(incident)}/search`}
      role="search"
      className="flex flex-wrap items-end gap-2"
    >
      <label className="min-w-64 flex-1 text-sm font-medium">
        Search this incident
        <input
          type="search"
          name="q"
          defaultValue={q}
          maxLength={200}
          placeholder="Words, a name, or an indicator (defanged is fine: 51.89.156[.]153)"
          className={inputClass}
        />
      </label>
      <button type="submit" className={buttonClasses("primary")}>
        Search
      </button>
    </form>
  );
}

export function SearchResultsView({ incident, results }: { incident: string; results: SearchResults }) {
  const words = [
    results.q,
    ...results.q.split(/\s+/),
    ...(results.indicator ? [results.indicator.normalizedValue] : []),
  ];
  const total = KINDS.reduce((sum, { kind }) => sum + results[kind].items.length, 0);
  if (total === 0) {
    return (
      <EmptyState title="Nothing found">
        No event, finding, indicator or organization of this incident matches “{results.q}”. Try fewer or
        other words.
      </EmptyState>
    );
  }
  return (
    <div className="space-y-6">
      {results.indicator ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Read as the {results.indicator.type}{" "}
          <span className="font-mono">{results.indicator.normalizedValue}</span>.
        </p>
      ) : null}
      {KINDS.map(({ kind, label }) => {
        const group = results[kind];
        const headingId = `search-${kind}`;
        return (
          <section key={kind} aria-labelledby={headingId}>
            <h2 id={headingId} className="text-base font-semibold">
              {label}{" "}
              <span className="text-sm font-normal text-slate-600 dark:text-slate-400">
                ({group.items.length}
                {group.truncated ? "+, the first shown" : ""})
              </span>
            </h2>
            {group.items.length === 0 ? (
              <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">No matches.</p>
            ) : (
              <ul className="mt-2 divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
                {group.items.map((hit) => (
                  <li key={hit.id} className="px-3 py-2">
                    <div className="flex flex-wrap items-center gap-2">
                      <Link
                        href={hrefOf(incident, kind, hit)}
                        className={`font-medium underline ${kind === "indicators" ? "font-mono" : ""}`}
                      >
                        {highlight(hit.title, words)}
                      </Link>
                      {hit.detail ? <Badge>{hit.detail}</Badge> : null}
                      {hit.exact ? <Badge tone="green">exact match</Badge> : null}
                    </div>
                    {hit.snippet ? (
                      <p className="mt-0.5 text-sm text-slate-600 dark:text-slate-400">
                        {highlight(hit.snippet, words)}
                      </p>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
}
