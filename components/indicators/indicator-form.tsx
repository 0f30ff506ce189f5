"use client";

// Adding or changing one indicator. The server validates and normalizes (and names the field at
// fault in its 422 details); this form maps those errors onto its fields. A change sends only the
// fields that differ from what was read, with the version it read.
import { useState, type FormEvent, type ReactNode } from "react";
import type { IndicatorDto } from "@/lib/domain/indicators/dto";
import { TLPS } from "@/lib/domain/vocabulary";
import { Button } from "../ui/button";
import { Field, type FieldErrors } from "../ui/field";
import { FormMessage, inputClass } from "../ui/modal-dialog";
import { INDICATOR_TYPES, indicatorTypeLabel as typeLabel } from "./indicator-display";

export interface OrganizationOption {
  id: string;
  name: string;
}

export type IndicatorFormBody = Record<string, unknown>;

const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : "");

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join("\n") === [...b].sort().join("\n");
}

export function IndicatorForm({
  indicator,
  organizations,
  errors,
  message,
  pending,
  submitLabel,
  onSubmit,
  onCancel,
  extraMessage,
}: {
  /** The indicator being changed; null to add one. */
  indicator: IndicatorDto | null;
  organizations: OrganizationOption[];
  errors: FieldErrors;
  message: string | null;
  pending: boolean;
  submitLabel: string;
  /** Receives the whole body to add, or only what changed (without version) for an edit. */
  onSubmit: (body: IndicatorFormBody) => void;
  onCancel: () => void;
  extraMessage?: ReactNode;
}) {
  const [nothingChanged, setNothingChanged] = useState(false);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const confidence = text("confidence");
    const full: IndicatorFormBody = {
      type: text("type"),
      value: text("value"),
      firstSeenAt: text("firstSeenAt") || null,
      lastSeenAt: text("lastSeenAt") || null,
      confidence: confidence === "" ? null : Number(confidence),
      tlp: text("tlp"),
      description: text("description") || null,
      source: text("source") || null,
      internalNote: text("internalNote") || null,
      organizationIds: form.getAll("organizationIds").map(String),
      techniqueIds: text("techniqueIds")
        .split(/[\s,;]+/)
        .map((t) => t.trim().toUpperCase())
        .filter(Boolean),
    };
    if (!indicator) {
      // Empty optional fields are left out so the server's defaults apply.
      const body = Object.fromEntries(
        Object.entries(full).filter(([, v]) => v !== null && !(Array.isArray(v) && v.length === 0)),
      );
      setNothingChanged(false);
      onSubmit(body);
      return;
    }
    const changed: IndicatorFormBody = {};
    if (full.type !== indicator.type || full.value !== indicator.value) {
      changed.type = full.type;
      changed.value = full.value;
    }
    if (full.firstSeenAt !== (day(indicator.firstSeenAt) || null)) changed.firstSeenAt = full.firstSeenAt;
    if (full.lastSeenAt !== (day(indicator.lastSeenAt) || null)) changed.lastSeenAt = full.lastSeenAt;
    if (full.confidence !== indicator.confidence) changed.confidence = full.confidence;
    if (full.tlp !== indicator.tlp) changed.tlp = full.tlp;
    if (full.description !== (indicator.description ?? null)) changed.description = full.description;
    if (full.source !== (indicator.source ?? null)) changed.source = full.source;
    if (full.internalNote !== (indicator.internalNote ?? null)) changed.internalNote = full.internalNote;
    const orgIds = full.organizationIds as string[];
    if (
      !sameList(
        orgIds,
        indicator.organizations.map((o) => o.id),
      )
    )
      changed.organizationIds = orgIds;
    const techniqueIds = full.techniqueIds as string[];
    if (
      !sameList(
        techniqueIds,
        indicator.techniques.map((t) => t.id),
      )
    )
      changed.techniqueIds = techniqueIds;
    if (Object.keys(changed).length === 0) {
      setNothingChanged(true);
      return;
    }
    setNothingChanged(false);
    onSubmit(changed);
  }

  const linked = new Set(indicator?.organizations.map((o) => o.id));
  // An indicator may be linked to an organization the options do not carry (e.g. a long list).
  const orgOptions = [
    ...organizations,
    ...(indicator?.organizations.filter((o) => !organizations.some((x) => x.id === o.id)) ?? []),
  ];

  return (
    <form
      key={indicator ? `${indicator.id}-${indicator.version}` : "new"}
      onSubmit={submit}
      noValidate
      className="space-y-4"
      aria-label={indicator ? "Edit indicator" : "Add indicator"}
    >
      <FormMessage message={message} />
      {extraMessage}
      {nothingChanged ? (
        <p role="status" className="text-sm text-slate-700 dark:text-slate-300">
          Nothing changed: edit a field, then save.
        </p>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-3">
        <Field label="Type" name="type" errors={errors}>
          {(p) => (
            <select {...p} name="type" defaultValue={indicator?.type ?? "ipv4"} className={inputClass}>
              {INDICATOR_TYPES.map((type) => (
                <option key={type} value={type}>
                  {typeLabel(type)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="sm:col-span-2">
          <Field
            label="Value"
            name="value"
            errors={errors}
            hint="Defanged values such as 203.0.113[.]7 or hxxps://… are accepted and stored refanged."
          >
            {(p) => (
              <input
                {...p}
                name="value"
                required
                autoComplete="off"
                spellCheck={false}
                defaultValue={indicator?.value ?? ""}
                className={`${inputClass} font-mono`}
              />
            )}
          </Field>
        </div>
      </div>
      <div className="grid gap-4 sm:grid-cols-4">
        <Field label="First seen (UTC date)" name="firstSeenAt" errors={errors}>
          {(p) => (
            <input
              {...p}
              type="date"
              name="firstSeenAt"
              defaultValue={day(indicator?.firstSeenAt)}
              className={inputClass}
            />
          )}
        </Field>
        <Field label="Last seen (UTC date)" name="lastSeenAt" errors={errors}>
          {(p) => (
            <input
              {...p}
              type="date"
              name="lastSeenAt"
              defaultValue={day(indicator?.lastSeenAt)}
              className={inputClass}
            />
          )}
        </Field>
        <Field label="Confidence (0–100)" name="confidence" errors={errors}>
          {(p) => (
            <input
              {...p}
              type="number"
              min={0}
              max={100}
              step={1}
              name="confidence"
              defaultValue={indicator?.confidence ?? ""}
              className={inputClass}
            />
          )}
        </Field>
        <Field label="TLP" name="tlp" errors={errors}>
          {(p) => (
            <select {...p} name="tlp" defaultValue={indicator?.tlp ?? "AMBER"} className={inputClass}>
              {TLPS.map(([, label]) => (
                <option key={label} value={label}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <p className="-mt-2 text-xs text-slate-600 dark:text-slate-400">
        CLEAR and GREEN indicators are shown to every affected organization not linked to another; AMBER only
        to the organizations linked below; RED to none.
      </p>
      <Field label="Description" name="description" errors={errors}>
        {(p) => (
          <textarea
            {...p}
            name="description"
            rows={3}
            defaultValue={indicator?.description ?? ""}
            className={inputClass}
          />
        )}
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Source"
          name="source"
          errors={errors}
          hint="An http(s) URL or a reference such as “CSRB report p. 12”."
        >
          {(p) => (
            <input {...p} name="source" defaultValue={indicator?.source ?? ""} className={inputClass} />
          )}
        </Field>
        <Field
          label="ATT&CK techniques"
          name="techniqueIds"
          errors={errors}
          hint="IDs separated by commas, e.g. T1606, T1550.001."
        >
          {(p) => (
            <input
              {...p}
              name="techniqueIds"
              defaultValue={indicator?.techniques.map((t) => t.id).join(", ") ?? ""}
              className={inputClass}
            />
          )}
        </Field>
      </div>
      {orgOptions.length > 0 ? (
        <fieldset>
          <legend className="text-sm font-medium">Linked organizations</legend>
          {errors.organizationIds ? (
            <p className="text-xs font-medium text-red-700 dark:text-red-300">{errors.organizationIds}</p>
          ) : null}
          <div className="mt-1 grid max-h-40 gap-1 overflow-y-auto rounded-md border border-slate-200 p-2 text-sm sm:grid-cols-2 dark:border-slate-800">
            {orgOptions.map((org) => (
              <label key={org.id} className="flex items-center gap-2">
                <input
                  type="checkbox"
                  name="organizationIds"
                  value={org.id}
                  defaultChecked={linked.has(org.id)}
                />
                {org.name}
              </label>
            ))}
          </div>
        </fieldset>
      ) : null}
      <Field label="Internal note (responders only)" name="internalNote" errors={errors}>
        {(p) => (
          <textarea
            {...p}
            name="internalNote"
            rows={2}
            defaultValue={indicator?.internalNote ?? ""}
            className={inputClass}
          />
        )}
      </Field>
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : submitLabel}
        </Button>
      </div>
    </form>
  );
}
