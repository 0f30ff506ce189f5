"use client";

// One finding's history: who changed what and when, each changed field before → after, read from
// the audit trail.
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { FindingHistoryEntry } from "@/lib/domain/findings/dto";
import { queryKeys } from "@/lib/query-keys";
import { ErrorNote } from "../indicators/indicator-display";
import { ModalDialog } from "../ui/modal-dialog";
import { Skeleton } from "../ui/skeleton";
import { findingsApi, formatInstant } from "./finding-display";

function Value({ value }: { value: string | string[] | null }) {
  if (value === null || value === "" || (Array.isArray(value) && value.length === 0)) {
    return <span className="text-slate-500 italic dark:text-slate-400">none</span>;
  }
  if (Array.isArray(value)) {
    return (
      <ul className="list-disc pl-4">
        {value.map((v, i) => (
          <li key={i}>{v}</li>
        ))}
      </ul>
    );
  }
  return <span className="break-words whitespace-pre-wrap">{value}</span>;
}

export function FindingHistoryDialog({
  incident,
  finding,
  onClose,
}: {
  incident: string;
  finding: { id: string; title: string };
  onClose: () => void;
}) {
  const history = useQuery({
    queryKey: queryKeys.findingHistory(incident, finding.id),
    queryFn: () =>
      apiFetch<{ items: FindingHistoryEntry[] }>(`${findingsApi(incident)}/${finding.id}/history`).then(
        (r) => r.items,
      ),
  });
  return (
    <ModalDialog
      title={`History: ${finding.title}`}
      description="Every change, newest first, from the audit trail."
      onClose={onClose}
      size="lg"
    >
      {history.isPending ? (
        <div role="status" className="space-y-2">
          <span className="sr-only">Loading the history…</span>
          <Skeleton className="h-16" />
          <Skeleton className="h-16" />
        </div>
      ) : history.isError ? (
        <ErrorNote error={history.error} fallback="The history could not be loaded." />
      ) : (
        <ol className="space-y-4" aria-label="Changes">
          {history.data.map((entry) => (
            <li key={entry.id} className="rounded-md border border-slate-200 p-3 dark:border-slate-800">
              <p className="text-sm">
                <span className="font-medium">{entry.action === "created" ? "Created" : "Changed"}</span>
                {entry.version ? ` (version ${entry.version})` : ""} by {entry.actor} at{" "}
                <time dateTime={entry.at}>{formatInstant(entry.at)}</time>
              </p>
              {entry.changes.length === 0 ? (
                <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">No field changed.</p>
              ) : (
                <table className="mt-2 w-full text-left text-sm">
                  <thead>
                    <tr className="text-slate-600 dark:text-slate-400">
                      <th scope="col" className="w-28 py-1 pr-2 font-medium">
                        Field
                      </th>
                      <th scope="col" className="py-1 pr-2 font-medium">
                        Before
                      </th>
                      <th scope="col" className="py-1 font-medium">
                        After
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {entry.changes.map((change) => (
                      <tr
                        key={change.field}
                        className="border-t border-slate-100 align-top dark:border-slate-800"
                      >
                        <th scope="row" className="py-1 pr-2 font-medium">
                          {change.field}
                        </th>
                        <td className="py-1 pr-2">
                          <Value value={change.before} />
                        </td>
                        <td className="py-1">
                          <Value value={change.after} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </li>
          ))}
        </ol>
      )}
    </ModalDialog>
  );
}
