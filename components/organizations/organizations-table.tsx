"use client";

// Affected organizations with their notification state and deadline clock. Responders record moves
// one by one or for a selection at once (each organization gets its own result), add organizations,
// and open each one's notification history.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { OrganizationDetailDto, OrganizationDto } from "@/lib/domain/organizations/queries";
import { allowedMoves } from "@/lib/domain/organizations/notification-states";
import { ORGANIZATION_KINDS, type NotificationStateKey } from "@/lib/domain/vocabulary";
import { apiFetch, ApiError } from "@/lib/api-client";
import { formatDating, formatDuration } from "@/lib/time/format";
import { DeadlineBadge, NotificationStateBadge } from "../portal/notification-status";
import { EventDate } from "../timeline/event-date";
import { useIncidentStream } from "../timeline/use-incident-stream";
import { Button } from "../ui/button";
import { EmptyState } from "../ui/empty-state";
import { Field } from "../ui/field";
import { FormMessage, inputClass, ModalDialog } from "../ui/modal-dialog";
import { MoveForm, type MoveFormValues } from "./move-form";

type Dialog =
  | { kind: "move"; organization: OrganizationDto }
  | { kind: "bulk"; organizations: OrganizationDto[] }
  | { kind: "history"; organization: OrganizationDto }
  | { kind: "add" }
  | null;

function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const result: Record<string, string> = {};
  for (const detail of error.details) {
    const key = detail.field?.split(".").at(-1);
    if (key && !result[key]) result[key] = detail.message;
  }
  return result;
}

function deadlineText(org: OrganizationDto): string {
  const { status, marginMs } = org.deadline;
  if (status === "on time" || status === "at risk") return `${formatDuration(marginMs)} left`;
  if (status === "overdue") return `${formatDuration(-marginMs)} over`;
  if (status === "met") return `notified ${formatDuration(marginMs)} early`;
  return `notified ${formatDuration(-marginMs)} late`;
}

function MoveDialog({
  incident,
  organization,
  onDone,
}: {
  incident: string;
  organization: OrganizationDto;
  onDone: () => void;
}) {
  const mutation = useMutation({
    mutationFn: (values: MoveFormValues) =>
      apiFetch(
        `/api/v1/incidents/${encodeURIComponent(incident)}/organizations/${organization.id}/notification`,
        {
          method: "POST",
          json: { ...values, version: organization.version },
          headers: { "idempotency-key": crypto.randomUUID() },
        },
      ),
    onSuccess: onDone,
  });
  return (
    <MoveForm
      allowed={allowedMoves(organization.notificationState)}
      onSubmit={(values) => mutation.mutate(values)}
      pending={mutation.isPending}
      message={
        mutation.error
          ? mutation.error instanceof ApiError
            ? mutation.error.message
            : "The move could not be saved."
          : null
      }
      fieldErrors={fieldErrorsOf(mutation.error)}
    />
  );
}

interface BulkResult {
  results: { organizationId: string; status: number; error?: { message: string } }[];
}

