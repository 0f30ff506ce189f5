// Reads indicator candidates from a CSV file as a stream: bytes go through csv-parse chunk by chunk and
// the candidates of each chunk are handed out before the next chunk is read, so a file of any length
// flows with bounded memory. Every row becomes a candidate or a problem naming its line; only a
// file-wide fault (no header, no value column, a runaway quoted field) throws an InterchangeFileError.
import { parse, type CsvError, type InfoRecord, type Parser } from "csv-parse";
import {
  countLineBreaks,
  parseConfidenceText,
  parseDateText,
  parseTechniqueList,
  parseTlp,
  unguardFormula,
} from "./fields.ts";
import { InterchangeFileError, type ImportCandidate, type ImportItem } from "./records.ts";

/** Longest field accepted, in characters; a longer one is a problem for its row. */
export const CSV_FIELD_MAX = 100_000;
/** Longest row csv-parse may build, in bytes; past it the file is refused (usually a quote left open). */
const RECORD_MAX_BYTES = 1_000_000;
/** Input is cut into slices of at most this many bytes (or string characters) before parsing. */
const SLICE = 64 * 1024;
/** How much text is read, at most, to find the header line and its delimiter. */
const HEADER_PEEK_MAX = 1024 * 1024;

type Column =
  | "value"
  | "type"
  | "firstSeen"
  | "lastSeen"
  | "description"
  | "tlp"
  | "confidence"
  | "source"
  | "techniques";

/** Header names (lower case, runs of space and hyphen read as "_") for each column. */
const COLUMN_ALIASES: Record<Column, readonly string[]> = {
  value: ["value", "values", "value(s)", "indicator", "ioc", "observable"],
  type: ["type", "kind", "indicator_type"],
  firstSeen: ["first_seen", "firstseen", "valid_from"],
  lastSeen: ["last_seen", "lastseen"],
  description: ["description", "comment", "comments", "notes", "note"],
  tlp: ["tlp", "marking"],
  confidence: ["confidence"],
  source: ["source", "reference"],
  techniques: ["techniques", "technique", "technique_ids", "attack", "att&ck", "mitre_attack"],
};

const ALIAS_TO_COLUMN = new Map<string, Column>(
  (Object.entries(COLUMN_ALIASES) as [Column, readonly string[]][]).flatMap(([column, aliases]) =>
    aliases.map((alias) => [alias, column] as const),
  ),
);

const normalizeHeaderName = (name: string): string =>
  name
    .replace(/^\uFEFF/, "")
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");

interface Header {
  width: number;
  index: Partial<Record<Column, number>>;
}

function readHeader(fields: string[]): Header {
  const index: Partial<Record<Column, number>> = {};
  fields.forEach((name, i) => {
    const column = ALIAS_TO_COLUMN.get(normalizeHeaderName(name));
    if (column && index[column] === undefined) index[column] = i;
  });
  if (index.value === undefined) {
    const found = fields
      .map((f) => f.trim())
      .filter((f) => f !== "")
      .map((f) => (f.length > 40 ? `${f.slice(0, 40)}…` : f));
    const list = found.length > 20 ? [...found.slice(0, 20), "…"] : found;
    throw new InterchangeFileError(
      `The CSV has no value column: name one of value, indicator, ioc (found: ${list.length ? list.join(", ") : "no column names"})`,
      "value",
    );
  }
  return { width: fields.length, index };
}

const shorten = (text: string, max = 200): string => (text.length > max ? `${text.slice(0, max)}…` : text);

