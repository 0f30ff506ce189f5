"use client";

// Adding or changing one indicator. The server validates and normalizes (and names the field at
// fault in its 422 details); this form maps those errors onto its fields. A change sends only the
// fields that differ from what was read, with the version it read.
import { useState, type FormEvent, type ReactNode } from "react";
import type { IndicatorDto } from "@/lib/domain/indicators/dto";
import { TLPS } from "@/lib/domain/vocabulary";
import { Button } from "../ui/button";
import { CheckboxList } from "../ui/checkbox-list";
import { InputField, SelectField, TextareaField, type FieldErrors } from "../ui/field";
import { FormMessage } from "../ui/modal-dialog";
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
        <SelectField
          label="Type"
          name="type"
          errors={errors}
          defaultValue={indicator?.type ?? "ipv4"}
          options={INDICATOR_TYPES.map((type) => ({ value: type, label: typeLabel(type) }))}
        />
        <div className="sm:col-span-2">
          <InputField
            label="Value"
            name="value"
            errors={errors}
            hint="Defanged values such as 203.0.113[.]7 or hxxps://… are accepted and stored refanged."
            required
            autoComplete="off"
            spellCheck={false}
            defaultValue={indicator?.value ?? ""}
            className="font-mono"
          />
        </div>
      </div>
      <div className="grid gap-4 sm:grid-cols-4">
        <InputField
          label="First seen (UTC date)"
          name="firstSeenAt"
          errors={errors}
          type="date"
          defaultValue={day(indicator?.firstSeenAt)}
        />
        <InputField
          label="Last seen (UTC date)"
          name="lastSeenAt"
          errors={errors}
          type="date"
          defaultValue={day(indicator?.lastSeenAt)}
        />
        <InputField
          label="Confidence (0–100)"
          name="confidence"
          errors={errors}
          type="number"
          min={0}
          max={100}
          step={1}
          defaultValue={indicator?.confidence ?? ""}
        />
        <SelectField
          label="TLP"
          name="tlp"
          errors={errors}
          defaultValue={indicator?.tlp ?? "AMBER"}
          options={TLPS.map(([, label]) => label)}
        />
      </div>
      <p className="-mt-2 text-xs text-slate-600 dark:text-slate-400">
        CLEAR and GREEN indicators are shown to every affected organization not linked to another; AMBER only
        to the organizations linked below; RED to none.
      </p>
      <TextareaField
        label="Description"
        name="description"
        errors={errors}
        rows={3}
        defaultValue={indicator?.description ?? ""}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <InputField
          label="Source"
          name="source"
          errors={errors}
          hint="An http(s) URL or a reference such as “CSRB report p. 12”."
          defaultValue={indicator?.source ?? ""}
        />
        <InputField
          label="ATT&CK techniques"
          name="techniqueIds"
          errors={errors}
          hint="IDs separated by commas, e.g. T1606, T1550.001."
          defaultValue={indicator?.techniques.map((t) => t.id).join(", ") ?? ""}
        />
      </div>
      {orgOptions.length > 0 ? (
        <CheckboxList
          legend="Linked organizations"
          name="organizationIds"
          error={errors.organizationIds}
          options={orgOptions.map((org) => ({ id: org.id, label: org.name }))}
          checked={linked}
        />
      ) : null}
      <TextareaField
        label="Internal note (responders only)"
        name="internalNote"
        errors={errors}
        rows={2}
        defaultValue={indicator?.internalNote ?? ""}
      />
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