function BulkDialog({
  incident,
  organizations,
  onDone,
}: {
  incident: string;
  organizations: OrganizationDto[];
  onDone: () => void;
}) {
  const [results, setResults] = useState<BulkResult["results"] | null>(null);
  const mutation = useMutation({
    mutationFn: (values: MoveFormValues) =>
      apiFetch<BulkResult>(`/api/v1/incidents/${encodeURIComponent(incident)}/organizations/notifications`, {
        method: "POST",
        json: { moves: organizations.map((o) => ({ ...values, organizationId: o.id, version: o.version })) },
      }),
    onSuccess: (data) => setResults(data.results),
  });
  const names = new Map(organizations.map((o) => [o.id, o.name]));
  if (results) {
    const ok = results.filter((r) => r.status < 300).length;
    return (
      <div className="space-y-3">
        <p className="text-sm font-medium" role="status">
          {ok} of {results.length} recorded.
        </p>
        <ul className="divide-y divide-slate-200 text-sm dark:divide-slate-800">
          {results.map((r) => (
            <li key={r.organizationId} className="flex items-start justify-between gap-3 py-1.5">
              <span>{names.get(r.organizationId) ?? r.organizationId}</span>
              <span
                className={
                  r.status < 300 ? "text-green-700 dark:text-green-300" : "text-red-700 dark:text-red-300"
                }
              >
                {r.status < 300 ? "recorded" : (r.error?.message ?? `failed (${r.status})`)}
              </span>
            </li>
          ))}
        </ul>
        <div className="flex justify-end">
          <Button onClick={onDone}>Done</Button>
        </div>
      </div>
    );
  }
  // The moves every selected organization can make.
  const common = organizations
    .map((o) => allowedMoves(o.notificationState))
    .reduce<readonly NotificationStateKey[]>(
      (acc, moves) => acc.filter((m) => moves.includes(m)),
      allowedMoves(organizations[0]?.notificationState ?? "pending"),
    );
  return (
    <div className="space-y-3">
      <p className="text-sm">{organizations.map((o) => o.name).join(", ")}</p>
      {common.length === 0 ? (
        <p className="text-sm">
          These organizations share no allowed move; select organizations in the same state.
        </p>
      ) : null}
      <MoveForm
        allowed={common.length > 0 ? common : allowedMoves(organizations[0]?.notificationState ?? "pending")}
        onSubmit={(values) => mutation.mutate(values)}
        pending={mutation.isPending}
        message={
          mutation.error
            ? mutation.error instanceof ApiError
              ? mutation.error.message
              : "The moves could not be sent."
            : null
        }
        fieldErrors={fieldErrorsOf(mutation.error)}
        submitLabel={`Record for ${organizations.length}`}
      />
    </div>
  );
}

function HistoryDialog({ incident, organization }: { incident: string; organization: OrganizationDto }) {
  const detail = useQuery({
    queryKey: ["incident", incident, "organizations", organization.id],
    queryFn: () =>
      apiFetch<OrganizationDetailDto>(
        `/api/v1/incidents/${encodeURIComponent(incident)}/organizations/${organization.id}`,
      ),
  });
  if (detail.isPending) return <p role="status">Loading the history…</p>;
  if (detail.isError)
    return (
      <FormMessage
        message={detail.error instanceof ApiError ? detail.error.message : "The history could not be loaded."}
      />
    );
  if (detail.data.moves.length === 0)
    return <p className="text-sm">No move recorded yet: the organization is pending notification.</p>;
  return (
    <ol
      className="relative space-y-3 border-l-2 border-slate-200 pl-4 dark:border-slate-700"
      aria-label={`Notification history of ${organization.name}`}
    >
      {detail.data.moves.map((move) => (
        <li key={move.id} className="text-sm">
          <p className="flex flex-wrap items-center gap-2">
            <span className="font-semibold tabular-nums">
              <EventDate dating={{ occurredAt: move.at, precision: move.atPrecision }} timeZone="UTC" />
            </span>
            <NotificationStateBadge state={move.to} />
            {move.channel ? <span>via {move.channel}</span> : null}
            <span className="text-slate-600 dark:text-slate-400">
              by {move.by?.name ?? move.madeBy ?? "unknown"}
            </span>
          </p>
          {move.note ? <p className="mt-0.5">{move.note}</p> : null}
          {move.evidence ? (
            <p className="mt-0.5 text-xs text-slate-600 dark:text-slate-400">Evidence: {move.evidence}</p>
          ) : null}
          <p className="text-xs text-slate-500 dark:text-slate-400">
            Recorded {formatDating({ occurredAt: move.recordedAt, precision: "minute" })}
          </p>
        </li>
      ))}
    </ol>
  );
}

