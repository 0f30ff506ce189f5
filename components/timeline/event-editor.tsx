"use client";

// Adding, editing and deleting a timeline event. The server validates (and names the field at fault);
// this form maps those errors onto its fields. Edits carry the event's version: if someone else saved
// first, the server answers 409 and the form says who and when.
import * as Dialog from "@radix-ui/react-dialog";
import { TZDate } from "@date-fns/tz";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { TimelineFilterOptions } from "@/lib/domain/timeline/filter-options";
import type { TimelineEventDetailDto, TimelineEventDto } from "@/lib/domain/timeline/queries";
import { MILESTONE_PINS, PHASE_LABELS, PRECISIONS, TLPS, VERIFICATIONS } from "@/lib/domain/vocabulary";
import { apiFetch, ApiError } from "@/lib/api-client";
import { queryKeys } from "@/lib/query-keys";
import { Button } from "../ui/button";
import { CheckboxList } from "../ui/checkbox-list";
import { InputField, SelectField, TextareaField, type FieldErrors } from "../ui/field";
import { ModalDialog } from "../ui/modal-dialog";

const CALENDAR = new Set(["day", "month", "year", "approximate", "range"]);

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
      <ModalDialog
        title="Edit event"
        description={failed ?? "Loading the event…"}
        onClose={onClose}
        size="tall"
      >
        {failed ? (
          <p role="alert" className="px-5 py-4 text-sm text-red-800 dark:text-red-200">
            {failed}
          </p>
        ) : null}
      </ModalDialog>
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
    <ModalDialog
      size="tall"
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
          <InputField
            label="Title"
            name="title"
            errors={errors}
            required
            maxLength={500}
            defaultValue={current?.title ?? ""}
          />
          <div className="grid gap-4 sm:grid-cols-3">
            <SelectField
              label="Precision"
              name="precision"
              errors={errors}
              hint="How exactly the source dated it."
              value={precision}
              onChange={(e) => setPrecision(e.target.value)}
              options={PRECISIONS}
            />
            <InputField
              label={precision === "range" ? "From (date)" : "Date"}
              name="date"
              errorKey="occurredAt"
              errors={errors}
              hint={CALENDAR.has(precision) ? "A date only: no time of day is invented." : undefined}
              type="date"
              required
              defaultValue={start.date}
            />
            {precision === "range" ? (
              <InputField
                label="Until (date)"
                name="untilDate"
                errorKey="occurredUntil"
                errors={errors}
                type="date"
                required
                defaultValue={until.date}
              />
            ) : !CALENDAR.has(precision) ? (
              <InputField
                label="Time"
                name="time"
                errors={{}}
                hint="In the source's time zone below."
                type="time"
                step={1}
                defaultValue={start.time}
              />
            ) : null}
          </div>
          <div className="grid gap-4 sm:grid-cols-3">
            <InputField
              label="Source's time zone"
              name="sourceTimeZone"
              errors={errors}
              hint="IANA name, e.g. America/New_York; empty if the source gave none."
              defaultValue={current?.sourceTimeZone ?? ""}
              placeholder="UTC"
            />
            <SelectField
              label="Lane"
              name="lane"
              errors={errors}
              defaultValue={current?.lane ?? "adversary"}
              options={[
                { value: "adversary", label: "Adversary" },
                { value: "response", label: "Response" },
              ]}
            />
            <SelectField
              label="Phase"
              name="phase"
              errors={errors}
              defaultValue={current?.phase ?? "activity"}
              options={PHASE_LABELS}
            />
          </div>
          <TextareaField
            label="Description (Markdown)"
            name="description"
            errors={errors}
            hint="Rendered as formatted text; scripts and HTML are made harmless."
            rows={4}
            defaultValue={current?.description ?? ""}
          />
          <div className="grid gap-4 sm:grid-cols-3">
            <InputField
              label="Source"
              name="source"
              errors={errors}
              hint="An http(s) URL or a reference such as “CSRB report p. 12”."
              required
              defaultValue={current?.source ?? ""}
            />
            <SelectField
              label="Verification"
              name="verification"
              errors={errors}
              defaultValue={current?.verification ?? "unverified"}
              options={VERIFICATIONS}
            />
            <SelectField
              label="TLP"
              name="tlp"
              errors={errors}
              defaultValue={current?.tlp ?? "CLEAR"}
              options={TLPS.map(([, label]) => label)}
            />
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField
              label="Milestone"
              name="milestone"
              errors={errors}
              hint="Pinning moves the pin from any other event."
              defaultValue={current?.milestone ?? ""}
              empty="Not a pinned milestone"
              options={MILESTONE_PINS.map(([value, label]) => ({ value, label }))}
            />
            <InputField
              label="ATT&CK techniques"
              name="techniqueIds"
              errors={errors}
              hint="IDs separated by commas, e.g. T1606, T1550.001."
              defaultValue={current?.techniques.map((t) => t.id).join(", ") ?? ""}
            />
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
          <TextareaField
            label="Internal note (responders only)"
            name="internalNote"
            errors={errors}
            rows={2}
            defaultValue={current?.internalNote ?? ""}
          />
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
    </ModalDialog>
  );
}
