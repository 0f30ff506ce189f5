"use client";

// Importing indicators in bulk. Pasted text is first recognized in a dry run and reviewed line by line
// (uncheck what should not be stored); the checked items are then committed as a CSV. A CSV file or a
// STIX 2.1 bundle is uploaded with a progress bar, checked in a dry run, then committed. Defaults
// (TLP, confidence, source) apply to every line that does not state its own.
import { useQueryClient } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import Link from "next/link";
import { useId, useRef, useState, type ChangeEvent } from "react";
import type { ImportPreviewItem, ImportResultDto } from "@/lib/domain/indicators/dto";
import { TLPS } from "@/lib/domain/vocabulary";
import { apiFetch, ApiError } from "@/lib/api-client";
import { queryKeys } from "@/lib/query-keys";
import { Badge } from "../ui/badge";
import { Button, buttonClasses } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import { Field, type FieldErrors } from "../ui/field";
import { inputClass } from "../ui/modal-dialog";
import { indicatorsCsv } from "./csv";
import {
  ErrorNote,
  fieldErrorsOf,
  indicatorsApi,
  indicatorTypeLabel as typeLabel,
} from "./indicator-display";
import { uploadWithProgress, type UploadProgress } from "./upload";

export const IMPORT_MAX_BYTES = 32 * 1024 * 1024;
/** A dry run lists at most this many items for review (the API's cap). */
const PREVIEW_CAP = 10_000;

type Mode = "text" | "csv" | "stix";

const MODES: { mode: Mode; label: string; hint: string }[] = [
  {
    mode: "text",
    label: "Paste text",
    hint: "Paste indicators from a report, an email or a chat, one or more per line. Defanged values (203.0.113[.]7, hxxps://…) are recognized; anything else on the line is ignored.",
  },
  {
    mode: "csv",
    label: "CSV file",
    hint: "A header row naming the columns: value and type are needed; first_seen, last_seen, confidence, tlp, description and source are read when present.",
  },
  {
    mode: "stix",
    label: "STIX 2.1 file",
    hint: "A STIX 2.1 bundle (JSON) of indicator objects with simple patterns such as [ipv4-addr:value = '203.0.113.7'].",
  },
];