/** One data row → a candidate, a problem, or null for a blank row (skipped silently). */
function readRow(fields: string[], line: number, header: Header): ImportItem | null {
  if (fields.every((f) => f.trim() === "")) return null;
  const field = (column: Column): string | undefined => {
    const i = header.index[column];
    return i === undefined ? undefined : fields[i];
  };
  const rawValue = field("value") ?? "";
  const value = unguardFormula(rawValue).trim();
  const problem = (message: string, shown = value): ImportItem => ({
    ok: false,
    problem: { line, value: shown, message },
  });

  if (fields.length !== header.width) {
    return problem(
      `the row has ${fields.length} ${fields.length === 1 ? "field" : "fields"} but the header has ${header.width}`,
    );
  }
  if (fields.some((f) => f.includes("\u0000") || f.includes("\uFFFD"))) {
    return problem("the row holds binary data (not UTF-8 text)", shorten(value));
  }
  if (fields.some((f) => f.length > CSV_FIELD_MAX)) {
    return problem(`a field is longer than ${CSV_FIELD_MAX} characters`, shorten(value));
  }

  const problems: string[] = [];
  if (value === "") problems.push("empty value");
  const candidate: ImportCandidate = { line, value, type: null };

  const type = field("type")?.trim();
  if (type) candidate.type = type;

  for (const [column, key, label] of [
    ["firstSeen", "firstSeen", "first_seen"],
    ["lastSeen", "lastSeen", "last_seen"],
  ] as const) {
    const text = field(column)?.trim();
    if (!text) continue;
    const date = parseDateText(text);
    if (date) candidate[key] = date;
    else problems.push(`${label} ${text} is not a date: use YYYY-MM-DD or M/D/YYYY`);
  }

  const confidence = field("confidence")?.trim();
  if (confidence) {
    const n = parseConfidenceText(confidence);
    if (n === null) problems.push(`confidence ${confidence} is not a whole number from 0 to 100`);
    else candidate.confidence = n;
  }

  const tlp = field("tlp")?.trim();
  if (tlp) {
    const key = parseTlp(tlp);
    if (key === null)
      problems.push(`tlp ${tlp} is not a TLP level: use CLEAR, GREEN, AMBER, AMBER+STRICT or RED`);
    else candidate.tlp = key;
  }

  const techniques = field("techniques")?.trim();
  if (techniques) {
    const { ids, bad } = parseTechniqueList(techniques);
    if (bad.length) {
      problems.push(
        `techniques ${bad.join(", ")} ${bad.length === 1 ? "is not an ATT&CK technique id" : "are not ATT&CK technique ids"} (like T1566 or T1059.001)`,
      );
    } else candidate.techniqueIds = ids;
  }

  const description = field("description");
  if (description !== undefined && description.trim() !== "")
    candidate.description = unguardFormula(description);

  const source = field("source");
  if (source !== undefined && source.trim() !== "") candidate.source = unguardFormula(source).trim();

  if (problems.length) return problem(problems.join("; "));
  return { ok: true, candidate };
}

/** Byte offsets where each line break ends (\r\n, \n or a lone \r), kept only for the unread part. */
class LineBreakIndex {
  private ends: number[] = [];
  private head = 0;
  private forgotten = 0;
  private offset = 0;
  private pendingCr = false;

  add(buf: Uint8Array): void {
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i];
      if (this.pendingCr) {
        this.pendingCr = false;
        if (b === 10) {
          this.ends.push(this.offset + i + 1);
          continue;
        }
        this.ends.push(this.offset + i);
      }
      if (b === 13) this.pendingCr = true;
      else if (b === 10) this.ends.push(this.offset + i + 1);
    }
    this.offset += buf.length;
  }

  finish(): void {
    if (this.pendingCr) this.ends.push(this.offset);
    this.pendingCr = false;
  }

  /** How many line breaks end before (strictly, or also at) a byte offset. */
  count(offset: number, inclusive: boolean): number {
    let lo = this.head;
    let hi = this.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const end = this.ends[mid] ?? Infinity;
      if (end < offset || (inclusive && end === offset)) lo = mid + 1;
      else hi = mid;
    }
    return this.forgotten + (lo - this.head);
  }

  /** Drops the breaks that end before `offset`: no later question asks about them. */
  forget(offset: number): void {
    while (this.head < this.ends.length && (this.ends[this.head] ?? Infinity) < offset) {
      this.head++;
      this.forgotten++;
    }
    if (this.head > 4096 && this.head * 2 > this.ends.length) {
      this.ends = this.ends.slice(this.head);
      this.head = 0;
    }
  }
}

