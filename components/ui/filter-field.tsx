"use client";

// The controls of a filter bar (a plain GET form whose values live in the URL): each labelled by the
// label around it, styled like every other field, and the Apply / Reset pair that ends the bar.
import { useRouter } from "next/navigation";
import type { InputHTMLAttributes } from "react";
import { buttonClasses } from "./button";
import { cn } from "./cn";
import { inputClass, SelectOptions, type SelectOption } from "./field";

const labelClass = "text-sm font-medium";

export function FilterSelect({
  label,
  name,
  defaultValue,
  options,
  empty,
  className,
}: {
  label: string;
  name: string;
  defaultValue: string;
  options: readonly SelectOption[];
  /** The label of a first option with the empty value, e.g. "Any type". */
  empty?: string;
  /** Classes for the label, e.g. a column span. */
  className?: string;
}) {
  return (
    <label className={cn(labelClass, className)}>
      {label}
      <select name={name} defaultValue={defaultValue} className={inputClass}>
        <SelectOptions options={options} empty={empty} />
      </select>
    </label>
  );
}

export function FilterInput({
  label,
  className,
  ...input
}: Omit<InputHTMLAttributes<HTMLInputElement>, "className" | "id"> & {
  label: string;
  /** Classes for the label, e.g. a column span. */
  className?: string;
}) {
  return (
    <label className={cn(labelClass, className)}>
      {label}
      <input {...input} className={inputClass} />
    </label>
  );
}

/** Apply submits the bar; Reset drops every filter by going back to the bare path. */
export function FilterButtons() {
  const router = useRouter();
  return (
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
  );
}
