"use client";

// One indicator in full: every field, its links, and the sightings organizations reported. Writers
// edit and delete it here; both carry the version read, and a 409 says who changed it first and offers
// the latest version.
import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type ReactNode } from "react";
import type { IndicatorDto, SightingDto } from "@/lib/domain/indicators/dto";
import { apiFetch, ApiError } from "@/lib/api-client";
import { queryKeys } from "@/lib/query-keys";
import { formatDating } from "@/lib/time/format";
import { TlpBadge } from "../ui/badge";
import { Button } from "../ui/button";
import { ModalDialog } from "../ui/modal-dialog";
import {
  errorText,
  fieldErrorsOf,
  formatSeen,
  indicatorsApi,
  indicatorTypeLabel as typeLabel,
} from "./indicator-display";
import { IndicatorForm, type IndicatorFormBody, type OrganizationOption } from "./indicator-form";

/** A title stays readable: a long value (a SHA-512, a user agent) is shown whole in the body. */
const shorten = (value: string) => (value.length > 64 ? `${value.slice(0, 61)}…` : value);

function Sightings({ incident, indicator }: { incident: string; indicator: IndicatorDto }) {
  const sightings = useQuery({
    queryKey: queryKeys.sightings(incident, indicator.id),
    queryFn: () => apiFetch<SightingDto[]>(`${indicatorsApi(incident)}/${indicator.id}/sightings`),
  });
  return (
    <section aria-labelledby="sightings-heading" className="space-y-2">
      <h3 id="sightings-heading" className="text-sm font-semibold">
        Sightings ({sightings.data?.length ?? indicator.sightingsCount})
      </h3>
      {sightings.isPending ? (
        <p role="status" className="text-sm text-slate-600 dark:text-slate-400">
          Loading the sightings…
        </p>
      ) : sightings.isError ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {errorText(
            sightings.error,
            "The sightings could not be loaded. Close and open the indicator again.",
          )}
        </p>
      ) : sightings.data.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          No organization has reported seeing it yet. Agency users report sightings from their portal.
        </p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-md border border-slate-200 text-sm dark:divide-slate-800 dark:border-slate-800">
          {sightings.data.map((s) => (
            <li key={s.id} className="px-3 py-2">
              <p className="flex flex-wrap gap-x-2">
                <span className="font-medium tabular-nums">
                  {formatDating({ occurredAt: s.seenAt, precision: "minute" }, "UTC")}
                </span>
                <span>{s.organization.name}</span>
                {s.location ? (
                  <span className="text-slate-600 dark:text-slate-400">at {s.location}</span>
                ) : null}
              </p>
              {s.note ? <p className="mt-0.5 whitespace-pre-line">{s.note}</p> : null}
              <p className="text-xs text-slate-500 dark:text-slate-400">
                Reported{s.reportedBy ? ` by ${s.reportedBy}` : ""}{" "}
                {formatDating({ occurredAt: s.createdAt, precision: "minute" }, "UTC")}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Detail({ incident, indicator }: { incident: string; indicator: IndicatorDto }) {
  const rows: [string, ReactNode][] = [
    ["Type", typeLabel(indicator.type)],
    [
      "Value",
      <span key="v" className="font-mono break-all">
        {indicator.value}
      </span>,
    ],
    [
      "Normalized",
      <span key="n" className="font-mono break-all">
        {indicator.normalizedValue}
      </span>,
    ],
    ["First seen", formatSeen(indicator.firstSeenAt)],
    ["Last seen", formatSeen(indicator.lastSeenAt)],
    ["Confidence", indicator.confidence === null ? "not stated" : `${indicator.confidence} / 100`],
    ["TLP", <TlpBadge key="t" tlp={indicator.tlp} />],
    ["Source", indicator.source ? <SourceText key="s" source={indicator.source} /> : "—"],
  ];
  return (
    <div className="space-y-4">
      <dl className="grid gap-x-4 gap-y-1.5 text-sm sm:grid-cols-[10rem_1fr]">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="font-medium text-slate-600 dark:text-slate-400">{label}</dt>
            <dd className="min-w-0">{value}</dd>
          </div>
        ))}
      </dl>
      {indicator.description ? (
        <div>
          <h3 className="text-sm font-semibold">Description</h3>
          <p className="mt-0.5 text-sm whitespace-pre-line">{indicator.description}</p>
        </div>
      ) : null}
      {indicator.internalNote ? (
        <div className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm dark:border-amber-800 dark:bg-amber-950/50">
          <h3 className="font-semibold">Internal note (responders only)</h3>
          <p className="mt-0.5 whitespace-pre-line">{indicator.internalNote}</p>
        </div>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-3">
        <div>
          <h3 className="text-sm font-semibold">Timeline events ({indicator.events.length})</h3>
          {indicator.events.length === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">None linked.</p>
          ) : (
            <ul className="mt-0.5 list-disc space-y-0.5 pl-5 text-sm">
              {indicator.events.map((e) => (
                <li key={e.id}>{e.title}</li>
              ))}
            </ul>
          )}
          {indicator.events.length > 0 ? (
            <Link
              href={`/incidents/${encodeURIComponent(incident)}/timeline?indicator=${indicator.id}&view=chronological`}
              className="mt-1 inline-block text-sm text-indigo-700 underline dark:text-indigo-300"
            >
              Show them on the timeline
            </Link>
          ) : null}
        </div>
        <div>
          <h3 className="text-sm font-semibold">Organizations ({indicator.organizations.length})</h3>
          {indicator.organizations.length === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">None linked.</p>
          ) : (
            <ul className="mt-0.5 list-disc space-y-0.5 pl-5 text-sm">
              {indicator.organizations.map((o) => (
                <li key={o.id}>{o.name}</li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h3 className="text-sm font-semibold">ATT&amp;CK ({indicator.techniques.length})</h3>
          {indicator.techniques.length === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">None linked.</p>
          ) : (
            <ul className="mt-0.5 space-y-0.5 text-sm">
              {indicator.techniques.map((t) => (
                <li key={t.id}>
                  {t.id} {t.name}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
      <Sightings incident={incident} indicator={indicator} />
      <p className="text-xs text-slate-500 dark:text-slate-400">
        Version {indicator.version} · added{" "}
        {formatDating({ occurredAt: indicator.createdAt, precision: "minute" }, "UTC")} · changed{" "}
        {formatDating({ occurredAt: indicator.updatedAt, precision: "minute" }, "UTC")}
      </p>
    </div>
  );
}

export function SourceText({ source }: { source: string }) {
  return /^https?:\/\//.test(source) ? (
    <a
      href={source}
      target="_blank"
      rel="noopener noreferrer"
      className="break-all text-indigo-700 underline dark:text-indigo-300"
    >
      {source}
    </a>
  ) : (
    <span className="break-words">{source}</span>
  );
}

export function IndicatorDetailDialog({
  incident,
  indicator: initial,
  canWrite,
  organizations,
  onClose,
  onChanged,
}: {
  incident: string;
  indicator: IndicatorDto;
  canWrite: boolean;
  organizations: OrganizationOption[];
  onClose: () => void;
  /** After a save (the indicator as stored) or a delete (null). */
  onChanged: (indicator: IndicatorDto | null, id: string) => void;
}) {
  const url = `${indicatorsApi(incident)}/${initial.id}`;
  const detail = useQuery({
    queryKey: queryKeys.indicator(incident, initial.id),
    queryFn: () => apiFetch<IndicatorDto>(url),
    initialData: initial,
    initialDataUpdatedAt: 0,
  });
  const current = detail.data;
  // While editing, the form holds the version it was opened with: a live update must not wipe out
  // what the user typed. A conflict loads the latest on request.
  const [editing, setEditing] = useState<IndicatorDto | null>(null);
  const [conflict, setConflict] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const save = useMutation({
    mutationFn: ({ base, body }: { base: IndicatorDto; body: IndicatorFormBody }) =>
      apiFetch<IndicatorDto>(url, { method: "PATCH", json: { ...body, version: base.version } }),
    onSuccess: (saved) => {
      setEditing(null);
      setConflict(false);
      setNotice("Saved.");
      detail.refetch().catch(() => undefined);
      onChanged(saved, saved.id);
    },
    onError: (error) => setConflict(error instanceof ApiError && error.status === 409),
  });

  const remove = useMutation({
    mutationFn: (version: number) => apiFetch(`${url}?version=${version}`, { method: "DELETE" }),
    onSuccess: () => {
      onChanged(null, initial.id);
      onClose();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 404) {
        onChanged(null, initial.id);
        onClose();
        return;
      }
      setConflict(error instanceof ApiError && error.status === 409);
    },
  });

  async function loadLatest() {
    const latest = await detail.refetch();
    if (latest.data) {
      if (editing) setEditing(latest.data);
      setConflict(false);
      save.reset();
      remove.reset();
      setNotice(
        editing
          ? "Loaded the latest version. Apply your change again, then save."
          : "Loaded the latest version.",
      );
    }
  }

  const conflictBox = conflict ? (
    <Button variant="secondary" onClick={() => void loadLatest()}>
      Load the latest version
    </Button>
  ) : null;

  return (
    <ModalDialog
      title={editing ? "Edit indicator" : `${typeLabel(current.type)}: ${shorten(current.value)}`}
      description={editing ? `Version ${editing.version}. Only the fields you change are sent.` : undefined}
      size="lg"
      onClose={onClose}
    >
      {editing ? (
        <IndicatorForm
          indicator={editing}
          organizations={organizations}
          errors={fieldErrorsOf(save.error)}
          message={save.error ? errorText(save.error, "The indicator could not be saved. Try again.") : null}
          extraMessage={
            conflictBox ??
            (notice ? (
              <p role="status" className="text-sm text-slate-700 dark:text-slate-300">
                {notice}
              </p>
            ) : null)
          }
          pending={save.isPending}
          submitLabel="Save indicator"
          onSubmit={(body) => save.mutate({ base: editing, body })}
          onCancel={() => {
            setEditing(null);
            save.reset();
            setConflict(false);
            setNotice(null);
          }}
        />
      ) : (
        <div className="space-y-4">
          {remove.error ? (
            <div
              role="alert"
              className="space-y-2 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
            >
              <p>{errorText(remove.error, "The indicator could not be deleted. Try again.")}</p>
              {conflictBox}
            </div>
          ) : notice ? (
            <p role="status" className="text-sm text-green-800 dark:text-green-300">
              {notice}
            </p>
          ) : null}
          {detail.isError ? (
            <p role="alert" className="text-sm text-red-700 dark:text-red-300">
              {errorText(
                detail.error,
                "The latest version could not be loaded; this is what the list showed.",
              )}
            </p>
          ) : null}
          <Detail incident={incident} indicator={current} />
          {canWrite ? (
            <div className="flex flex-wrap justify-between gap-2 border-t border-slate-200 pt-3 dark:border-slate-800">
              <Button
                variant="secondary"
                className="text-red-700 dark:text-red-300"
                disabled={remove.isPending}
                onClick={() => {
                  if (
                    window.confirm(
                      `Delete ${current.value}? Its sightings go with it; the audit trail keeps a copy.`,
                    )
                  )
                    remove.mutate(current.version);
                }}
              >
                {remove.isPending ? "Deleting…" : "Delete indicator"}
              </Button>
              <Button
                onClick={() => {
                  setNotice(null);
                  setConflict(false);
                  setEditing(current);
                }}
              >
                Edit indicator
              </Button>
            </div>
          ) : null}
        </div>
      )}
    </ModalDialog>
  );
}
