"use client";

// The indicators shared with an agency's own organization: the package to download (STIX 2.1 or CSV,
// exactly what the organization may see) and, per indicator, reporting a sighting. Counts are the
// organization's own sightings; the server takes the organization from the session, never from here.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import type { IndicatorPage, SightingDto } from "@/lib/domain/indicators/dto";
import type { PortalView } from "@/lib/domain/portal/queries";
import { apiFetch } from "@/lib/api-client";
import { queryKeys } from "@/lib/query-keys";
import { errorText, fieldErrorsOf, indicatorsApi } from "../indicators/indicator-display";
import { TlpBadge } from "../ui/badge";
import { Button, buttonClasses } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { Field } from "../ui/field";
import { FormMessage, inputClass, ModalDialog } from "../ui/modal-dialog";

type SharedIndicator = PortalView["indicators"][number];

/** Own sightings per indicator, from the indicator API (all pages; a portal list is short). */
function useSightingCounts(incident: string) {
  return useQuery({
    queryKey: [...queryKeys.indicators(incident), "portal-counts"],
    queryFn: async () => {
      const counts = new Map<string, number>();
      let cursor: string | null = null;
      for (let page = 0; page < 100; page += 1) {
        const params = new URLSearchParams({ limit: "200" });
        if (cursor) params.set("cursor", cursor);
        const result: IndicatorPage = await apiFetch<IndicatorPage>(
          `${indicatorsApi(incident)}?${params.toString()}`,
        );
        for (const item of result.items) counts.set(item.id, item.sightingsCount);
        cursor = result.nextCursor;
        if (!cursor) break;
      }
      return counts;
    },
  });
}

/** The current UTC minute as a datetime-local value. */
const nowUtcMinute = () => new Date().toISOString().slice(0, 16);

function ReportSightingForm({
  incident,
  indicator,
  onDone,
  onCancel,
}: {
  incident: string;
  indicator: SharedIndicator;
  onDone: () => void;
  onCancel: () => void;
}) {
  const mutation = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      apiFetch<SightingDto>(`${indicatorsApi(incident)}/${indicator.id}/sightings`, {
        method: "POST",
        json: body,
        headers: { "idempotency-key": crypto.randomUUID() },
      }),
    onSuccess: onDone,
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const when = text("seenAt");
    mutation.mutate({
      // The field is labelled UTC: the wall time typed is a UTC time.
      seenAt: when ? `${when}:00Z` : "",
      ...(text("location") ? { location: text("location") } : {}),
      ...(text("note") ? { note: text("note") } : {}),
    });
  }
  const errors = fieldErrorsOf(mutation.error);
  return (
    <form onSubmit={submit} noValidate className="space-y-3" aria-label="Report a sighting">
      <FormMessage
        message={
          mutation.error ? errorText(mutation.error, "The sighting could not be reported. Try again.") : null
        }
      />
      <p className="text-sm">
        <span className="text-slate-600 dark:text-slate-400">Indicator: </span>
        <span className="font-mono break-all">{indicator.value}</span>
      </p>
      <Field
        label="When (UTC)"
        name="seenAt"
        errors={errors}
        hint="Date and time in UTC, not your local time. Not in the future."
      >
        {(p) => (
          <input
            {...p}
            type="datetime-local"
            name="seenAt"
            required
            defaultValue={nowUtcMinute()}
            max={nowUtcMinute()}
            className={inputClass}
          />
        )}
      </Field>
      <Field
        label="Where"
        name="location"
        errors={errors}
        hint="The system, log or network where it was seen, e.g. “Exchange sign-in logs”."
      >
        {(p) => <input {...p} name="location" maxLength={500} className={inputClass} />}
      </Field>
      <Field label="Note" name="note" errors={errors}>
        {(p) => <textarea {...p} name="note" rows={3} maxLength={5000} className={inputClass} />}
      </Field>
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" disabled={mutation.isPending}>
          {mutation.isPending ? "Sending…" : "Report sighting"}
        </Button>
      </div>
    </form>
  );
}

