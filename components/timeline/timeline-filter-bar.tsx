"use client";

// Timeline filters. They live in the URL (shareable, back-button friendly); without JavaScript the
// form still works as a plain GET.
import { useRouter } from "next/navigation";
import { useId, type FormEvent } from "react";
import type { TimelineFilterOptions } from "@/lib/domain/timeline/filter-options";
import { PHASES } from "@/lib/domain/vocabulary";
import type { EventFilters } from "@/lib/query-keys";
import { buttonClasses } from "../ui/button";

const ZONES = [
  "UTC",
  "America/New_York",
  "America/Chicago",
  "America/Los_Angeles",
  "Europe/London",
  "Europe/Paris",
  "Europe/Berlin",
  "Asia/Tokyo",
  "Asia/Singapore",
  "Australia/Sydney",
];

const fieldClass =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-950";

export function TimelineFilterBar({
  filters,
  view,
  timeZone,
  options,
  onChange,
}: {
  filters: EventFilters;
  view: "phases" | "chronological";
  timeZone: string;
  options: TimelineFilterOptions;
  onChange: (changes: Record<string, string | undefined>) => void;
}) {
  const router = useRouter();
  const formId = useId();
  const zones = ZONES.includes(timeZone) ? ZONES : [timeZone, ...ZONES];

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => {
      const v = String(form.get(name) ?? "").trim();
      return v === "" ? undefined : v;
    };
    const date = (name: string, endOfDay: boolean) => {
      const v = value(name);
      return v ? `${v}T${endOfDay ? "23:59:59.999" : "00:00:00.000"}Z` : undefined;
    };
    onChange({
      lane: value("lane"),
      phase: value("phase"),
      q: value("q"),
      org: value("org"),
      indicator: value("indicator"),
      technique: value("technique"),
      from: date("fromDate", false),
      to: date("toDate", true),
      view: value("view"),
      tz: value("tz"),
    });
  }

  return (
    <form
      id={formId}
      method="get"
      onSubmit={onSubmit}
      aria-label="Filter the timeline"
      className="grid items-end gap-3 sm:grid-cols-2 lg:grid-cols-4 xl:grid-cols-6"
    >
      <label className="text-sm font-medium">
        Lane
        <select name="lane" defaultValue={filters.lane ?? ""} className={fieldClass}>
          <option value="">Both lanes</option>
          <option value="adversary">Adversary</option>
          <option value="response">Response</option>
        </select>
      </label>
      <label className="text-sm font-medium">
        Phase
        <select name="phase" defaultValue={filters.phase ?? ""} className={fieldClass}>
          <option value="">All phases</option>
          {PHASES.map(([, label]) => (
            <option key={label} value={label}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm font-medium">
        From
        <input
          type="date"
          name="fromDate"
          defaultValue={filters.from?.slice(0, 10) ?? ""}
          className={fieldClass}
        />
      </label>
      <label className="text-sm font-medium">
        To
        <input
          type="date"
          name="toDate"
          defaultValue={filters.to?.slice(0, 10) ?? ""}
          className={fieldClass}
        />
      </label>
      <label className="text-sm font-medium">
        Organization
        <select name="org" defaultValue={filters.org ?? ""} className={fieldClass}>
          <option value="">Any organization</option>
          {options.organizations.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm font-medium">
        Indicator
        <select name="indicator" defaultValue={filters.indicator ?? ""} className={fieldClass}>
          <option value="">Any indicator</option>
          {options.indicators.map((i) => (
            <option key={i.id} value={i.id}>
              {i.type}: {i.value.length > 48 ? `${i.value.slice(0, 47)}…` : i.value}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm font-medium">
        ATT&amp;CK technique
        <select name="technique" defaultValue={filters.technique ?? ""} className={fieldClass}>
          <option value="">Any technique</option>
          {options.techniques.map((t) => (
            <option key={t.id} value={t.id}>
              {t.id} {t.name}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm font-medium sm:col-span-2">
        Search
        <input
          type="search"
          name="q"
          defaultValue={filters.q ?? ""}
          placeholder="Words in title, description or source"
          className={fieldClass}
        />
      </label>
      <label className="text-sm font-medium">
        View
        <select name="view" defaultValue={view} className={fieldClass}>
          <option value="phases">Grouped by phase</option>
          <option value="chronological">One list in time order</option>
        </select>
      </label>
      <label className="text-sm font-medium">
        Time zone
        <select name="tz" defaultValue={timeZone} className={fieldClass}>
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </select>
      </label>
      <div className="flex gap-2">
        <button type="submit" className={buttonClasses("primary")}>
          Apply
        </button>
        <button
          type="button"
          className={buttonClasses("secondary")}
          onClick={() => router.replace(window.location.pathname, { scroll: false })}
        >
          Reset
        </button>
      </div>
    </form>
  );
}
