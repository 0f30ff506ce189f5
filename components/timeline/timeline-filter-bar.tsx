"use client";

// Timeline filters. They live in the URL (shareable, back-button friendly); without JavaScript the
// form still works as a plain GET.
import { useId, type FormEvent } from "react";
import type { TimelineFilterOptions } from "@/lib/domain/timeline/filter-options";
import { PHASE_LABELS } from "@/lib/domain/vocabulary";
import type { EventFilters } from "@/lib/query-keys";
import { FilterButtons, FilterInput, FilterSelect } from "../ui/filter-field";

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
      <FilterSelect
        label="Lane"
        name="lane"
        defaultValue={filters.lane ?? ""}
        empty="Both lanes"
        options={[
          { value: "adversary", label: "Adversary" },
          { value: "response", label: "Response" },
        ]}
      />
      <FilterSelect
        label="Phase"
        name="phase"
        defaultValue={filters.phase ?? ""}
        empty="All phases"
        options={PHASE_LABELS}
      />
      <FilterInput label="From" type="date" name="fromDate" defaultValue={filters.from?.slice(0, 10) ?? ""} />
      <FilterInput label="To" type="date" name="toDate" defaultValue={filters.to?.slice(0, 10) ?? ""} />
      <FilterSelect
        label="Organization"
        name="org"
        defaultValue={filters.org ?? ""}
        empty="Any organization"
        options={options.organizations.map((o) => ({ value: o.id, label: o.name }))}
      />
      <FilterSelect
        label="Indicator"
        name="indicator"
        defaultValue={filters.indicator ?? ""}
        empty="Any indicator"
        options={options.indicators.map((i) => ({
          value: i.id,
          label: `${i.type}: ${i.value.length > 48 ? `${i.value.slice(0, 47)}…` : i.value}`,
        }))}
      />
      <FilterSelect
        label="ATT&CK technique"
        name="technique"
        defaultValue={filters.technique ?? ""}
        empty="Any technique"
        options={options.techniques.map((t) => ({ value: t.id, label: `${t.id} ${t.name}` }))}
      />
      <FilterInput
        label="Search"
        className="sm:col-span-2"
        type="search"
        name="q"
        defaultValue={filters.q ?? ""}
        placeholder="Words in title, description or source"
      />
      <FilterSelect
        label="View"
        name="view"
        defaultValue={view}
        options={[
          { value: "phases", label: "Grouped by phase" },
          { value: "chronological", label: "One list in time order" },
        ]}
      />
      <FilterSelect label="Time zone" name="tz" defaultValue={timeZone} options={zones} />
      <FilterButtons />
    </form>
  );
}
