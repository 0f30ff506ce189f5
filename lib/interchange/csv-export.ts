// Writes indicators as CSV, chunk by chunk (RFC 4180 quoting by csv-stringify, CRLF line ends, no BOM).
// Timestamps are ISO 8601 UTC; tlp is the TLP 2.0 word (CLEAR, GREEN, AMBER, AMBER+STRICT, RED);
// techniques are separated by a space. Text that a spreadsheet would run as a formula (value,
// description, source starting with = + - @ tab or CR, or their full-width forms) gets one leading apostrophe: see fields.ts,
// whose rule readCsvIndicators undoes exactly.
import { stringify } from "csv-stringify/sync";
import { guardFormula, TLP_WORDS } from "./fields.ts";
import type { ExportIndicator } from "./records.ts";

export const CSV_COLUMNS = [
  "value",
  "type",
  "first_seen",
  "last_seen",
  "confidence",
  "tlp",
  "description",
  "source",
  "techniques",
] as const;

/** Rows per chunk handed out. */
const BATCH = 500;

// quote_record_delimiter: a field holding a lone \n or \r must be quoted too (csv-stringify only does
// that by default when no record_delimiter is given).
const STRINGIFY_OPTIONS = { record_delimiter: "windows", quote_record_delimiter: true } as const;

function row(indicator: ExportIndicator): string[] {
  return [
    guardFormula(indicator.value),
    indicator.type,
    indicator.firstSeen?.toISOString() ?? "",
    indicator.lastSeen?.toISOString() ?? "",
    indicator.confidence === null ? "" : String(indicator.confidence),
    TLP_WORDS[indicator.tlp],
    indicator.description === null ? "" : guardFormula(indicator.description),
    indicator.source === null ? "" : guardFormula(indicator.source),
    indicator.techniqueIds.join(" "),
  ];
}

/** Collects rows and turns them into CSV text a batch at a time. */
class CsvChunker {
  private batch: string[][] = [];

  header(): string {
    return stringify([[...CSV_COLUMNS]], STRINGIFY_OPTIONS);
  }

  add(indicator: ExportIndicator): string | null {
    this.batch.push(row(indicator));
    return this.batch.length >= BATCH ? this.flush() : null;
  }

  flush(): string | null {
    if (!this.batch.length) return null;
    const text = stringify(this.batch, STRINGIFY_OPTIONS);
    this.batch = [];
    return text;
  }
}

function* csvChunks(indicators: Iterable<ExportIndicator>): Generator<string> {
  const chunker = new CsvChunker();
  yield chunker.header();
  for (const indicator of indicators) {
    const text = chunker.add(indicator);
    if (text !== null) yield text;
  }
  const rest = chunker.flush();
  if (rest !== null) yield rest;
}

async function* csvChunksAsync(indicators: AsyncIterable<ExportIndicator>): AsyncGenerator<string> {
  const chunker = new CsvChunker();
  yield chunker.header();
  for await (const indicator of indicators) {
    const text = chunker.add(indicator);
    if (text !== null) yield text;
  }
  const rest = chunker.flush();
  if (rest !== null) yield rest;
}

/**
 * CSV text of the indicators, header first, in chunks of a few hundred rows. Given an async iterable
 * (rows read from the database batch by batch), the chunks come as an async generator.
 */
export function writeCsvIndicators(indicators: Iterable<ExportIndicator>): Generator<string>;
export function writeCsvIndicators(indicators: AsyncIterable<ExportIndicator>): AsyncGenerator<string>;
export function writeCsvIndicators(
  indicators: Iterable<ExportIndicator> | AsyncIterable<ExportIndicator>,
): Generator<string> | AsyncGenerator<string> {
  return Symbol.asyncIterator in indicators ? csvChunksAsync(indicators) : csvChunks(indicators);
}
