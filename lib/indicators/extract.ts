// Pull indicators out of text a responder pastes from an advisory or a blog: tables, lists,
// sentences, CSV-ish lines. Each line is refanged, cut into tokens, and each token's type guessed;
// tokens that clearly try to be an indicator but fail validation become problems, everything else
// that matches nothing is ignored. All scanning is linear in the line length: no regex runs on
// more than one bounded token, and searches for closing quotes and parentheses are memoized.
import { snippet } from "./chars.ts";
import { contextHints, detectWithHints, startsLikeUserAgent, type ContextHints } from "./detect.ts";
import { normalizeRefanged } from "./normalize.ts";
import { refangMapped } from "./refang.ts";
import type { IndicatorTypeWord } from "./types.ts";

export interface ExtractedIndicator {
  line: number;
  raw: string;
  type: IndicatorTypeWord;
  value: string;
  normalized: string;
}

export interface ExtractionProblem {
  line: number;
  value: string;
  message: string;
}

export interface ExtractionResult {
  indicators: ExtractedIndicator[];
  problems: ExtractionProblem[];
}

const DEFAULT_MAX_LINE_LENGTH = 100_000;
// No indicator is longer (URLs are capped at 8192); longer tokens are skipped unexamined.
const MAX_TOKEN_LENGTH = 8192;
const MAX_USER_AGENT_LENGTH = 1024;
// host:port, host/path and label:value are each tried once more on the inner part, no deeper.
const MAX_DEPTH = 2;

interface Candidate {
  start: number;
  end: number;
  type: IndicatorTypeWord;
}