const SKIP_MESSAGES: Partial<Record<string, string>> = {
  INVALID_OPENING_QUOTE:
    'a quote (") inside an unquoted field: quote the whole field and double the quotes in it',
  CSV_INVALID_CLOSING_QUOTE:
    "text after a closing quote: a quoted field must end at a delimiter or the end of the line",
  CSV_QUOTE_NOT_CLOSED: "a quoted field is never closed: the rest of the file was read into it",
};

/**
 * Drives one csv-parse Parser and collects what each chunk produced, in file order. Every record and
 * every skipped bad record arrives through on_record / on_skip, which queue it here (on_record returns
 * null, so nothing waits on the parser's readable side); csv-parse runs its transform inside write(),
 * so the queue holds at most one slice's worth of rows when it is drained.
 */
class CsvRecordReader {
  private readonly parser: Parser;
  private readonly lines = new LineBreakIndex();
  private readonly queue: (ImportItem | InterchangeFileError)[] = [];
  private header: Header | null = null;
  private stopped = false;
  private streamError: Error | null = null;

  constructor(delimiter: string) {
    this.parser = parse({
      delimiter,
      bom: true,
      record_delimiter: ["\r\n", "\n", "\r"],
      relax_column_count: true,
      skip_records_with_error: true,
      max_record_size: RECORD_MAX_BYTES,
      on_record: (record: string[], context: InfoRecord) => {
        if (!this.stopped) this.onRecord(record, context.bytes);
        return null;
      },
      on_skip: (err: CsvError | undefined) => {
        if (!this.stopped && err) this.onSkip(err);
        return undefined;
      },
    });
    this.parser.on("error", (err: Error) => {
      this.streamError = err;
    });
  }

  private fail(error: InterchangeFileError): void {
    this.queue.push(error);
    this.stopped = true;
  }

  private onRecord(record: string[], endOffset: number): void {
    try {
      // The record ends on the line of its terminating break; its quoted fields hold the lines before.
      const endLine = 1 + this.lines.count(endOffset, false);
      const line = endLine - record.reduce((n, field) => n + countLineBreaks(field), 0);
      this.lines.forget(endOffset);
      if (this.header === null) {
        if (record.every((f) => f.trim() === "")) return; // blank lines before the header
        this.header = readHeader(record);
        return;
      }
      const item = readRow(record, line, this.header);
      if (item) this.queue.push(item);
    } catch (err) {
      this.fail(
        err instanceof InterchangeFileError
          ? err
          : new InterchangeFileError(`The CSV could not be read: ${String(err)}`),
      );
    }
  }

  private onSkip(err: CsvError): void {
    const offset = typeof err.bytes === "number" ? err.bytes : 0;
    const line = 1 + this.lines.count(offset, true);
    if (err.code === "CSV_MAX_RECORD_SIZE") {
      this.fail(
        new InterchangeFileError(
          `The CSV could not be read past line ${line}: a row is longer than ${RECORD_MAX_BYTES} bytes (is a quote left open?)`,
        ),
      );
      return;
    }
    const message = SKIP_MESSAGES[err.code] ?? `the row is not valid CSV (${err.message})`;
    if (this.header === null) {
      this.fail(new InterchangeFileError(`The CSV header on line ${line} is not valid CSV: ${message}`));
      return;
    }
    this.queue.push({ ok: false, problem: { line, value: "", message } });
  }

  /** Feeds one chunk; the items it completed come back in order. Throws a file error once reached. */
  *write(chunk: Buffer): Generator<ImportItem> {
    if (!this.stopped) {
      this.lines.add(chunk);
      this.parser.write(chunk);
    }
    yield* this.drain();
  }

  async *end(): AsyncGenerator<ImportItem> {
    if (!this.stopped) {
      this.lines.finish();
      const parser = this.parser;
      await new Promise<void>((resolve, reject) => {
        parser.once("finish", () => resolve());
        parser.once("error", reject);
        parser.end();
      }).catch((err: unknown) => {
        this.streamError ??= err instanceof Error ? err : new Error(String(err));
      });
    }
    yield* this.drain();
    if (this.streamError)
      throw new InterchangeFileError(`The CSV could not be read: ${this.streamError.message}`);
    if (this.header === null) {
      throw new InterchangeFileError(
        "The CSV is empty: it needs a header row naming a value column (value, indicator or ioc)",
        "value",
      );
    }
  }

