// Figures that came from published sources, grouped so that figures of the same quantity from
// different sources sit side by side ("≈ 25 organizations" per Microsoft, 22 per the CSRB).
export interface SourcedFigureRow {
  key: string;
  label: string;
  value: string;
  qualifier: string | null;
  sourceUrl: string;
  sourceDate: Date | null;
  note: string | null;
}

export interface SourcedFigureDto {
  key: string;
  label: string;
  /** The value as published, with its qualifier in symbols ("≈ 25", "≥ 391"). */
  display: string;
  value: string;
  qualifier: string | null;
  source: { name: string; url: string };
  /** The source's date: as recorded, else as its address states it (YYYY-MM-DD or YYYY-MM); null when unknown. */
  sourceDate: string | null;
  sourceDateBasis: "recorded" | "address" | null;
  note: string | null;
}

export interface FigureGroupDto {
  key: string;
  title: string;
  figures: SourcedFigureDto[];
  /** True when the group's sources give different values. */
  disagree: boolean;
}

/** Keys that measure the same quantity under different names. */
const SAME_QUANTITY: Record<string, { group: string; title: string }> = {
  organizationsAffected: { group: "organizations", title: "Organizations affected" },
  enterpriseOrganizations: { group: "organizations", title: "Organizations affected" },
  stateDeptAccounts: { group: "stateDeptAccounts", title: "State Department accounts accessed" },
  stateDeptEmailsDownloaded: { group: "stateDeptEmailsDownloaded", title: "State Department emails taken" },
  personalAccounts: { group: "personalAccounts", title: "Personal accounts affected" },
};

/** Figures an executive looks for first, in this order; the rest follow. */
const HEADLINE_GROUPS = [
  "organizations",
  "stateDeptEmailsDownloaded",
  "stateDeptAccounts",
  "personalAccounts",
];

const SOURCE_NAMES: Array<[RegExp, string]> = [
  [/cyber-safety-review-board/, "CSRB"],
  [/^https?:\/\/(www\.)?cisa\.gov\//, "CISA"],
  [/^https?:\/\/msrc\.microsoft\.com\//, "Microsoft (MSRC)"],
  [/^https?:\/\/([a-z]+\.)?microsoft\.com\//, "Microsoft"],
  [/^https?:\/\/(www\.)?wiz\.io\//, "Wiz"],
  [/^https?:\/\/(www\.)?channelnewsasia\.com\//, "Reuters (via CNA)"],
  [/^https?:\/\/(www\.)?bleepingcomputer\.com\//, "BleepingComputer"],
  [/^https?:\/\/(www\.)?whitehouse\.gov\//, "The White House"],
];

export function sourceName(url: string): string {
  for (const [pattern, name] of SOURCE_NAMES) if (pattern.test(url)) return name;
  try {
    return new URL(url).hostname.replace(/^www\./, "");
  } catch {
    return url;
  }
}

/** A date in the source's address (/2023/07/14/ or /2023/07/), the way news and blog URLs carry it. */
export function dateFromAddress(url: string): string | null {
  const match = /\/(20\d{2}|19\d{2})\/(0[1-9]|1[0-2])\/(?:(0[1-9]|[12]\d|3[01])\/)?/.exec(url);
  if (!match) return null;
  return match[3] ? `${match[1]}-${match[2]}-${match[3]}` : `${match[1]}-${match[2]}`;
}

const QUALIFIER_SYMBOLS: Record<string, string> = {
  approximately: "≈ ",
  about: "≈ ",
  "at least": "≥ ",
  "more than": "> ",
  over: "> ",
  "up to": "≤ ",
};

export function toSourcedFigureDto(row: SourcedFigureRow): SourcedFigureDto {
  const prefix = row.qualifier ? (QUALIFIER_SYMBOLS[row.qualifier.toLowerCase()] ?? `${row.qualifier} `) : "";
  const fromAddress = dateFromAddress(row.sourceUrl);
  return {
    key: row.key,
    label: row.label,
    display: `${prefix}${row.value}`,
    value: row.value,
    qualifier: row.qualifier,
    source: { name: sourceName(row.sourceUrl), url: row.sourceUrl },
    sourceDate: row.sourceDate ? row.sourceDate.toISOString().slice(0, 10) : fromAddress,
    sourceDateBasis: row.sourceDate ? "recorded" : fromAddress ? "address" : null,
    note: row.note,
  };
}

/** The part of a key before its source suffix: `stateDeptAccounts_csrb` → `stateDeptAccounts`. */
function baseKey(key: string): string {
  return key.split("_")[0] ?? key;
}

export function groupSourcedFigures(rows: readonly SourcedFigureRow[]): FigureGroupDto[] {
  const groups = new Map<string, FigureGroupDto>();
  for (const row of rows) {
    const base = baseKey(row.key);
    const known = SAME_QUANTITY[base];
    const key = known?.group ?? base;
    let group = groups.get(key);
    if (!group) {
      group = { key, title: known?.title ?? row.label, figures: [], disagree: false };
      groups.set(key, group);
    }
    group.figures.push(toSourcedFigureDto(row));
  }
  for (const group of groups.values()) {
    group.disagree = new Set(group.figures.map((f) => f.display)).size > 1;
    // One figure on its own is titled by what it says.
    if (group.figures.length === 1 && !SAME_QUANTITY[group.key])
      group.title = group.figures[0]?.label ?? group.title;
  }
  const rank = (key: string) => {
    const index = HEADLINE_GROUPS.indexOf(key);
    return index === -1 ? HEADLINE_GROUPS.length : index;
  };
  return [...groups.values()].sort((a, b) => rank(a.key) - rank(b.key));
}

export function isHeadlineGroup(group: FigureGroupDto): boolean {
  return HEADLINE_GROUPS.includes(group.key);
}
