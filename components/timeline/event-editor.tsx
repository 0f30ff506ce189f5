"use client";

// Adding, editing and deleting a timeline event. The server validates (and names the field at fault);
// this form maps those errors onto its fields. Edits carry the event's version: if someone else saved
// first, the server answers 409 and the form says who and when.
import * as Dialog from "@radix-ui/react-dialog";
import { TZDate } from "@date-fns/tz";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent, type ReactNode } from "react";
import type { TimelineFilterOptions } from "@/lib/domain/timeline/filter-options";
import type { TimelineEventDetailDto, TimelineEventDto } from "@/lib/domain/timeline/queries";
import { MILESTONE_PINS, PHASES, PRECISIONS, TLPS, VERIFICATIONS } from "@/lib/domain/vocabulary";
import { apiFetch, ApiError } from "@/lib/api-client";
import { queryKeys } from "@/lib/query-keys";
import { Button } from "../ui/button";
import { Field, type FieldErrors } from "../ui/field";
import { useReturnFocus } from "../ui/modal-dialog";

const CALENDAR = new Set(["day", "month", "year", "approximate", "range"]);
const fieldClass =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm aria-[invalid=true]:border-red-600 dark:border-slate-700 dark:bg-slate-950 dark:aria-[invalid=true]:border-red-400";

