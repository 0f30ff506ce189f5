"use client";

// The finding dialog: writes a new finding or changes one with the version it was read at. Link
// pickers are plain multiple selects (keyboard and screen-reader friendly); evidence is a list of rows.
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ApiError, apiFetch } from "@/lib/api-client";
import type { FindingDto, FindingLinkOptions } from "@/lib/domain/findings/dto";
import { FINDING_CONFIDENCES, FINDING_SEVERITIES, FINDING_STATUSES } from "@/lib/domain/findings/vocabulary";
import { errorText, fieldErrorsOf } from "../indicators/indicator-display";
import { Button } from "../ui/button";
import { InputField, SelectField, TextareaField, inputClass } from "../ui/field";
import { FormMessage, ModalDialog } from "../ui/modal-dialog";
import { findingsApi } from "./finding-display";

interface EvidenceRow {
  key: number;
  description: string;
  location: string;
  sha256: string;
}

let nextRowKey = 1;
const row = (e?: { description: string; location: string; sha256: string | null }): EvidenceRow => ({
  key: nextRowKey++,
  description: e?.description ?? "",
  location: e?.location ?? "",
  sha256: e?.sha256 ?? "",
});

export function FindingForm({
  incident,
  finding,
  options,
  onClose,
  onSaved,
}: {
  incident: string;
  /** null: a new finding. */
  finding: FindingDto | null;
  options: FindingLinkOptions;
  onClose: () => void;
  onSaved: (finding: FindingDto) => void;
}) {
  const [evidence, setEvidence] = useState<EvidenceRow[]>(() => finding?.evidence.map(row) ?? []);

  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      finding
        ? apiFetch<FindingDto>(`${findingsApi(incident)}/${finding.id}`, {
            method: "PATCH",
            json: { ...body, version: finding.version },
          })
        : apiFetch<FindingDto>(findingsApi(incident), { method: "POST", json: body }),
    onSuccess: onSaved,
  });
  const errors = fieldErrorsOf(save.error);
  const isConflict = save.error instanceof ApiError && save.error.status === 409;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "");
    const ids = (name: string) => form.getAll(name).map(String);
    save.mutate({
      title: text("title"),
      body: text("body"),
      severity: text("severity"),
      status: text("status"),
      confidence: text("confidence"),
      eventIds: ids("eventIds"),
      indicatorIds: ids("indicatorIds"),
      organizationIds: ids("organizationIds"),
      techniqueIds: text("techniqueIds")
        .split(/[\s,;]+/)
        .filter(Boolean),
      evidence: evidence
        .filter((e) => e.description.trim() || e.location.trim() || e.sha256.trim())
        .map((e) => ({ description: e.description, location: e.location, sha256: e.sha256.trim() || null })),
    });
  }

  const setRow = (key: number, change: Partial<EvidenceRow>) =>
    setEvidence((rows) => rows.map((r) => (r.key === key ? { ...r, ...change } : r)));

  return (
    <ModalDialog
      title={finding ? "Edit finding" : "New finding"}
      description="What you concluded, how sure you are, and on what evidence."
      onClose={onClose}
      size="lg"
    >
      <form onSubmit={onSubmit} className="space-y-4" aria-label={finding ? "Edit finding" : "New finding"}>
        {save.error ? (
          <FormMessage
            message={
              isConflict
                ? `${errorText(save.error, "")} Close this dialog to see the current version.`
                : errorText(save.error, "The finding could not be saved.")
            }
          />
        ) : null}
        <InputField
          label="Title"
          name="title"
          errors={errors}
          required
          maxLength={500}
          defaultValue={finding?.title}
        />
        <TextareaField
          label="Body"
          name="body"
          errors={errors}
          hint="Markdown: **bold**, lists, links, tables."
          rows={7}
          defaultValue={finding?.body}
        />
        <div className="grid gap-3 sm:grid-cols-3">
          <SelectField
            label="Severity"
            name="severity"
            errors={errors}
            defaultValue={finding?.severity ?? "medium"}
            options={FINDING_SEVERITIES}
          />
          <SelectField
            label="Status"
            name="status"
            errors={errors}
            defaultValue={finding?.status ?? "draft"}
            options={FINDING_STATUSES}
          />
          <SelectField
            label="Confidence"
            name="confidence"
            errors={errors}
            defaultValue={finding?.confidence ?? "medium"}
            options={FINDING_CONFIDENCES}
          />
        </div>
        <div className="grid gap-3 sm:grid-cols-3">
          <LinkPicker
            label="Linked events"
            name="eventIds"
            errors={errors}
            choices={options.events}
            selected={finding?.events.map((e) => e.id)}
          />
          <LinkPicker
            label="Linked indicators"
            name="indicatorIds"
            errors={errors}
            choices={options.indicators}
            selected={finding?.indicators.map((i) => i.id)}
          />
          <LinkPicker
            label="Linked organizations"
            name="organizationIds"
            errors={errors}
            choices={options.organizations}
            selected={finding?.organizations.map((o) => o.id)}
          />
        </div>
        <InputField
          label="ATT&CK techniques"
          name="techniqueIds"
          errors={errors}
          hint="IDs separated by commas, e.g. T1606, T1550.001"
          defaultValue={finding?.techniques.map((t) => t.id).join(", ")}
        />
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Evidence</legend>
          {evidence.length === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">No evidence references yet.</p>
          ) : null}
          {evidence.map((e, index) => (
            <div key={e.key} className="grid items-end gap-2 sm:grid-cols-[1fr_1fr_1fr_auto]">
              <input
                aria-label={`Evidence ${index + 1} description`}
                placeholder="What it is"
                value={e.description}
                onChange={(ev) => setRow(e.key, { description: ev.target.value })}
                className={inputClass}
              />
              <input
                aria-label={`Evidence ${index + 1} location`}
                placeholder="Where it is kept"
                value={e.location}
                onChange={(ev) => setRow(e.key, { location: ev.target.value })}
                className={inputClass}
              />
              <input
                aria-label={`Evidence ${index + 1} SHA-256`}
                placeholder="SHA-256 (optional)"
                value={e.sha256}
                onChange={(ev) => setRow(e.key, { sha256: ev.target.value })}
                className={`${inputClass} font-mono`}
              />
              <Button
                variant="ghost"
                onClick={() => setEvidence((rows) => rows.filter((r) => r.key !== e.key))}
              >
                Remove
              </Button>
            </div>
          ))}
          {errors.evidence ? (
            <p className="text-xs font-medium text-red-700 dark:text-red-300">{errors.evidence}</p>
          ) : null}
          <Button variant="secondary" onClick={() => setEvidence((rows) => [...rows, row()])}>
            Add evidence
          </Button>
        </fieldset>
        <div className="flex justify-end gap-2 border-t border-slate-200 pt-3 dark:border-slate-800">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save finding"}
          </Button>
        </div>
      </form>
    </ModalDialog>
  );
}

function LinkPicker({
  label,
  name,
  errors,
  choices,
  selected,
}: {
  label: string;
  name: string;
  errors: Record<string, string>;
  choices: { id: string; label: string }[];
  selected?: string[];
}) {
  return (
    <SelectField
      label={label}
      name={name}
      errors={errors}
      hint={choices.length ? "Ctrl/⌘-click to pick several." : "None yet."}
      multiple
      size={6}
      defaultValue={selected ?? []}
      options={choices.map((choice) => ({ value: choice.id, label: choice.label }))}
    />
  );
}
