// Character checks shared by the normalizer, the detector and the extractor. Control characters
// are found by code point rather than by regex so the rule reads as numbers, not escapes.

/** C0, DEL, C1 and the Unicode line/paragraph separators: never part of a typed indicator. */
export function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

// Format characters (zero-width, bidi embeddings and overrides, tags) plus the fillers that render
// as blank: they make one value look like another, so most types refuse them.
const INVISIBLE = /[\p{Cf}\u034f\u115f\u1160\u3164\uffa0]/u;
const INVISIBLE_ALL = /[\p{Cf}\u034f\u115f\u1160\u3164\uffa0]/gu;
const LONE_SURROGATE = /\p{Cs}/u;

export function codePointName(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** How a character appears in a message: itself when printable ASCII, else its code point. */
export function describeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code > 0x20 && code < 0x7f ? `'${char}'` : codePointName(char);
}

export function firstControl(value: string): string | null {
  for (let i = 0; i < value.length; i++) {
    if (isControl(value.charCodeAt(i))) return value.charAt(i);
  }
  return null;
}

export function firstInvisible(value: string): string | null {
  return INVISIBLE.exec(value)?.[0] ?? null;
}

export function hasLoneSurrogate(value: string): boolean {
  return LONE_SURROGATE.test(value);
}

export function withoutInvisible(value: string): string {
  return value.replace(INVISIBLE_ALL, "");
}

/** Letters, digits, '_' and '-' in any script: what may sit directly around a defanged "(.)". */
export function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /^[\p{L}\p{N}_-]$/u.test(char);
}

/** A short excerpt for messages, so a pasted megabyte never ends up in a problem list. */
export function snippet(value: string, max = 80): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}
