// Field readers shared by the CSV and STIX importers (TLP words, dates, technique ids, confidence) and
// the CSV formula guard that the CSV writer applies and the CSV reader undoes.
import type { TlpKey } from "./records.ts";

export const TLP_KEYS: readonly TlpKey[] = ["CLEAR", "GREEN", "AMBER", "AMBER_STRICT", "RED"];

/** How the CSV writer spells a TLP level: the TLP 2.0 word without the "TLP:" prefix. */
export const TLP_WORDS: Record<TlpKey, string> = {
  CLEAR: "CLEAR",
  GREEN: "GREEN",
  AMBER: "AMBER",
  AMBER_STRICT: "AMBER+STRICT",
  RED: "RED",
};

/** Most restrictive last: used to pick one level when an object carries several markings. */
export const tlpRank = (key: TlpKey): number => TLP_KEYS.indexOf(key);

/**
 * Reads "TLP:AMBER+STRICT", "amber+strict", "AMBER_STRICT", "amber strict", "clear", "TLP:WHITE"
 * (TLP 1.0 white is TLP 2.0 clear). Null when the text is no TLP level.
 */
export function parseTlp(text: string): TlpKey | null {
  const word = text
    .trim()
    .toUpperCase()
    .replace(/^TLP\s*[:\s_-]\s*/, "")
    .replace(/\s*[+\s_-]\s*/g, "_");
  if (word === "WHITE") return "CLEAR";
  return (TLP_KEYS as readonly string[]).includes(word) ? (word as TlpKey) : null;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

function utcDate(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  millisecond = 0,
): Date | null {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millisecond);
  // A day past the month's end (2023-02-30) rolls over: refuse it rather than move it.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date;
}

const num = (text: string | undefined): number => (text === undefined ? 0 : Number(text));

/**
 * ISO 8601 date (that UTC day) or date-time (Z or ±HH:MM offset; without one it is read as UTC),
 * or US M/D/YYYY with an optional H:MM[:SS] (UTC). Null when the text is no such date.
 */
export function parseDateText(text: string): Date | null {
  const t = text.trim();
  let m = ISO_DATE.exec(t);
  if (m) return utcDate(num(m[1]), num(m[2]), num(m[3]));
  m = ISO_DATE_TIME.exec(t);
  if (m) {
    const millisecond = m[7] ? Number(m[7].slice(0, 3).padEnd(3, "0")) : 0;
    const date = utcDate(num(m[1]), num(m[2]), num(m[3]), num(m[4]), num(m[5]), num(m[6]), millisecond);
    if (!date) return null;
    const zone = m[8];
    if (zone && zone.toUpperCase() !== "Z") {
      const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
      if (!z) return null;
      const hours = num(z[2]);
      const minutes = num(z[3]);
      if (hours > 23 || minutes > 59) return null;
      const offset = (z[1] === "-" ? -1 : 1) * (hours * 60 + minutes);
      return new Date(date.getTime() - offset * 60_000);
    }
    return date;
  }
  m = US_DATE.exec(t);
  if (m) return utcDate(num(m[3]), num(m[1]), num(m[2]), num(m[4]), num(m[5]), num(m[6]));
  return null;
}

/** A whole number 0–100, or null. */
export function parseConfidenceText(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,3}$/.test(t)) return null;
  const n = Number(t);
  return n <= 100 ? n : null;
}

export const isConfidence = (value: unknown): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 100;

const TECHNIQUE_ID = /^T\d{4}(?:\.\d{3})?$/i;

export const isTechniqueId = (text: string): boolean => TECHNIQUE_ID.test(text);

/** "T1566, T1059.001 t1078" → ids (upper case, first occurrence kept) and the words that are no id. */
export function parseTechniqueList(text: string): { ids: string[]; bad: string[] } {
  const ids: string[] = [];
  const bad: string[] = [];
  for (const word of text.split(/[\s,;]+/)) {
    if (word === "") continue;
    if (!TECHNIQUE_ID.test(word)) bad.push(word);
    else if (!ids.includes(word.toUpperCase())) ids.push(word.toUpperCase());
  }
  return { ids, bad };
}

// CSV formula injection: a spreadsheet runs a cell that starts with = + - @ (or tab / carriage return,
// or the full-width ＝ ＋ － ＠ that Apple Numbers folds to ASCII) as a formula. The CSV writer puts one apostrophe before such text, and also before text that already
// starts with apostrophes followed by one of those characters; the reader removes exactly one
// apostrophe in the same case. The two are inverse, so every text survives a round trip.
const FORMULA_START = /^'*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const GUARDED_FORMULA = /^'+[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

export const guardFormula = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);
export const unguardFormula = (text: string): string => (GUARDED_FORMULA.test(text) ? text.slice(1) : text);

/** Line breaks in a text: \r\n, \n and a lone \r each count once. */
export function countLineBreaks(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) count++;
    else if (c === 13) {
      count++;
      if (text.charCodeAt(i + 1) === 10) i++;
    }
  }
  return count;
}