function AddOrganizationForm({ incident, onDone }: { incident: string; onDone: () => void }) {
  const mutation = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      apiFetch(`/api/v1/incidents/${encodeURIComponent(incident)}/organizations`, {
        method: "POST",
        json: body,
        headers: { "idempotency-key": crypto.randomUUID() },
      }),
    onSuccess: onDone,
  });
  const errors = fieldErrorsOf(mutation.error);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const count = (name: string) => (text(name) === "" ? null : Number(text(name)));
    mutation.mutate({
      name: text("name"),
      kind: text("kind"),
      sector: text("sector") || null,
      country: text("country").toUpperCase() || null,
      accountsAffected: count("accountsAffected"),
      mailboxesAffected: count("mailboxesAffected"),
      determinedAffectedAt: text("determinedAffectedAt") ? `${text("determinedAffectedAt")}:00Z` : undefined,
      isNamedPublicly: form.get("isNamedPublicly") === "on",
      internalNote: text("internalNote") || null,
    });
  }
  return (
    <form onSubmit={submit} noValidate className="space-y-3">
      <FormMessage
        message={
          mutation.error
            ? mutation.error instanceof ApiError
              ? mutation.error.message
              : "The organization could not be added."
            : null
        }
      />
      <Field label="Name" name="name" errors={errors}>
        {(p) => <input {...p} name="name" required maxLength={300} className={inputClass} />}
      </Field>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Kind" name="kind" errors={errors}>
          {(p) => (
            <select {...p} name="kind" defaultValue="government" className={inputClass}>
              {ORGANIZATION_KINDS.map(([key, label]) => (
                <option key={key} value={key === "undisclosed" ? "undisclosed" : label}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Country (ISO code)" name="country" errors={errors}>
          {(p) => <input {...p} name="country" maxLength={2} placeholder="US" className={inputClass} />}
        </Field>
        <Field label="Sector" name="sector" errors={errors}>
          {(p) => <input {...p} name="sector" className={inputClass} />}
        </Field>
        <Field label="Determined affected (UTC)" name="determinedAffectedAt" errors={errors}>
          {(p) => (
            <input
              {...p}
              type="datetime-local"
              name="determinedAffectedAt"
              defaultValue={new Date().toISOString().slice(0, 16)}
              className={inputClass}
            />
          )}
        </Field>
        <Field label="Accounts affected" name="accountsAffected" errors={errors}>
          {(p) => <input {...p} type="number" min={0} name="accountsAffected" className={inputClass} />}
        </Field>
        <Field label="Mailboxes affected" name="mailboxesAffected" errors={errors}>
          {(p) => <input {...p} type="number" min={0} name="mailboxesAffected" className={inputClass} />}
        </Field>
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="isNamedPublicly" defaultChecked /> Named publicly
      </label>
      <label className="block text-sm font-medium">
        Internal note (responders only)
        <textarea name="internalNote" rows={2} className={inputClass} />
      </label>
      <div className="flex justify-end">
        <Button type="submit" disabled={mutation.isPending}>
          {mutation.isPending ? "Adding…" : "Add organization"}
        </Button>
      </div>
    </form>
  );
}

export function OrganizationsTable({
  incident,
  organizations,
  canWrite,
  filtered,
}: {
  incident: string;
  organizations: OrganizationDto[];
  canWrite: boolean;
  filtered: boolean;
}) {
  const router = useRouter();
  useIncidentStream(incident);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => setDialog(null);
  const done = () => {
    setDialog(null);
    setSelected(new Set());
    router.refresh();
  };
  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const selectedOrganizations = organizations.filter((o) => selected.has(o.id));

  return (
    <div className="space-y-3">
      {canWrite ? (
        <div className="flex flex-wrap items-center gap-2">
          <Button onClick={() => setDialog({ kind: "add" })}>Add organization</Button>
          <Button
            variant="secondary"
            disabled={selectedOrganizations.length === 0}
            onClick={() => setDialog({ kind: "bulk", organizations: selectedOrganizations })}
          >
            Record a move for {selectedOrganizations.length} selected
          </Button>
        </div>
      ) : null}
      {organizations.length === 0 ? (
        filtered ? (
          <EmptyState title="No organization matches these filters">
            Clear a filter or search for fewer words.
          </EmptyState>
        ) : (
          <EmptyState title="No affected organizations yet">
            {canWrite
              ? "Add each organization the intrusion reached; its notification clock starts when it was determined to be affected."
              : "Responders add affected organizations as the investigation finds them."}
          </EmptyState>
        )
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Affected organizations and their notification</caption>
            <thead className="bg-slate-50 text-xs text-slate-600 uppercase dark:bg-slate-800/50 dark:text-slate-400">
              <tr>
                {canWrite ? (
                  <th scope="col" className="px-3 py-2">
                    <span className="sr-only">Select</span>
                  </th>
                ) : null}
                <th scope="col" className="px-3 py-2">
                  Organization
                </th>
                <th scope="col" className="px-3 py-2">
                  Country
                </th>
                <th scope="col" className="px-3 py-2">
                  Impact
                </th>
                <th scope="col" className="px-3 py-2">
                  State
                </th>
                <th scope="col" className="px-3 py-2">
                  Deadline
                </th>
                <th scope="col" className="px-3 py-2">
                  Last move
                </th>
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
              {organizations.map((org) => (
                <tr key={org.id} data-testid="organization-row">
                  {canWrite ? (
                    <td className="px-3 py-2">
                      <input
                        type="checkbox"
                        aria-label={`Select ${org.name}`}
                        checked={selected.has(org.id)}
                        onChange={() => toggle(org.id)}
                      />
                    </td>
                  ) : null}
                  <th scope="row" className="px-3 py-2 font-medium">
                    {org.name}
                    <span className="block text-xs font-normal text-slate-500 dark:text-slate-400">
                      {org.kind}
                      {org.sector ? ` · ${org.sector}` : ""}
                    </span>
                  </th>
                  <td className="px-3 py-2">{org.countryName ?? org.country ?? "—"}</td>
                  <td className="px-3 py-2 text-xs">
                    {org.accountsAffected !== null ? (
                      <span className="block">{org.accountsAffected} accounts</span>
                    ) : null}
                    {org.mailboxesAffected !== null ? (
                      <span className="block">{org.mailboxesAffected} mailboxes</span>
                    ) : null}
                    {org.firstKnownAccessAt ? (
                      <span className="block">
                        access{" "}
                        <EventDate
                          dating={{ occurredAt: org.firstKnownAccessAt, precision: "day" }}
                          timeZone="UTC"
                        />
                        {org.lastKnownAccessAt ? (
                          <>
                            {" – "}
                            <EventDate
                              dating={{ occurredAt: org.lastKnownAccessAt, precision: "day" }}
                              timeZone="UTC"
                            />
                          </>
                        ) : null}
                      </span>
                    ) : null}
                    {org.accountsAffected === null &&
                    org.mailboxesAffected === null &&
                    !org.firstKnownAccessAt
                      ? "not known"
                      : null}
                  </td>
                  <td className="px-3 py-2">
                    <NotificationStateBadge state={org.notificationState} />
                  </td>
                  <td className="px-3 py-2 text-xs whitespace-nowrap">
                    <DeadlineBadge status={org.deadline.status} />
                    <span className="ml-1">{deadlineText(org)}</span>
                  </td>
                  <td className="px-3 py-2 text-xs">
                    {org.lastMove ? (
                      <>
                        {org.lastMove.to}{" "}
                        <EventDate
                          dating={{ occurredAt: org.lastMove.at, precision: org.lastMove.atPrecision }}
                          timeZone="UTC"
                        />
                        <span className="block text-slate-500 dark:text-slate-400">
                          {org.lastMove.by?.name ?? org.lastMove.madeBy ?? ""}
                          {org.lastMove.channel ? ` · ${org.lastMove.channel}` : ""}
                        </span>
                      </>
                    ) : (
                      "none yet"
                    )}
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap">
                    <Button
                      variant="ghost"
                      onClick={() => setDialog({ kind: "history", organization: org })}
                      aria-label={`History of ${org.name}`}
                    >
                      History
                    </Button>
                    {canWrite ? (
                      <Button
                        variant="ghost"
                        onClick={() => setDialog({ kind: "move", organization: org })}
                        aria-label={`Record a move for ${org.name}`}
                      >
                        Record a move
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {dialog?.kind === "move" ? (
        <ModalDialog
          title={`Record a move: ${dialog.organization.name}`}
          description={`Now ${dialog.organization.notificationState}.`}
          onClose={close}
        >
          <MoveDialog incident={incident} organization={dialog.organization} onDone={done} />
        </ModalDialog>
      ) : null}
      {dialog?.kind === "bulk" ? (
        <ModalDialog
          title="Record a move for several organizations"
          description="Each organization gets its own result."
          onClose={done}
        >
          <BulkDialog incident={incident} organizations={dialog.organizations} onDone={done} />
        </ModalDialog>
      ) : null}
      {dialog?.kind === "history" ? (
        <ModalDialog title={`Notification history: ${dialog.organization.name}`} onClose={close}>
          <HistoryDialog incident={incident} organization={dialog.organization} />
        </ModalDialog>
      ) : null}
      {dialog?.kind === "add" ? (
        <ModalDialog title="Add an affected organization" size="lg" onClose={close}>
          <AddOrganizationForm incident={incident} onDone={done} />
        </ModalDialog>
      ) : null}
    </div>
  );
}