  private *drain(): Generator<ImportItem> {
    while (this.queue.length) {
      const items = this.queue.splice(0, this.queue.length);
      for (const item of items) {
        if (item instanceof InterchangeFileError) throw item;
        yield item;
      }
    }
  }

  close(): void {
    this.parser.destroy();
  }
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

function* sliceString(text: string): Generator<Buffer> {
  for (let i = 0; i < text.length;) {
    let end = Math.min(i + SLICE, text.length);
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--;
    yield Buffer.from(text.slice(i, end), "utf8");
    i = end;
  }
}

async function* byteChunks(input: AsyncIterable<string | Uint8Array> | string): AsyncGenerator<Buffer> {
  if (typeof input === "string") {
    yield* sliceString(input);
    return;
  }
  for await (const chunk of input) {
    if (typeof chunk === "string") yield* sliceString(chunk);
    else for (let i = 0; i < chunk.length; i += SLICE) yield Buffer.from(chunk.subarray(i, i + SLICE));
  }
}

/**
 * The first non-blank line of the text (without BOM), or null when it may continue past the text read
 * so far. Quotes are respected, so a quoted header name may hold a line break.
 */
function firstLine(text: string, complete: boolean): string | null {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let quoted = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "\n" || c === "\r")) {
      const line = text.slice(start, i);
      if (line.trim() !== "") return line;
      start = i + 1;
    }
  }
  return complete || text.length >= HEADER_PEEK_MAX ? text.slice(start) : null;
}

/** The header's delimiter: whichever of comma, semicolon and tab it holds most (outside quotes). */
export function detectDelimiter(headerLine: string): "," | ";" | "\t" {
  const counts = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (const c of headerLine) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "," || c === ";" || c === "\t")) counts[c]++;
  }
  if (counts[";"] > counts[","] && counts[";"] >= counts["\t"]) return ";";
  if (counts["\t"] > counts[","] && counts["\t"] > counts[";"]) return "\t";
  return ",";
}

/**
 * Streams the candidates of an indicator CSV. The header row is required; columns are found by name
 * (case-insensitive, with aliases); `line` is the physical line where a row starts (the header is
 * line 1). Throws InterchangeFileError for file-wide faults, yields problems for bad rows.
 */
export async function* readCsvIndicators(
  input: AsyncIterable<string | Uint8Array> | string,
): AsyncGenerator<ImportItem> {
  const source = byteChunks(input);
  let reader: CsvRecordReader | null = null;
  try {
    // Read just enough to see the header line and pick the delimiter.
    const head: Buffer[] = [];
    const decoder = new TextDecoder("utf-8");
    let text = "";
    let done = false;
    let header = firstLine(text, false);
    while (header === null) {
      const next = await source.next();
      if (next.done) {
        done = true;
        text += decoder.decode();
        header = firstLine(text, true) ?? "";
      } else {
        head.push(next.value);
        text += decoder.decode(next.value, { stream: true });
        header = firstLine(text, false);
      }
    }
    const start = Buffer.concat(head).subarray(0, 2);
    if ((start[0] === 0xff && start[1] === 0xfe) || (start[0] === 0xfe && start[1] === 0xff)) {
      throw new InterchangeFileError(
        'The CSV is saved as UTF-16: save it as UTF-8 ("CSV UTF-8") and try again',
      );
    }
    if (header.includes("\u0000") || header.includes("\uFFFD")) {
      throw new InterchangeFileError("This is not a CSV text file: its first line holds binary data");
    }
    reader = new CsvRecordReader(detectDelimiter(header));
    for (const chunk of head) yield* reader.write(chunk);
    if (!done) {
      for (let next = await source.next(); !next.done; next = await source.next()) {
        yield* reader.write(next.value);
      }
    }
    yield* reader.end();
  } finally {
    reader?.close();
    await source.return(undefined);
  }
}
