// Small scanners over JSON text: where the first syntax error is (JSON.parse does not always say),
// where each element of a top-level array property starts, and the line of a character offset.

export interface JsonSyntaxError {
  offset: number;
  reason: string;
}

const WS = new Set([" ", "\t", "\n", "\r"]);

class ScanError extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** The first syntax error of a JSON text, or null when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  let i = 0;
  const fail = (reason: string, at = i): never => {
    throw new ScanError(at, reason);
  };
  const describe = (at: number) =>
    at >= text.length
      ? "the end of the file"
      : `'${text[at] === "'" ? "'" : JSON.stringify(text[at]).slice(1, -1)}'`;
  const ws = () => {
    while (i < text.length && WS.has(text[i] ?? "")) i++;
  };
  const string = () => {
    const start = i;
    i++;
    for (;;) {
      if (i >= text.length) fail("a string is not closed", start);
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 0x20) fail("a line break or control character inside a string");
      if (c === 92) {
        const e = text[i + 1] ?? "";
        if ('"\\/bfnrt'.includes(e) && e !== "") i += 2;
        else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else fail("an invalid escape in a string");
      } else i++;
    }
  };
  const value = (depth: number): void => {
    if (depth > 10_000) fail("nesting too deep");
    ws();
    if (i >= text.length) fail("the file ends before the JSON is complete");
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a property name in double quotes, found ${describe(i)}`);
        string();
        ws();
        if (text[i] !== ":") fail(`expected ':' after a property name, found ${describe(i)}`);
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return;
        }
        fail(`expected ',' or '}' in an object, found ${describe(i)}`);
      }
    } else if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return;
        }
        fail(`expected ',' or ']' in an array, found ${describe(i)}`);
      }
    } else if (c === '"') {
      string();
    } else {
      const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
        text.slice(i, i + 400),
      );
      if (!m) fail(`unexpected ${describe(i)}`);
      else i += m[0].length;
    }
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail(`unexpected ${describe(i)} after the end of the JSON value`);
    return null;
  } catch (err) {
    if (err instanceof ScanError) return { offset: err.offset, reason: err.reason };
    if (err instanceof RangeError) return { offset: i, reason: "nesting too deep" };
    throw err;
  }
}

/** Offset just past a JSON string that starts at `i` (valid JSON assumed). */
function skipString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 92) j++;
    else if (c === 34) return j + 1;
  }
  return text.length;
}

function skipWs(text: string, i: number): number {
  while (i < text.length && WS.has(text[i] ?? "")) i++;
  return i;
}

/** Offset just past the JSON value that starts at `i` (valid JSON assumed). */
function skipValue(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return skipString(text, i);
  if (c === "{" || c === "[") {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text[j];
      if (d === '"') j = skipString(text, j) - 1;
      else if (d === "{" || d === "[") depth++;
      else if (d === "}" || d === "]") {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return text.length;
  }
  let j = i;
  while (j < text.length && !WS.has(text[j] ?? "") && !",]}".includes(text[j] ?? "")) j++;
  return j;
}

/**
 * Where each element of the array held by a property of the top-level object starts (offsets), for
 * valid JSON. The last occurrence of the property wins, as in JSON.parse. Empty when there is none.
 */
export function arrayElementOffsets(text: string, property: string): number[] {
  let offsets: number[] = [];
  let i = skipWs(text, 0);
  if (text[i] !== "{") return offsets;
  i = skipWs(text, i + 1);
  while (i < text.length && text[i] !== "}") {
    const keyEnd = skipString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipWs(text, keyEnd);
    i = skipWs(text, i + 1); // the colon
    if (key === property && text[i] === "[") {
      offsets = [];
      i = skipWs(text, i + 1);
      while (i < text.length && text[i] !== "]") {
        offsets.push(i);
        i = skipWs(text, skipValue(text, i));
        if (text[i] === ",") i = skipWs(text, i + 1);
      }
      i++;
    } else {
      i = skipValue(text, i);
    }
    i = skipWs(text, i);
    if (text[i] === ",") i = skipWs(text, i + 1);
  }
  return offsets;
}

/** Line numbers (1-based) of ascending offsets; \r\n, \n and a lone \r each end a line. */
export function linesOfOffsets(text: string, offsets: readonly number[]): number[] {
  const lines: number[] = [];
  let line = 1;
  let pos = 0;
  for (const offset of offsets) {
    for (; pos < offset && pos < text.length; pos++) {
      const c = text.charCodeAt(pos);
      if (c === 10 || (c === 13 && text.charCodeAt(pos + 1) !== 10)) line++;
    }
    lines.push(line);
  }
  return lines;
}
