"use client";

// Indicator filters and sort. They live in the URL (shareable, back-button friendly); without
// JavaScript the form still works as a plain GET.
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { TLPS } from "@/lib/domain/vocabulary";
import type { IndicatorFilters } from "@/lib/query-keys";
import { buttonClasses } from "../ui/button";
import { inputClass } from "../ui/modal-dialog";
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
  const router = useRouter();

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
      <label className="text-sm font-medium">
        Type
        <select name="type" defaultValue={filters.type ?? ""} className={inputClass}>
          <option value="">Any type</option>
          {INDICATOR_TYPES.map((type) => (
            <option key={type} value={type}>
              {typeLabel(type)}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm font-medium">
        TLP
        <select name="tlp" defaultValue={filters.tlp ?? ""} className={inputClass}>
          <option value="">Any TLP</option>
          {TLPS.map(([, label]) => (
            <option key={label} value={label}>
              {label}
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
          placeholder="Part of a value, description or source"
          className={inputClass}
        />
      </label>
      <label className="text-sm font-medium">
        Sort by
        <select name="sort" defaultValue={filters.sort ?? "type"} className={inputClass}>
          {INDICATOR_SORT_OPTIONS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
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