/** Whitespace, table pipes and control characters end a token; invisible format characters do not. */
function isSeparator(code: number): boolean {
  return (
    code <= 0x20 ||
    code === 0x7c ||
    (code >= 0x7f && code <= 0xa0) ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

const OPENERS: ReadonlySet<string> = new Set(['"', "'", "`", "(", "[", "{", "<", "*", "“", "‘", "«", "„"]);
const CLOSERS: ReadonlySet<string> = new Set([
  '"',
  "'",
  "`",
  ")",
  "]",
  "}",
  ">",
  "*",
  "”",
  "’",
  "»",
  ".",
  ",",
  ";",
  ":",
  "!",
  "?",
]);
const CLOSING_QUOTE: ReadonlyMap<string, string> = new Map([
  ['"', '"'],
  ["'", "'"],
  ["`", "`"],
  ["“", "”"],
  ["‘", "’"],
  ["«", "»"],
  ["„", "“"],
]);

const PRODUCT_TOKEN = /^[A-Za-z][\w.!+-]{0,60}\/[\w.+-]{1,60}$/;
const CAPITALIZED_WORD = /^[A-Z][A-Za-z]{1,20}$/;
const LABEL_PREFIX = /^[A-Za-z][A-Za-z0-9_-]{0,30}[:=]/;
const PORT = /^\d{1,5}$/;

/** Strip wrapping quotes, brackets, emphasis and trailing punctuation; keep balanced ")" and "]". */
function trimSpan(s: string, start: number, end: number): [number, number] {
  let a = start;
  let b = end;
  while (a < b && OPENERS.has(s.charAt(a))) a++;
  let parens = 0;
  let brackets = 0;
  for (let i = a; i < b; i++) {
    const ch = s.charAt(i);
    if (ch === "(") parens++;
    else if (ch === ")") parens--;
    else if (ch === "[") brackets++;
    else if (ch === "]") brackets--;
  }
  while (b > a) {
    const ch = s.charAt(b - 1);
    if (!CLOSERS.has(ch)) break;
    // Wikipedia-style URLs end in a balanced ")"; "2001:db8::" ends in "::".
    if (ch === ")") {
      if (parens >= 0) break;
      parens++;
    } else if (ch === "]") {
      if (brackets >= 0) break;
      brackets++;
    } else if (ch === ":" && s.charAt(b - 2) === ":") {
      break;
    }
    b--;
  }
  return [a, b];
}

/** s.indexOf(ch, from), remembering the last answer per character so repeated searches stay linear. */
function nextFinder(s: string): (ch: string, from: number) => number {
  const memo = new Map<string, { from: number; at: number }>();
  return (ch, from) => {
    const known = memo.get(ch);
    if (known && from >= known.from && (known.at < 0 || known.at >= from)) return known.at;
    const at = s.indexOf(ch, from);
    memo.set(ch, { from, at });
    return at;
  };
}

interface UserAgentSpan {
  start: number;
  end: number;
  /** Where token scanning resumes. */
  next: number;
}

function tokenEnd(s: string, from: number, limit: number): number {
  let q = from;
  while (q < s.length && q - from <= limit && !isSeparator(s.charCodeAt(q))) q++;
  return q;
}

function skipBlanks(s: string, from: number): number {
  let p = from;
  while (p < s.length && (s[p] === " " || s[p] === "\t")) p++;
  return p;
}

/**
 * A user agent starting at the token [start, end): up to the closing quote when quoted, else as
 * far as its grammar goes (product/version tokens, parenthesized comments, capitalized words
 * such as "Mobile"), so a trailing sentence is not swallowed.
 */
function userAgentAt(
  s: string,
  start: number,
  end: number,
  find: (ch: string, from: number) => number,
): UserAgentSpan | null {
  const [a, b] = trimSpan(s, start, end);
  if (a >= b || b - a > 120 || !startsLikeUserAgent(s.slice(a, b))) return null;
  let quote: string | undefined;
  for (let i = start; i < a; i++) quote = CLOSING_QUOTE.get(s.charAt(i)) ?? quote;

  if (quote !== undefined) {
    const close = find(quote, a);
    if (close >= 0 && close - a <= MAX_USER_AGENT_LENGTH) return { start: a, end: close, next: close + 1 };
  }

  let uaEnd = b;
  let consumed = end;
  while (uaEnd - a <= MAX_USER_AGENT_LENGTH) {
    const p = skipBlanks(s, consumed);
    if (p >= s.length) break;
    if (s[p] === "(") {
      const close = find(")", p);
      const pipe = find("|", p);
      if (close < 0 || (pipe >= 0 && pipe < close) || close - a > MAX_USER_AGENT_LENGTH) break;
      uaEnd = close + 1;
      consumed = uaEnd;
      continue;
    }
    const q = tokenEnd(s, p, 120);
    if (q < s.length && !isSeparator(s.charCodeAt(q))) break; // too long to be a user agent part
    const [wa, wb] = trimSpan(s, p, q);
    const word = s.slice(wa, wb);
    if (wa === p && PRODUCT_TOKEN.test(word)) {
      uaEnd = wb;
      consumed = q;
      if (wb < q) break; // closing punctuation ends the user agent
      continue;
    }
    if (CAPITALIZED_WORD.test(s.slice(p, q))) {
      const r = skipBlanks(s, q);
      const following = s.slice(r, tokenEnd(s, r, 120));
      const [fa, fb] = trimSpan(following, 0, following.length);
      if (s[r] === "(" || (fa === 0 && PRODUCT_TOKEN.test(following.slice(fa, fb)))) {
        uaEnd = q;
        consumed = q;
        continue;
      }
    }
    break;
  }
  return { start: a, end: uaEnd, next: Math.max(consumed, end) };
}

/** An IPv4 address, bracketed IPv6 address or domain in [start, end), allowing a ":port". */
function hostAt(s: string, start: number, end: number, hints: ContextHints): Candidate | null {
  let a = start;
  let b = end;
  // Searched within the piece only: a search over the whole line per token would be quadratic.
  const colon = s.slice(a, b).lastIndexOf(":");
  if (colon >= 0 && PORT.test(s.slice(a + colon + 1, b))) b = a + colon;
  const bracketed = s[a] === "[" || s[b - 1] === "]";
  if (s[a] === "[") a++;
  if (s[b - 1] === "]") b--;
  if (a >= b) return null;
  const type = detectWithHints(s.slice(a, b), hints);
  const isHost = type === "ipv4" || type === "domain" || (type === "ipv6" && bracketed);
  return isHost ? { start: a, end: b, type } : null;
}

function classify(
  s: string,
  start: number,
  end: number,
  hints: ContextHints,
  out: Candidate[],
  depth: number,
) {
  const [a, b] = trimSpan(s, start, end);
  if (a >= b) return;
  const piece = s.slice(a, b);
  const type = detectWithHints(piece, hints);
  if (type) {
    out.push({ start: a, end: b, type });
    return;
  }
  if (depth >= MAX_DEPTH) return;

  // "ip=1.2.3.4", "JARM:2ad2…": a label glued to its value.
  const label = LABEL_PREFIX.exec(piece);
  if (label && !piece.startsWith("//", label[0].length)) {
    classify(s, a + label[0].length, b, hints, out, depth + 1);
    return;
  }
  // C:\Users\Public\update.exe: the file name is the indicator.
  const backslash = piece.lastIndexOf("\\");
  if (backslash >= 0) {
    const [fa, fb] = trimSpan(s, a + backslash + 1, b);
    if (fa < fb && detectWithHints(s.slice(fa, fb), hints) === "filename") {
      out.push({ start: fa, end: fb, type: "filename" });
    }
    return;
  }
  // evil.com/payload or 1.2.3.4:8080/x without a scheme: the host is the indicator we can be sure of.
  const slash = piece.indexOf("/");
  if (slash < 0 && !piece.includes(":")) return; // the whole piece was detected as nothing above
  const host = hostAt(s, a, slash > 0 ? a + slash : b, hints);
  if (host) out.push(host);
}

/** Split a token at Markdown link joints ("](") and at commas and semicolons outside a URL query. */
function splitToken(s: string, start: number, end: number, hints: ContextHints, out: Candidate[]) {
  const token = s.slice(start, end);
  let from = 0;
  const parts: [number, number][] = [];
  for (let link = token.indexOf("]("); link >= 0; link = token.indexOf("](", from)) {
    parts.push([from, link]);
    from = link + 2;
  }
  parts.push([from, token.length]);

  for (const [partStart, partEnd] of parts) {
    const scheme = token.indexOf("://", partStart);
    const query = scheme >= 0 && scheme < partEnd ? token.indexOf("?", scheme) : -1;
    let pieceStart = partStart;
    for (let i = partStart; i < partEnd; i++) {
      const ch = token[i];
      if ((ch === "," || ch === ";") && (query < 0 || i < query)) {
        classify(s, start + pieceStart, start + i, hints, out, 0);
        pieceStart = i + 1;
      }
    }
    classify(s, start + pieceStart, start + partEnd, hints, out, 0);
  }
}

function scanLine(s: string): Candidate[] {
  const hints = contextHints(s);
  const find = nextFinder(s);
  const out: Candidate[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && isSeparator(s.charCodeAt(i))) i++;
    if (i >= s.length) break;
    let j = i;
    while (j < s.length && !isSeparator(s.charCodeAt(j))) j++;
    if (j - i > MAX_TOKEN_LENGTH) {
      i = j;
      continue;
    }
    // 'ua="curl/8.0 (x)"': a label glued to a quoted user agent.
    const label = LABEL_PREFIX.exec(s.slice(i, Math.min(j, i + 40)));
    const userAgent =
      userAgentAt(s, i, j, find) ?? (label ? userAgentAt(s, i + label[0].length, j, find) : null);
    if (userAgent) {
      out.push({ start: userAgent.start, end: userAgent.end, type: "user-agent" });
      i = userAgent.next;
      continue;
    }
    splitToken(s, i, j, hints, out);
    i = j;
  }
  return out;
}

/** The host of a normalized URL, in the form the domain and IP normalizers produce. */
function urlHost(normalized: string): string | null {
  try {
    const host = new URL(normalized).hostname;
    return host.startsWith("[") ? host.slice(1, -1) : host;
  } catch {
    return null;
  }
}

const HOST_TYPES: ReadonlySet<IndicatorTypeWord> = new Set(["domain", "ipv4", "ipv6"]);

/** Find indicators in pasted text, and the tokens that tried to be one but are broken. */
export function extractIndicators(text: string, options?: { maxLineLength?: number }): ExtractionResult {
  const maxLineLength = options?.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  const indicators: ExtractedIndicator[] = [];
  const problems: ExtractionProblem[] = [];
  const seen = new Set<string>();
  const seenProblems = new Set<string>();

  const addProblem = (line: number, value: string, message: string) => {
    const key = `${value}\u0000${message}`;
    if (seenProblems.has(key)) return;
    seenProblems.add(key);
    problems.push({ line, value, message });
  };

  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((original, index) => {
    const line = index + 1;
    if (original.length > maxLineLength) {
      addProblem(
        line,
        snippet(original, 40),
        `line is longer than ${maxLineLength} characters, so it was skipped`,
      );
      return;
    }
    const refanged = refangMapped(original);
    const found = scanLine(refanged.text).map((candidate) => {
      const [from, to] = refanged.toSource(candidate.start, candidate.end);
      const value = refanged.text.slice(candidate.start, candidate.end);
      return { candidate, raw: original.slice(from, to), result: normalizeRefanged(candidate.type, value) };
    });

    // A URL's host is part of that indicator; listing it again would only be noise.
    const hosts = new Set<string>();
    for (const { candidate, result } of found) {
      if (candidate.type !== "url" || !result.ok) continue;
      const host = urlHost(result.normalized);
      if (host) hosts.add(host);
    }

    for (const { candidate, raw, result } of found) {
      if (!result.ok) {
        addProblem(line, snippet(raw, 200), result.message);
        continue;
      }
      if (HOST_TYPES.has(candidate.type) && hosts.has(result.normalized)) continue;
      const key = `${candidate.type}\u0000${result.normalized}`;
      if (seen.has(key)) continue;
      seen.add(key);
      indicators.push({
        line,
        raw,
        type: candidate.type,
        value: result.value,
        normalized: result.normalized,
      });
    }
  });

  return { indicators, problems };
}