export function PortalIndicators({
  incident,
  organizationId,
  indicators,
}: {
  /** The incident's slug, as the indicator routes take it. */
  incident: string;
  /** The user's own organization (the export answers only what it may see). */
  organizationId: string;
  indicators: SharedIndicator[];
}) {
  const queryClient = useQueryClient();
  const counts = useSightingCounts(incident);
  const [reporting, setReporting] = useState<SharedIndicator | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const exportUrl = (format: "stix" | "csv") =>
    `${indicatorsApi(incident)}/export?format=${format}&organization=${encodeURIComponent(organizationId)}`;

  return (
    <Card aria-labelledby="indicators-heading">
      <CardHeader
        id="indicators-heading"
        title="Indicators to hunt for"
        description={`${indicators.length} indicators shared with your organization.`}
        actions={
          indicators.length > 0 ? (
            <div
              className="flex flex-wrap items-center gap-2"
              role="group"
              aria-label="Download indicator package"
            >
              <span className="text-sm font-medium">Download indicator package:</span>
              <a href={exportUrl("stix")} download className={buttonClasses("secondary")}>
                STIX 2.1
              </a>
              <a href={exportUrl("csv")} download className={buttonClasses("secondary")}>
                CSV
              </a>
            </div>
          ) : null
        }
      />
      {notice ? (
        <p
          role="status"
          className="mx-4 mt-3 rounded-md border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-900 dark:border-green-800 dark:bg-green-950 dark:text-green-200"
        >
          {notice}
        </p>
      ) : null}
      {counts.isError ? (
        <p role="alert" className="mx-4 mt-3 text-sm text-red-700 dark:text-red-300">
          {errorText(counts.error, "Your sighting counts could not be loaded; reload the page to try again.")}
        </p>
      ) : null}
      {indicators.length === 0 ? (
        <div className="p-4">
          <EmptyState title="No indicators shared yet">
            Indicators appear here as soon as responders share them with you.
          </EmptyState>
        </div>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Indicators shared with your organization</caption>
            <thead className="bg-slate-50 text-xs text-slate-600 uppercase dark:bg-slate-800/50 dark:text-slate-400">
              <tr>
                <th scope="col" className="px-4 py-2">
                  Type
                </th>
                <th scope="col" className="px-4 py-2">
                  Value
                </th>
                <th scope="col" className="px-4 py-2">
                  TLP
                </th>
                <th scope="col" className="px-4 py-2">
                  Description
                </th>
                <th scope="col" className="px-4 py-2 whitespace-nowrap">
                  Your sightings
                </th>
                <th scope="col" className="px-4 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
              {indicators.map((indicator) => (
                <tr key={indicator.id} data-testid="portal-indicator" className="align-top">
                  <td className="px-4 py-2 whitespace-nowrap">{indicator.type}</td>
                  <td className="px-4 py-2 font-mono break-all">{indicator.value}</td>
                  <td className="px-4 py-2">
                    <TlpBadge tlp={indicator.tlp} />
                  </td>
                  <td className="px-4 py-2">{indicator.description}</td>
                  <td className="px-4 py-2 tabular-nums" data-testid="own-sightings">
                    {counts.data ? (counts.data.get(indicator.id) ?? 0) : "…"}
                  </td>
                  <td className="px-4 py-2 whitespace-nowrap">
                    <Button
                      variant="ghost"
                      onClick={() => {
                        setNotice(null);
                        setReporting(indicator);
                      }}
                      aria-label={`Report a sighting of ${indicator.value}`}
                    >
                      Report a sighting
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {reporting ? (
        <ModalDialog
          title="Report a sighting"
          description="Tell the response team your organization saw this indicator. Only the responders and your organization see it."
          onClose={() => setReporting(null)}
        >
          <ReportSightingForm
            incident={incident}
            indicator={reporting}
            onCancel={() => setReporting(null)}
            onDone={() => {
              setNotice(`Sighting of ${reporting.value} reported. Thank you.`);
              setReporting(null);
              void queryClient.invalidateQueries({
                queryKey: [...queryKeys.indicators(incident), "portal-counts"],
              });
            }}
          />
        </ModalDialog>
      ) : null}
    </Card>
  );
}
