// Undo the "defanging" advisories apply so that indicators are not clickable: 1.2.3[.]4,
// hxxps://, user[at]example[.]com. Only bracketed markers and the altered schemes change; prose
// such as "the dot com era" or "at (at) least" stays as written, and Unicode look-alikes (fullwidth
// dots, one-dot leaders) are left alone because they are not a defanging convention.
import { isWordChar } from "./chars.ts";

// One pass, every alternative bounded, so the scan is linear even on a megabyte of brackets.
//   1-4: [.] [dot] [@] [at] and their {…} forms, with an optional single space on either side
//   5:   (.) (dot) (@) (at), which are also ordinary prose, so only between word characters
//   6:   [:] [://] [//] [/]
//   7:   hxxp / hxxps before ':', '[:' or '//'; fxp only before '://' or '[:' (FXP is also a real word)
const DEFANG =
  /( ?)(?:\[ ?(dot|\.|at|@) ?\]|\{ ?(dot|\.|at|@) ?\})( ?)|\((dot|\.|at|@)\)|\[(:\/\/|\/\/|:|\/)\]|\bhxxp(s?)(?=:|\/\/|\[:)|\bfxp(?=:\/\/|\[:)/gi;

interface Segment {
  outStart: number;
  outEnd: number;
  inStart: number;
  inEnd: number;
  /** Copied unchanged, so positions inside map one to one. */
  same: boolean;
}

export interface RefangedText {
  text: string;
  /** The span of the original text that produced text.slice(start, end). */
  toSource(start: number, end: number): [number, number];
}

function marker(word: string): string {
  const lower = word.toLowerCase();
  return lower === "dot" || lower === "." ? "." : "@";
}

/** What replaces part of one match: input[from, to) becomes text. Null leaves the match as is. */
interface Edit {
  from: number;
  to: number;
  text: string;
}

/** groups is [whole match, group 1 … group 7], as both matchAll and replace supply them. */
function editFor(groups: readonly (string | undefined)[], start: number, input: string): Edit | null {
  const whole = groups[0] ?? "";
  const end = start + whole.length;
  const bracketWord = groups[2] ?? groups[3];
  if (bracketWord !== undefined) {
    const lead = groups[1] ?? "";
    const trail = groups[4] ?? "";
    // "admin [at] example [dot] com": the spaces belong to the obfuscation, not to the text.
    if (lead && trail && isWordChar(input[start - 1]) && isWordChar(input[end])) {
      return { from: start, to: end, text: marker(bracketWord) };
    }
    return { from: start + lead.length, to: end - trail.length, text: marker(bracketWord) };
  }
  const paren = groups[5];
  if (paren !== undefined) {
    const between = isWordChar(input[start - 1]) && isWordChar(input[end]);
    return between ? { from: start, to: end, text: marker(paren) } : null;
  }
  const separator = groups[6];
  if (separator !== undefined) return { from: start, to: end, text: separator };
  const secure = groups[7];
  if (secure !== undefined) return { from: start, to: end, text: secure ? "https" : "http" };
  return { from: start, to: end, text: "ftp" };
}

/** Refang and keep a map back to the original, so the extractor can show what was pasted. */
export function refangMapped(input: string): RefangedText {
  const segments: Segment[] = [];
  const parts: string[] = [];
  let outPos = 0;
  let inPos = 0;

  const push = (inStart: number, inEnd: number, out: string, same: boolean) => {
    if (inStart === inEnd && out === "") return;
    segments.push({ outStart: outPos, outEnd: outPos + out.length, inStart, inEnd, same });
    parts.push(out);
    outPos += out.length;
  };

  for (const match of input.matchAll(DEFANG)) {
    const edit = editFor(match, match.index, input);
    if (!edit) continue;
    push(inPos, edit.from, input.slice(inPos, edit.from), true);
    push(edit.from, edit.to, edit.text, false);
    inPos = edit.to;
  }
  push(inPos, input.length, input.slice(inPos), true);

  const text = parts.join("");

  // The segment holding output position pos; `after` picks the earlier one at a boundary.
  const find = (pos: number, after: boolean): Segment | undefined => {
    let low = 0;
    let high = segments.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const segment = segments[mid];
      if (!segment) break;
      const startsAfter = after ? segment.outStart >= pos : segment.outStart > pos;
      const endsBefore = after ? segment.outEnd < pos : segment.outEnd <= pos;
      if (startsAfter) high = mid - 1;
      else if (endsBefore) low = mid + 1;
      else return segment;
    }
    return undefined;
  };

  const toSource = (start: number, end: number): [number, number] => {
    const first = find(start, false);
    const last = find(end, true);
    const from = first
      ? first.same
        ? first.inStart + (start - first.outStart)
        : first.inStart
      : input.length;
    const to = last ? (last.same ? last.inStart + (end - last.outStart) : last.inEnd) : from;
    return [from, Math.max(from, to)];
  };

  return { text, toSource };
}

export function refang(text: string): string {
  // The same edits as refangMapped without building the map: normalizing needs no positions.
  const parts: string[] = [];
  let inPos = 0;
  for (const match of text.matchAll(DEFANG)) {
    const edit = editFor(match, match.index, text);
    if (!edit) continue;
    parts.push(text.slice(inPos, edit.from), edit.text);
    inPos = edit.to;
  }
  parts.push(text.slice(inPos));
  return parts.join("");
}