interface Defaults {
  tlp: string;
  confidence: string;
  source: string;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

function importUrl(incident: string, format: Mode, dryRun: boolean, defaults?: Defaults): string {
  const params = new URLSearchParams({ format });
  if (dryRun) params.set("dryRun", "true");
  if (defaults) {
    if (defaults.tlp) params.set("tlp", defaults.tlp);
    if (defaults.confidence.trim()) params.set("confidence", defaults.confidence.trim());
    if (defaults.source.trim()) params.set("source", defaults.source.trim());
  }
  return `${indicatorsApi(incident)}/import?${params.toString()}`;
}

function ModeSwitch({ mode, onChange }: { mode: Mode; onChange: (mode: Mode) => void }) {
  const name = useId();
  return (
    <fieldset>
      <legend className="text-sm font-medium">What to import</legend>
      <div className="mt-1 inline-flex flex-wrap rounded-lg border border-slate-300 bg-slate-100 p-0.5 dark:border-slate-700 dark:bg-slate-800">
        {MODES.map((m) => (
          <label key={m.mode} className="cursor-pointer">
            <input
              type="radio"
              name={name}
              value={m.mode}
              checked={mode === m.mode}
              onChange={() => onChange(m.mode)}
              className="peer sr-only"
            />
            <span className="block rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 peer-checked:bg-white peer-checked:text-slate-950 peer-checked:shadow-sm peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-indigo-600 dark:text-slate-300 dark:peer-checked:bg-slate-950 dark:peer-checked:text-white dark:peer-focus-visible:outline-indigo-400">
              {m.label}
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function DefaultsFields({
  defaults,
  onChange,
  errors,
}: {
  defaults: Defaults;
  onChange: (defaults: Defaults) => void;
  errors: FieldErrors;
}) {
  return (
    <fieldset className="rounded-md border border-slate-200 p-3 dark:border-slate-800">
      <legend className="px-1 text-sm font-medium">Defaults for lines that do not state their own</legend>
      <div className="grid gap-3 sm:grid-cols-3">
        <Field
          label="TLP"
          name="tlp"
          errors={errors}
          hint="AMBER: shown only to the organizations linked later."
        >
          {(p) => (
            <select
              {...p}
              value={defaults.tlp}
              onChange={(e) => onChange({ ...defaults, tlp: e.target.value })}
              className={inputClass}
            >
              {TLPS.map(([, label]) => (
                <option key={label} value={label}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Confidence (0–100)" name="confidence" errors={errors} hint="Empty: not stated.">
          {(p) => (
            <input
              {...p}
              type="number"
              min={0}
              max={100}
              step={1}
              value={defaults.confidence}
              onChange={(e) => onChange({ ...defaults, confidence: e.target.value })}
              className={inputClass}
            />
          )}
        </Field>
        <Field label="Source" name="source" errors={errors} hint="An http(s) URL or a reference.">
          {(p) => (
            <input
              {...p}
              value={defaults.source}
              onChange={(e) => onChange({ ...defaults, source: e.target.value })}
              className={inputClass}
            />
          )}
        </Field>
      </div>
    </fieldset>
  );
}

function Problems({ result }: { result: ImportResultDto }) {
  if (result.errorCount === 0) return null;
  return (
    <section aria-labelledby="problems-heading" className="space-y-1">
      <h3 id="problems-heading" className="text-sm font-semibold">
        Problems ({result.errorCount.toLocaleString("en-US")}) — these lines are not imported
      </h3>
      <p className="text-xs text-slate-600 dark:text-slate-400">
        Correct them in the source and import it again; what was recognized is unaffected.
        {result.errorCount > result.errors.length ? ` The first ${result.errors.length} are listed.` : ""}
      </p>
      <div className="max-h-64 overflow-auto rounded-md border border-red-200 dark:border-red-900">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Problems found</caption>
          <thead className="bg-red-50 text-xs text-red-900 uppercase dark:bg-red-950 dark:text-red-200">
            <tr>
              <th scope="col" className="px-3 py-1.5">
                Line
              </th>
              <th scope="col" className="px-3 py-1.5">
                Value
              </th>
              <th scope="col" className="px-3 py-1.5">
                Reason
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-red-100 dark:divide-red-950">
            {result.errors.map((problem, index) => (
              <tr key={`${problem.line}-${index}`} data-testid="import-problem">
                <td className="px-3 py-1.5 tabular-nums">{problem.line}</td>
                <td className="px-3 py-1.5 font-mono text-xs break-all">{problem.value}</td>
                <td className="px-3 py-1.5">{problem.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function ResultSummary({ result, dryRun }: { result: ImportResultDto; dryRun: boolean }) {
  const figures: [string, number][] = dryRun
    ? [
        ["Would add", result.created],
        ["Would update (first/last seen widened)", result.updated],
        ["Already stored, unchanged", result.unchanged],
        ["Repeats within the file", result.duplicates],
        ["Problems", result.errorCount],
      ]
    : [
        ["Created", result.created],
        ["Updated", result.updated],
        ["Unchanged", result.unchanged],
        ["Duplicates", result.duplicates],
        ["Errors", result.errorCount],
      ];
  return (
    <dl
      className="grid grid-cols-2 gap-2 sm:grid-cols-5"
      aria-label={dryRun ? "What the import would do" : "What the import did"}
      data-testid={dryRun ? "import-dry-run" : "import-result"}
    >
      {figures.map(([label, value]) => (
        <div key={label} className="rounded-md border border-slate-200 px-3 py-2 dark:border-slate-800">
          <dt className="text-xs text-slate-600 dark:text-slate-400">{label}</dt>
          <dd className="text-xl font-semibold tabular-nums">{value.toLocaleString("en-US")}</dd>
        </div>
      ))}
    </dl>
  );
}

function Done({
  incident,
  result,
  onAgain,
}: {
  incident: string;
  result: ImportResultDto;
  onAgain: () => void;
}) {
  return (
    <div className="space-y-4">
      <p role="status" className="text-sm font-medium">
        Import finished: {result.created} created, {result.updated} updated, {result.unchanged} unchanged,{" "}
        {result.duplicates} duplicates, {result.errorCount} errors.
      </p>
      <ResultSummary result={result} dryRun={false} />
      <Problems result={result} />
      <div className="flex flex-wrap gap-2">
        <Link
          href={`/incidents/${encodeURIComponent(incident)}/indicators`}
          className={buttonClasses("primary")}
        >
          Back to the indicators
        </Link>
        <Button variant="secondary" onClick={onAgain}>
          Import more
        </Button>
      </div>
    </div>
  );
}

/** The recognized items, virtualized in their own scroll box (a dry run lists up to 10,000). */
function ReviewTable({
  items,
  selected,
  onToggle,
  onToggleAll,
}: {
  items: ImportPreviewItem[];
  selected: ReadonlySet<number>;
  onToggle: (index: number) => void;
  onToggleAll: (checked: boolean) => void;
}) {
  const scrollRef = useRef<HTMLDivElement | null>(null);
  // Not memoized by the React Compiler (the virtualizer's functions change every render); fine here.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 37,
    overscan: 12,
  });
  const rows = virtualizer.getVirtualItems();
  const paddingTop = rows[0]?.start ?? 0;
  const paddingBottom = virtualizer.getTotalSize() - (rows.at(-1)?.end ?? 0);
  const allChecked = selected.size === items.length;
  return (
    <div
      ref={scrollRef}
      className="max-h-[28rem] overflow-auto rounded-md border border-slate-200 dark:border-slate-800"
    >
      <table className="w-full text-left text-sm" aria-rowcount={items.length + 1}>
        <caption className="sr-only">Recognized indicators to review</caption>
        <thead className="sticky top-0 z-10 bg-slate-50 text-xs text-slate-600 uppercase dark:bg-slate-800 dark:text-slate-400">
          <tr aria-rowindex={1}>
            <th scope="col" className="px-3 py-1.5">
              <input
                type="checkbox"
                aria-label="Import all recognized indicators"
                checked={allChecked}
                ref={(node) => {
                  if (node) node.indeterminate = selected.size > 0 && !allChecked;
                }}
                onChange={(e) => onToggleAll(e.target.checked)}
              />
            </th>
            <th scope="col" className="px-3 py-1.5">
              Line
            </th>
            <th scope="col" className="px-3 py-1.5">
              Type
            </th>
            <th scope="col" className="px-3 py-1.5">
              Value
            </th>
            <th scope="col" className="px-3 py-1.5">
              Normalized
            </th>
            <th scope="col" className="px-3 py-1.5">
              Status
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
          {paddingTop > 0 ? (
            <tr aria-hidden="true">
              <td colSpan={6} style={{ height: paddingTop, padding: 0 }} />
            </tr>
          ) : null}
          {rows.map((row) => {
            const item = items[row.index];
            if (!item) return null;
            return (
              <tr
                key={row.key}
                ref={virtualizer.measureElement}
                data-index={row.index}
                aria-rowindex={row.index + 2}
                data-testid="import-item"
                className="align-top"
              >
                <td className="px-3 py-1.5">
                  <input
                    type="checkbox"
                    aria-label={`Import line ${item.line}: ${item.value}`}
                    checked={selected.has(row.index)}
                    onChange={() => onToggle(row.index)}
                  />
                </td>
                <td className="px-3 py-1.5 tabular-nums">{item.line}</td>
                <td className="px-3 py-1.5 text-xs whitespace-nowrap">{typeLabel(item.type)}</td>
                <td className="px-3 py-1.5 font-mono text-xs break-all">{item.value}</td>
                <td className="px-3 py-1.5 font-mono text-xs break-all">{item.normalizedValue}</td>
                <td className="px-3 py-1.5">
                  {item.exists ? <Badge>already stored</Badge> : <Badge tone="green">new</Badge>}
                </td>
              </tr>
            );
          })}
          {paddingBottom > 0 ? (
            <tr aria-hidden="true">
              <td colSpan={6} style={{ height: paddingBottom, padding: 0 }} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

function PasteImport({ incident, onCommitted }: { incident: string; onCommitted: () => void }) {
  const textId = useId();
  const [text, setText] = useState("");
  const [dry, setDry] = useState<ImportResultDto | null>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [defaults, setDefaults] = useState<Defaults>({ tlp: "AMBER", confidence: "", source: "" });
  const [pending, setPending] = useState<"recognize" | "commit" | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<ImportResultDto | null>(null);
  const bytes = new Blob([text]).size;
  const tooLarge = bytes > IMPORT_MAX_BYTES;

  async function recognize() {
    setPending("recognize");
    setError(null);
    try {
      const result = await apiFetch<ImportResultDto>(importUrl(incident, "text", true), {
        method: "POST",
        headers: { "content-type": "text/plain; charset=utf-8" },
        body: text,
      });
      setDry(result);
      setSelected(new Set((result.items ?? []).map((_, index) => index)));
    } catch (e) {
      setError(e);
    } finally {
      setPending(null);
    }
  }

  async function commit() {
    if (!dry?.items) return;
    const chosen = dry.items.filter((_, index) => selected.has(index));
    setPending("commit");
    setError(null);
    try {
      const result = await apiFetch<ImportResultDto>(importUrl(incident, "csv", false, defaults), {
        method: "POST",
        headers: { "content-type": "text/csv; charset=utf-8" },
        body: indicatorsCsv(chosen),
      });
      setDone(result);
      onCommitted();
    } catch (e) {
      setError(e);
    } finally {
      setPending(null);
    }
  }

  function startOver() {
    setDry(null);
    setDone(null);
    setError(null);
    setSelected(new Set());
  }

  if (done)
    return (
      <Done
        incident={incident}
        result={done}
        onAgain={() => {
          setText("");
          startOver();
        }}
      />
    );

  const items = dry?.items ?? [];
  const truncated = dry !== null && items.length >= PREVIEW_CAP;
  const errors = fieldErrorsOf(error);

  return (
    <div className="space-y-4">
      {!dry ? (
        <>
          <div>
            <label htmlFor={textId} className="block text-sm font-medium">
              Indicators as text
            </label>
            <textarea
              id={textId}
              value={text}
              onChange={(e) => setText(e.target.value)}
              rows={12}
              spellCheck={false}
              aria-describedby={`${textId}-hint`}
              placeholder={"203.0.113[.]77\nhxxps://login-portal[.]example/a\n…"}
              className={`${inputClass} font-mono`}
            />
            <p id={`${textId}-hint`} className="mt-0.5 text-xs text-slate-600 dark:text-slate-400">
              {megabytes(bytes)} of 32 MB. Nothing is stored until you review and import.
            </p>
          </div>
          {tooLarge ? (
            <p role="alert" className="text-sm text-red-700 dark:text-red-300">
              The text is larger than the 32 MB limit. Split it, or save it as a file and import the parts one
              by one.
            </p>
          ) : null}
          {error ? <ErrorNote error={error} fallback="The text could not be checked. Try again." /> : null}
          <Button
            onClick={() => void recognize()}
            disabled={pending !== null || text.trim() === "" || tooLarge}
          >
            {pending === "recognize" ? "Recognizing…" : "Recognize"}
          </Button>
        </>
      ) : (
        <>
          <p role="status" className="text-sm">
            Recognized {items.length.toLocaleString("en-US")} indicator{items.length === 1 ? "" : "s"} in{" "}
            {dry.read.toLocaleString("en-US")} candidate{dry.read === 1 ? "" : "s"}
            {dry.duplicates > 0 ? `, ${dry.duplicates} repeated` : ""}
            {dry.errorCount > 0 ? `; ${dry.errorCount} with problems` : ""}.{" "}
            {items.filter((i) => i.exists).length > 0
              ? `${items.filter((i) => i.exists).length} are already stored (their first and last seen may be widened).`
              : ""}
          </p>
          {truncated ? (
            <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm dark:border-amber-800 dark:bg-amber-950/50">
              Only the first {PREVIEW_CAP.toLocaleString("en-US")} are listed for review, and only those can
              be imported from here. To import everything, save the text as a file and use “CSV file”, or
              paste it in parts.
            </p>
          ) : null}
          {items.length > 0 ? (
            <ReviewTable
              items={items}
              selected={selected}
              onToggle={(index) =>
                setSelected((current) => {
                  const next = new Set(current);
                  if (next.has(index)) next.delete(index);
                  else next.add(index);
                  return next;
                })
              }
              onToggleAll={(checked) => setSelected(checked ? new Set(items.map((_, i) => i)) : new Set())}
            />
          ) : (
            <p className="text-sm">
              No indicator was recognized. Check that the text holds values such as IP addresses, domains,
              URLs or hashes.
            </p>
          )}
          <Problems result={dry} />
          {items.length > 0 ? (
            <DefaultsFields defaults={defaults} onChange={setDefaults} errors={errors} />
          ) : null}
          {error ? <ErrorNote error={error} fallback="The import did not go through. Try again." /> : null}
          <div className="flex flex-wrap gap-2">
            {items.length > 0 ? (
              <Button onClick={() => void commit()} disabled={pending !== null || selected.size === 0}>
                {pending === "commit"
                  ? "Importing…"
                  : `Import ${selected.size.toLocaleString("en-US")} indicator${selected.size === 1 ? "" : "s"}`}
              </Button>
            ) : null}
            <Button variant="secondary" onClick={startOver} disabled={pending !== null}>
              Edit the text
            </Button>
          </div>
        </>
      )}
    </div>
  );
}

function ProgressBar({ progress }: { progress: UploadProgress }) {
  const percent = progress.total > 0 ? Math.round((progress.loaded / progress.total) * 100) : 0;
  return (
    <div className="space-y-1" role="status" aria-live="polite">
      <progress
        className="h-2 w-full overflow-hidden rounded [&::-moz-progress-bar]:bg-indigo-600 [&::-webkit-progress-bar]:bg-slate-200 [&::-webkit-progress-value]:bg-indigo-600 dark:[&::-webkit-progress-bar]:bg-slate-800"
        max={100}
        value={progress.sent ? 100 : percent}
        aria-label="Upload progress"
      />
      <p className="text-sm">
        {progress.sent
          ? "Uploaded. Processing… (large files take a while to check)"
          : `Uploading: ${megabytes(progress.loaded)} of ${megabytes(progress.total)} (${percent}%)`}
      </p>
    </div>
  );
}

function FileImport({
  incident,
  format,
  onCommitted,
}: {
  incident: string;
  format: "csv" | "stix";
  onCommitted: () => void;
}) {
  const inputId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [dry, setDry] = useState<ImportResultDto | null>(null);
  const [done, setDone] = useState<ImportResultDto | null>(null);
  const [defaults, setDefaults] = useState<Defaults>({ tlp: "AMBER", confidence: "", source: "" });
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [step, setStep] = useState<"check" | "commit" | null>(null);
  const [error, setError] = useState<unknown>(null);
  const abortRef = useRef<AbortController | null>(null);
  const contentType = format === "csv" ? "text/csv" : "application/stix+json";

  async function send(chosen: File, dryRun: boolean) {
    const controller = new AbortController();
    abortRef.current = controller;
    setStep(dryRun ? "check" : "commit");
    setError(null);
    setProgress({ loaded: 0, total: chosen.size, sent: false });
    try {
      const result = await uploadWithProgress<ImportResultDto>(
        importUrl(incident, format, dryRun, dryRun ? undefined : defaults),
        chosen,
        contentType,
        setProgress,
        controller.signal,
      );
      if (dryRun) setDry(result);
      else {
        setDone(result);
        onCommitted();
      }
    } catch (e) {
      if (!(e instanceof ApiError && e.code === "aborted")) setError(e);
    } finally {
      setStep(null);
      setProgress(null);
      abortRef.current = null;
    }
  }

  function choose(event: ChangeEvent<HTMLInputElement>) {
    const chosen = event.target.files?.[0] ?? null;
    setFile(chosen);
    setDry(null);
    setError(null);
    if (!chosen) return;
    if (chosen.size > IMPORT_MAX_BYTES) {
      setError(
        new ApiError(
          413,
          "payload_too_large",
          `${chosen.name} is ${megabytes(chosen.size)}; the limit is 32 MB. Split it and import the parts one by one.`,
        ),
      );
      return;
    }
    void send(chosen, true);
  }

  if (done)
    return (
      <Done
        incident={incident}
        result={done}
        onAgain={() => {
          setDone(null);
          setDry(null);
          setFile(null);
        }}
      />
    );

  return (
    <div className="space-y-4">
      <div>
        <label htmlFor={inputId} className="block text-sm font-medium">
          {format === "csv" ? "Choose a CSV file" : "Choose a STIX 2.1 bundle (JSON)"}
        </label>
        <input
          id={inputId}
          type="file"
          accept={format === "csv" ? ".csv,text/csv" : ".json,.stix,application/json,application/stix+json"}
          onChange={choose}
          disabled={step !== null}
          aria-describedby={`${inputId}-hint`}
          className="mt-1 block w-full text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium dark:file:border-slate-700 dark:file:bg-slate-900 dark:file:text-slate-100"
        />
        <p id={`${inputId}-hint`} className="mt-0.5 text-xs text-slate-600 dark:text-slate-400">
          Up to 32 MB. The file is checked first (nothing stored); you then confirm the import.
        </p>
      </div>
      {progress ? (
        <div className="space-y-2">
          <p className="text-sm font-medium">
            {step === "check" ? "Checking" : "Importing"} {file?.name}
          </p>
          <ProgressBar progress={progress} />
          {!progress.sent ? (
            <Button variant="secondary" onClick={() => abortRef.current?.abort()}>
              Cancel upload
            </Button>
          ) : null}
        </div>
      ) : null}
      {error ? (
        <ErrorNote
          error={error}
          fallback={
            step === "commit" ? "The import did not go through. Try again." : "The file could not be checked."
          }
        />
      ) : null}
      {dry && file && !progress ? (
        <>
          <p role="status" className="text-sm">
            {file.name} ({megabytes(file.size)}): {dry.read.toLocaleString("en-US")} indicator
            {dry.read === 1 ? "" : "s"} read. Nothing is stored yet.
          </p>
          <ResultSummary result={dry} dryRun />
          <Problems result={dry} />
          <DefaultsFields defaults={defaults} onChange={setDefaults} errors={fieldErrorsOf(error)} />
          <div className="flex flex-wrap gap-2">
            <Button onClick={() => void send(file, false)} disabled={dry.created + dry.updated === 0}>
              {`Import ${(dry.created + dry.updated).toLocaleString("en-US")} indicator${dry.created + dry.updated === 1 ? "" : "s"}`}
            </Button>
          </div>
          {dry.created + dry.updated === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">
              Nothing to import: everything in the file is already stored or has a problem.
            </p>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

export function IndicatorImport({ incident }: { incident: string }) {
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<Mode>("text");
  const current = MODES.find((m) => m.mode === mode) ?? MODES[0];
  const onCommitted = () => void queryClient.invalidateQueries({ queryKey: queryKeys.indicators(incident) });
  return (
    <Card aria-labelledby="import-heading">
      <CardHeader
        id="import-heading"
        level={1}
        title="Import indicators"
        description="Indicators already stored (same type and normalized value) are kept and their first and last seen widened. Up to 32 MB per import."
        actions={
          <Link
            href={`/incidents/${encodeURIComponent(incident)}/indicators`}
            className={buttonClasses("secondary")}
          >
            Back to the indicators
          </Link>
        }
      />
      <div className="space-y-4 p-4">
        <ModeSwitch mode={mode} onChange={setMode} />
        <p className="text-sm text-slate-700 dark:text-slate-300">{current?.hint}</p>
        {/* Each mode keeps its own state; switching starts it fresh. */}
        {mode === "text" ? (
          <PasteImport key="text" incident={incident} onCommitted={onCommitted} />
        ) : (
          <FileImport key={mode} incident={incident} format={mode} onCommitted={onCommitted} />
        )}
      </div>
    </Card>
  );
}
