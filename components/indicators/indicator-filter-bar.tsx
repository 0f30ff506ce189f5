"use client";

// Indicator filters and sort. They live in the URL (shareable, back-button friendly); without
// JavaScript the form still works as a plain GET.
import type { FormEvent } from "react";
import { TLPS } from "@/lib/domain/vocabulary";
import type { IndicatorFilters } from "@/lib/query-keys";
import { FilterButtons, FilterInput, FilterSelect } from "../ui/filter-field";
import { INDICATOR_TYPES, indicatorTypeLabel as typeLabel } from "./indicator-display";

export const INDICATOR_SORT_OPTIONS = [
  ["type", "Type, then value"],
  ["value", "Value"],
  ["first_seen", "First seen"],
  ["last_seen", "Last seen"],
  ["updated", "Recently changed"],
] as const;

export function IndicatorFilterBar({
  filters,
  onChange,
}: {
  filters: IndicatorFilters;
  onChange: (changes: Record<string, string | undefined>) => void;
}) {
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => {
      const v = String(form.get(name) ?? "").trim();
      return v === "" ? undefined : v;
    };
    const sort = value("sort");
    onChange({
      type: value("type"),
      tlp: value("tlp"),
      q: value("q"),
      sort: sort === "type" ? undefined : sort,
    });
  }

  return (
    <form
      method="get"
      onSubmit={onSubmit}
      aria-label="Filter indicators"
      className="grid items-end gap-3 sm:grid-cols-2 lg:grid-cols-6"
    >
      <FilterSelect
        label="Type"
        name="type"
        defaultValue={filters.type ?? ""}
        empty="Any type"
        options={INDICATOR_TYPES.map((type) => ({ value: type, label: typeLabel(type) }))}
      />
      <FilterSelect
        label="TLP"
        name="tlp"
        defaultValue={filters.tlp ?? ""}
        empty="Any TLP"
        options={TLPS.map(([, label]) => label)}
      />
      <FilterInput
        label="Search"
        className="sm:col-span-2"
        type="search"
        name="q"
        defaultValue={filters.q ?? ""}
        placeholder="Part of a value, description or source"
      />
      <FilterSelect
        label="Sort by"
        name="sort"
        defaultValue={filters.sort ?? "type"}
        options={INDICATOR_SORT_OPTIONS.map(([value, label]) => ({ value, label }))}
      />
      <FilterButtons />
    </form>
  );
}