function CheckboxList({
  legend,
  name,
  error,
  options,
  checked,
  monospace = false,
}: {
  legend: string;
  name: string;
  error?: string;
  options: { id: string; label: string }[];
  checked: ReadonlySet<string>;
  monospace?: boolean;
}) {
  return (
    <fieldset>
      <legend className="text-sm font-medium">{legend}</legend>
      {error ? <p className="text-xs font-medium text-red-700 dark:text-red-300">{error}</p> : null}
      <div className="mt-1 grid max-h-40 gap-1 overflow-y-auto rounded-md border border-slate-200 p-2 text-sm sm:grid-cols-2 dark:border-slate-800">
        {options.map((option) => (
          <label
            key={option.id}
            className={
              monospace ? "flex items-center gap-2 font-mono text-xs break-all" : "flex items-center gap-2"
            }
          >
            <input type="checkbox" name={name} value={option.id} defaultChecked={checked.has(option.id)} />
            {option.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** A date (and for instants a wall time in the given zone) as the API expects it. */
function toOccurredAt(precision: string, date: string, time: string, zone: string): string {
  if (!date) return "";
  if (precision === "month") return `${date.slice(0, 7)}-01`;
  if (precision === "year") return `${date.slice(0, 4)}-01-01`;
  if (CALENDAR.has(precision)) return date;
  const [y, m, d] = date.split("-").map(Number);
  const [hh, mm, ss] = (time || "00:00:00").split(":").map(Number);
  const instant = new TZDate(y ?? 1970, (m ?? 1) - 1, d ?? 1, hh ?? 0, mm ?? 0, ss ?? 0, zone || "UTC");
  return new Date(instant.getTime()).toISOString();
}

function fromOccurredAt(
  iso: string | null | undefined,
  precision: string,
  zone: string,
): { date: string; time: string } {
  if (!iso) return { date: "", time: "" };
  if (CALENDAR.has(precision)) return { date: iso.slice(0, 10), time: "" };
  const local = new TZDate(Date.parse(iso), zone || "UTC");
  const pad = (n: number) => String(n).padStart(2, "0");
  return {
    date: `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`,
    time: `${pad(local.getHours())}:${pad(local.getMinutes())}:${pad(local.getSeconds())}`,
  };
}

function errorsByField(error: ApiError): FieldErrors {
  const result: FieldErrors = {};
  for (const detail of error.details) {
    const key = detail.field?.split(".")[0];
    if (key && !result[key])
      result[key] =
        detail.field && detail.field !== key ? `${detail.field}: ${detail.message}` : detail.message;
  }
  return result;
}

function eventsPath(incident: string): string {
  return `/api/v1/incidents/${encodeURIComponent(incident)}/events`;
}

/** The dialog around the editor: its title, a line under it and the close button. */
function EditorFrame({
  title,
  description,
  onClose,
  children,
}: {
  title: string;
  description: string;
  onClose: () => void;
  children?: ReactNode;
}) {
  const returnFocus = useReturnFocus();
  return (
    <Dialog.Root open onOpenChange={(open) => (open ? null : onClose())}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-950/50" />
        <Dialog.Content
          onCloseAutoFocus={returnFocus}
          className="fixed inset-x-2 top-4 bottom-4 z-50 mx-auto flex max-w-3xl flex-col rounded-lg border border-slate-200 bg-white shadow-xl sm:inset-x-4 dark:border-slate-700 dark:bg-slate-900"
        >
          <div className="flex items-start justify-between border-b border-slate-200 px-5 py-3 dark:border-slate-800">
            <div>
              <Dialog.Title className="text-lg font-semibold">{title}</Dialog.Title>
              <Dialog.Description className="text-sm text-slate-600 dark:text-slate-400">
                {description}
              </Dialog.Description>
            </div>
            <Dialog.Close asChild>
              <Button variant="ghost" aria-label="Close">
                ✕
              </Button>
            </Dialog.Close>
          </div>
          {children}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/**
 * Adds an event (event null) or edits a listed one. A list item leaves out what only the editor
 * needs (the markdown source, who saved last), so the event is read in full first; the form then
 * keeps the version it opened with until it saves or the user loads the latest one.
 */
export function EventEditorDialog({
  incident,
  event,
  options,
  onClose,
}: {
  incident: string;
  event: TimelineEventDto | null;
  options: TimelineFilterOptions;
  onClose: () => void;
}) {
  const full = useQuery({
    queryKey: queryKeys.event(incident, event?.id ?? ""),
    queryFn: () => apiFetch<TimelineEventDetailDto>(`${eventsPath(incident)}/${event?.id}`),
    enabled: event !== null,
    // Read afresh each time the editor opens, never a copy cached by an earlier opening.
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
  if (event && !full.data) {
    const failed = full.isError
      ? full.error instanceof ApiError
        ? full.error.message
        : "The event could not be loaded. Try again."
      : null;
    return (
      <EditorFrame title="Edit event" description={failed ?? "Loading the event…"} onClose={onClose}>
        {failed ? (
          <p role="alert" className="px-5 py-4 text-sm text-red-800 dark:text-red-200">
            {failed}
          </p>
        ) : null}
      </EditorFrame>
    );
  }
  return (
    <EventEditorForm incident={incident} event={full.data ?? null} options={options} onClose={onClose} />
  );
}

function EventEditorForm({
  incident,
  event,
  options,
  onClose,
}: {
  incident: string;
  event: TimelineEventDetailDto | null;
  options: TimelineFilterOptions;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const [current, setCurrent] = useState(event);
  const [precision, setPrecision] = useState<string>(event?.precision ?? "day");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const zone = current?.sourceTimeZone ?? "UTC";
  const start = fromOccurredAt(current?.occurredAt, current?.precision ?? "day", zone);
  const until = fromOccurredAt(current?.occurredUntil, "day", zone);
  const base = eventsPath(incident);

  const afterChange = async () => {
    await queryClient.invalidateQueries({ queryKey: queryKeys.events(incident) });
    await queryClient.invalidateQueries({ queryKey: ["incident", incident, "buckets"] });
    router.refresh();
  };

  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      current
        ? apiFetch<TimelineEventDetailDto>(`${base}/${current.id}`, {
            method: "PATCH",
            json: { ...body, version: current.version },
          })
        : apiFetch<TimelineEventDetailDto>(base, {
            method: "POST",
            json: body,
            headers: { "idempotency-key": crypto.randomUUID() },
          }),
    onSuccess: async () => {
      await afterChange();
      onClose();
    },
    onError: (error) => {
      if (error instanceof ApiError) {
        setErrors(errorsByField(error));
        setMessage(error.message);
        setConflict(error.status === 409);
      } else setMessage("The event could not be saved. Try again.");
    },
  });

  const remove = useMutation({
    mutationFn: () => apiFetch(`${base}/${current?.id}?version=${current?.version}`, { method: "DELETE" }),
    onSuccess: async () => {
      await afterChange();
      onClose();
    },
    onError: (error) => {
      setMessage(error instanceof ApiError ? error.message : "The event could not be deleted. Try again.");
      setConflict(error instanceof ApiError && error.status === 409);
    },
  });

  async function reloadLatest() {
    if (!current) return;
    try {
      const latest = await apiFetch<TimelineEventDetailDto>(`${base}/${current.id}`);
      setCurrent(latest);
      setPrecision(latest.precision);
      setConflict(false);
      setMessage("Loaded the latest version. Apply your change again, then save.");
      setErrors({});
    } catch (error) {
      setMessage(error instanceof ApiError ? error.message : "The latest version could not be loaded.");
    }
  }

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const sourceZone = text("sourceTimeZone");
    const techniqueIds = text("techniqueIds")
      .split(/[\s,;]+/)
      .map((t) => t.trim().toUpperCase())
      .filter(Boolean);
    const body: Record<string, unknown> = {
      occurredAt: toOccurredAt(precision, text("date"), text("time"), sourceZone || "UTC"),
      precision,
      lane: text("lane"),
      phase: text("phase"),
      title: text("title"),
      description: text("description") || null,
      source: text("source"),
      verification: text("verification"),
      tlp: text("tlp"),
      milestone: text("milestone") || null,
      sourceTimeZone: sourceZone || null,
      internalNote: text("internalNote") || null,
      organizationIds: form.getAll("organizationIds").map(String),
      indicatorIds: form.getAll("indicatorIds").map(String),
      techniqueIds,
    };
    if (precision === "range") body.occurredUntil = text("untilDate") || "";
    else if (current?.occurredUntil) body.occurredUntil = null;
    setErrors({});
    setMessage(null);
    save.mutate(body);
  }

  const linkedOrgs = new Set(current?.organizations.map((o) => o.id));
  const linkedIndicators = new Set(current?.indicators.map((i) => i.id));
  const pending = save.isPending || remove.isPending;

  return (
    <EditorFrame
      title={current ? "Edit event" : "Add event"}
      description={
        current
          ? `Version ${current.version}${current.updatedBy ? `, last changed by ${current.updatedBy.name}` : ""}.`
          : "It appears on everyone's timeline as soon as you save."
      }
      onClose={onClose}
    >
      <form
        key={current ? `${current.id}-${current.version}` : "new"}
        onSubmit={onSubmit}
        noValidate
        className="flex min-h-0 flex-1 flex-col"
      >
        <div className="min-h-0 flex-1 space-y-4 overflow-y-auto px-5 py-4">
          {message ? (
            <div
              role="alert"
              className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
            >
              <p>{message}</p>
              {conflict ? (
                <Button variant="secondary" className="mt-2" onClick={() => void reloadLatest()}>
                  Load the latest version
                </Button>
              ) : null}
            </div>
          ) : null}
          <Field label="Title" name="title" errors={errors}>
            {(p) => (
              <input
                {...p}
                name="title"
                required
                maxLength={500}
                defaultValue={current?.title ?? ""}
                className={fieldClass}
              />
            )}
          </Field>
          <div className="grid gap-4 sm:grid-cols-3">
            <Field label="Precision" name="precision" errors={errors} hint="How exactly the source dated it.">
              {(p) => (
                <select
                  {...p}
                  name="precision"
                  value={precision}
                  onChange={(e) => setPrecision(e.target.value)}
                  className={fieldClass}
                >
                  {PRECISIONS.map((v) => (
                    <option key={v} value={v}>
                      {v}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field
              label={precision === "range" ? "From (date)" : "Date"}
              name="occurredAt"
              errors={errors}
              hint={CALENDAR.has(precision) ? "A date only: no time of day is invented." : undefined}
            >
              {(p) => (
                <input
                  {...p}
                  type="date"
                  name="date"
                  required
                  defaultValue={start.date}
                  className={fieldClass}
                />
              )}
            </Field>
            {precision === "range" ? (
              <Field label="Until (date)" name="occurredUntil" errors={errors}>
                {(p) => (
                  <input
                    {...p}
                    type="date"
                    name="untilDate"
                    required
                    defaultValue={until.date}
                    className={fieldClass}
                  />
                )}
              </Field>
            ) : !CALENDAR.has(precision) ? (
              <Field label="Time" name="occurredAt" errors={{}} hint="In the source's time zone below.">
                {(p) => (
                  <input
                    {...p}
                    type="time"
                    step={1}
                    name="time"
                    defaultValue={start.time}
                    className={fieldClass}
                  />
                )}
              </Field>
            ) : null}
          </div>
          <div className="grid gap-4 sm:grid-cols-3">
            <Field
              label="Source's time zone"
              name="sourceTimeZone"
              errors={errors}
              hint="IANA name, e.g. America/New_York; empty if the source gave none."
            >
              {(p) => (
                <input
                  {...p}
                  name="sourceTimeZone"
                  defaultValue={current?.sourceTimeZone ?? ""}
                  placeholder="UTC"
                  className={fieldClass}
                />
              )}
            </Field>
            <Field label="Lane" name="lane" errors={errors}>
              {(p) => (
                <select {...p} name="lane" defaultValue={current?.lane ?? "adversary"} className={fieldClass}>
                  <option value="adversary">Adversary</option>
                  <option value="response">Response</option>
                </select>
              )}
            </Field>
            <Field label="Phase" name="phase" errors={errors}>
              {(p) => (
                <select
                  {...p}
                  name="phase"
                  defaultValue={current?.phase ?? "activity"}
                  className={fieldClass}
                >
                  {PHASES.map(([, label]) => (
                    <option key={label} value={label}>
                      {label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <Field
            label="Description (Markdown)"
            name="description"
            errors={errors}
            hint="Rendered as formatted text; scripts and HTML are made harmless."
          >
            {(p) => (
              <textarea
                {...p}
                name="description"
                rows={4}
                defaultValue={current?.description ?? ""}
                className={fieldClass}
              />
            )}
          </Field>
          <div className="grid gap-4 sm:grid-cols-3">
            <Field
              label="Source"
              name="source"
              errors={errors}
              hint="An http(s) URL or a reference such as “CSRB report p. 12”."
            >
              {(p) => (
                <input
                  {...p}
                  name="source"
                  required
                  defaultValue={current?.source ?? ""}
                  className={fieldClass}
                />
              )}
            </Field>
            <Field label="Verification" name="verification" errors={errors}>
              {(p) => (
                <select
                  {...p}
                  name="verification"
                  defaultValue={current?.verification ?? "unverified"}
                  className={fieldClass}
                >
                  {VERIFICATIONS.map((v) => (
                    <option key={v} value={v}>
                      {v}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="TLP" name="tlp" errors={errors}>
              {(p) => (
                <select {...p} name="tlp" defaultValue={current?.tlp ?? "CLEAR"} className={fieldClass}>
                  {TLPS.map(([, label]) => (
                    <option key={label} value={label}>
                      {label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              label="Milestone"
              name="milestone"
              errors={errors}
              hint="Pinning moves the pin from any other event."
            >
              {(p) => (
                <select
                  {...p}
                  name="milestone"
                  defaultValue={current?.milestone ?? ""}
                  className={fieldClass}
                >
                  <option value="">Not a pinned milestone</option>
                  {MILESTONE_PINS.map(([key, label]) => (
                    <option key={key} value={key}>
                      {label}
                    </option>
                  ))}
                </select>
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
                  defaultValue={current?.techniques.map((t) => t.id).join(", ") ?? ""}
                  className={fieldClass}
                />
              )}
            </Field>
          </div>
          <CheckboxList
            legend="Organizations"
            name="organizationIds"
            error={errors.organizationIds}
            options={options.organizations.map((o) => ({ id: o.id, label: o.name }))}
            checked={linkedOrgs}
          />
          <CheckboxList
            legend="Indicators"
            name="indicatorIds"
            error={errors.indicatorIds}
            options={options.indicators.map((i) => ({ id: i.id, label: `${i.type}: ${i.value}` }))}
            checked={linkedIndicators}
            monospace
          />
          <Field label="Internal note (responders only)" name="internalNote" errors={errors}>
            {(p) => (
              <textarea
                {...p}
                name="internalNote"
                rows={2}
                defaultValue={current?.internalNote ?? ""}
                className={fieldClass}
              />
            )}
          </Field>
        </div>
        <div className="flex flex-wrap items-center justify-between gap-2 border-t border-slate-200 px-5 py-3 dark:border-slate-800">
          {current ? (
            <Button
              variant="secondary"
              disabled={pending}
              className="text-red-700 dark:text-red-300"
              onClick={() => {
                if (window.confirm("Delete this event? The audit trail keeps a copy.")) remove.mutate();
              }}
            >
              Delete event
            </Button>
          ) : (
            <span />
          )}
          <div className="flex gap-2">
            <Dialog.Close asChild>
              <Button variant="secondary">Cancel</Button>
            </Dialog.Close>
            <Button type="submit" disabled={pending}>
              {save.isPending ? "Saving…" : "Save event"}
            </Button>
          </div>
        </div>
      </form>
    </EditorFrame>
  );
}
