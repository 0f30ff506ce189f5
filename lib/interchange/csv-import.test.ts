import { describe, expect, it } from "vitest";
import { readCsvIndicators } from "./csv-import.ts";
import {
  InterchangeFileError,
  type ImportCandidate,
  type ImportItem,
  type ImportProblem,
} from "./records.ts";

async function readAll(input: Parameters<typeof readCsvIndicators>[0]): Promise<ImportItem[]> {
  const items: ImportItem[] = [];
  for await (const item of readCsvIndicators(input)) items.push(item);
  return items;
}

const candidates = (items: ImportItem[]): ImportCandidate[] =>
  items.flatMap((i) => (i.ok ? [i.candidate] : []));
const problems = (items: ImportItem[]): ImportProblem[] => items.flatMap((i) => (i.ok ? [] : [i.problem]));

async function fileError(input: Parameters<typeof readCsvIndicators>[0]): Promise<InterchangeFileError> {
  try {
    await readAll(input);
  } catch (err) {
    expect(err).toBeInstanceOf(InterchangeFileError);
    return err as InterchangeFileError;
  }
  throw new Error("expected an InterchangeFileError");
}

async function* chunked(text: string | Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  let i = 0;
  for (let k = 0; i < bytes.length; k++) {
    const size = sizes[k % sizes.length] ?? 1;
    yield bytes.slice(i, i + size);
    i += size;
  }
}

describe("readCsvIndicators: columns", () => {
  it("maps columns by name, case-insensitively and by alias, ignoring unknown ones", async () => {
    const csv =
      "Extra,IOC,Indicator Type,First Seen,LastSeen,Comment,Marking,Confidence,Reference,ATTACK\n" +
      "x,evil.example,domain,2024-03-01,2024-03-05T10:20:30Z,seen in logs,TLP:AMBER,80,https://r.example/1,T1566 t1059.001\n";
    expect(candidates(await readAll(csv))).toEqual([
      {
        line: 2,
        value: "evil.example",
        type: "domain",
        firstSeen: new Date("2024-03-01T00:00:00Z"),
        lastSeen: new Date("2024-03-05T10:20:30Z"),
        description: "seen in logs",
        tlp: "AMBER",
        confidence: 80,
        source: "https://r.example/1",
        techniqueIds: ["T1566", "T1059.001"],
      },
    ]);
  });

  it.each([["value"], ["Value(s)"], ["indicator"], ["IOC"], ["observable"], ["values"]])(
    "accepts %s as the value column",
    async (name) => {
      expect(candidates(await readAll(`${name}\n1.2.3.4\n`))).toEqual([
        { line: 2, value: "1.2.3.4", type: null },
      ]);
    },
  );

  it.each([["valid_from"], ["first_seen"], ["firstseen"], ["First Seen"]])(
    "accepts %s as first seen",
    async (name) => {
      const [c] = candidates(await readAll(`value,${name}\na,2024-01-02\n`));
      expect(c?.firstSeen).toEqual(new Date("2024-01-02T00:00:00Z"));
    },
  );

  it("throws when no column holds values, listing what it found", async () => {
    const err = await fileError("address,kind,notes\n1.2.3.4,ipv4,x\n");
    expect(err.message).toBe(
      "The CSV has no value column: name one of value, indicator, ioc (found: address, kind, notes)",
    );
    expect(err.field).toBe("value");
  });

  it("throws for an empty file; a header alone gives nothing", async () => {
    expect((await fileError("")).message).toMatch(/The CSV is empty/);
    expect((await fileError("\n\r\n")).message).toMatch(/The CSV is empty/);
    expect(await readAll("value,type\n")).toEqual([]);
    expect(await readAll("value,type")).toEqual([]);
  });
});

describe("readCsvIndicators: format", () => {
  const expected = [
    { line: 2, value: "a.example", type: "domain" },
    { line: 3, value: "b;c", type: "other" },
  ];

  it("reads a UTF-8 BOM, CRLF line ends and semicolons", async () => {
    const items = await readAll('\uFEFFvalue;type\r\na.example;domain\r\n"b;c";other\r\n');
    expect(candidates(items)).toEqual(expected);
  });

  it("reads tabs", async () => {
    expect(candidates(await readAll('value\ttype\na.example\tdomain\n"b;c"\tother\n'))).toEqual(expected);
  });

  it("prefers the delimiter the header uses most", async () => {
    // commas inside values do not matter: the header decides
    const items = await readAll("value;description\na.example;one, two, three\n");
    expect(candidates(items)).toEqual([
      { line: 2, value: "a.example", type: null, description: "one, two, three" },
    ]);
  });

  it("keeps physical line numbers through quoted line breaks, blank lines and quotes", async () => {
    const csv = [
      "value,description", // 1
      'a,"two', // 2
      'lines"', // 3
      "b,plain", // 4
      '"c","x\r\ny\r\nz"', // 5-7 (CRLF inside a LF file)
      "", // 8
      'd,"""quoted"", and, commas"', // 9
      "e,last", // 10 (no final line break)
    ].join("\n");
    const got = candidates(await readAll(csv)).map((c) => [c.line, c.value, c.description]);
    expect(got).toEqual([
      [2, "a", "two\nlines"],
      [4, "b", "plain"],
      [5, "c", "x\r\ny\r\nz"],
      [9, "d", '"quoted", and, commas'],
      [10, "e", "last"],
    ]);
  });

  it("counts CRLF files and quoted CRLF breaks as one line each", async () => {
    const csv = 'value,description\r\na,"1\r\n2\r\n3"\r\nb,x\r\n\r\nc,y\r\n';
    expect(candidates(await readAll(csv)).map((c) => c.line)).toEqual([2, 5, 7]);
  });

  it("gives the same items whatever the chunking (split BOM, CRLF and UTF-8 characters)", async () => {
    const csv =
      '\uFEFFvalue,type,description\r\nbücher.example,domain,"naïve\r\n🚨 alert"\r\n"x,y",other,日本語\r\nz,other,\r\n';
    const whole = await readAll(csv);
    expect(candidates(whole).map((c) => c.line)).toEqual([2, 4, 5]);
    for (const sizes of [[1], [2], [3, 1, 5], [7], [4096]]) {
      expect(await readAll(chunked(csv, sizes))).toEqual(whole);
    }
    // strings as chunks too
    async function* strings() {
      for (const part of csv.match(/[\s\S]{1,3}/gu) ?? []) yield part;
    }
    expect(await readAll(strings())).toEqual(whole);
  });

  it("skips blank lines before the header and counts them", async () => {
    expect(candidates(await readAll("\n\nvalue\na\n"))).toEqual([{ line: 4, value: "a", type: null }]);
  });

  it("undoes exactly the formula-guard apostrophe", async () => {
    const csv = "value,description,source\n'=1+1,'@SUM(A1),'-x\n''=a,'plain,'+1 555\n'abc,-raw,@raw\n";
    const got = candidates(await readAll(csv)).map((c) => [c.value, c.description, c.source]);
    expect(got).toEqual([
      ["=1+1", "@SUM(A1)", "-x"],
      ["'=a", "'plain", "+1 555"],
      ["'abc", "-raw", "@raw"],
    ]);
  });
});

describe("readCsvIndicators: values", () => {
  it("reads ISO and US dates as UTC", async () => {
    const csv = [
      "value,first_seen,last_seen",
      "a,2024-02-29,2024-03-01T12:00:00+02:00",
      "b,1/2/2023,12/31/2023 23:59",
      "c,2024-03-01T12:00:00.123Z,2024-03-01 12:00",
    ].join("\n");
    const got = candidates(await readAll(csv)).map((c) => [
      c.firstSeen?.toISOString(),
      c.lastSeen?.toISOString(),
    ]);
    expect(got).toEqual([
      ["2024-02-29T00:00:00.000Z", "2024-03-01T10:00:00.000Z"],
      ["2023-01-02T00:00:00.000Z", "2023-12-31T23:59:00.000Z"],
      ["2024-03-01T12:00:00.123Z", "2024-03-01T12:00:00.000Z"],
    ]);
  });

  it("reads TLP words of TLP 1.0 and 2.0", async () => {
    const words = [
      "TLP:CLEAR",
      "clear",
      "white",
      "TLP:WHITE",
      "green",
      "TLP:AMBER",
      "amber+strict",
      "AMBER_STRICT",
      "TLP:AMBER+STRICT",
      "Red",
    ];
    const csv = ["value,tlp", ...words.map((w, i) => `v${i},${w}`)].join("\n");
    expect(candidates(await readAll(csv)).map((c) => c.tlp)).toEqual([
      "CLEAR",
      "CLEAR",
      "CLEAR",
      "CLEAR",
      "GREEN",
      "AMBER",
      "AMBER_STRICT",
      "AMBER_STRICT",
      "AMBER_STRICT",
      "RED",
    ]);
  });

  it("reports bad dates, confidence, TLP and techniques per line, naming the column", async () => {
    const csv = [
      "value,first_seen,last_seen,confidence,tlp,techniques",
      "a,13/45/2023,,,,",
      "b,,2023-02-30,,,",
      "c,,,101,,",
      "d,,,high,,",
      "e,,,,purple,",
      "f,,,,,T1566 phishing",
      "g,yesterday,,-1,,",
      "h,2024-01-01,,0,amber,T1566",
    ].join("\n");
    const items = await readAll(csv);
    expect(problems(items)).toEqual([
      { line: 2, value: "a", message: "first_seen 13/45/2023 is not a date: use YYYY-MM-DD or M/D/YYYY" },
      { line: 3, value: "b", message: "last_seen 2023-02-30 is not a date: use YYYY-MM-DD or M/D/YYYY" },
      { line: 4, value: "c", message: "confidence 101 is not a whole number from 0 to 100" },
      { line: 5, value: "d", message: "confidence high is not a whole number from 0 to 100" },
      {
        line: 6,
        value: "e",
        message: "tlp purple is not a TLP level: use CLEAR, GREEN, AMBER, AMBER+STRICT or RED",
      },
      {
        line: 7,
        value: "f",
        message: "techniques phishing is not an ATT&CK technique id (like T1566 or T1059.001)",
      },
      {
        line: 8,
        value: "g",
        message:
          "first_seen yesterday is not a date: use YYYY-MM-DD or M/D/YYYY; confidence -1 is not a whole number from 0 to 100",
      },
    ]);
    expect(candidates(items)).toEqual([
      {
        line: 9,
        value: "h",
        type: null,
        firstSeen: new Date("2024-01-01T00:00:00Z"),
        confidence: 0,
        tlp: "AMBER",
        techniqueIds: ["T1566"],
      },
    ]);
  });

  it("reports an empty value and skips rows with no content", async () => {
    const items = await readAll("value,type\n,domain\n  ,domain\n,\nok,domain\n");
    expect(problems(items)).toEqual([
      { line: 2, value: "", message: "empty value" },
      { line: 3, value: "", message: "empty value" },
    ]);
    expect(candidates(items)).toEqual([{ line: 5, value: "ok", type: "domain" }]);
  });

  it("reports rows with the wrong number of fields and goes on", async () => {
    const items = await readAll("value,type\na,domain,extra\nb\nc,domain\n");
    expect(problems(items)).toEqual([
      { line: 2, value: "a", message: "the row has 3 fields but the header has 2" },
      { line: 3, value: "b", message: "the row has 1 field but the header has 2" },
    ]);
    expect(candidates(items)).toEqual([{ line: 4, value: "c", type: "domain" }]);
  });

  it("reports a field longer than 100,000 characters", async () => {
    const items = await readAll(`value,description\na,${"x".repeat(100_001)}\nb,${"y".repeat(100_000)}\n`);
    expect(problems(items)).toEqual([
      { line: 2, value: "a", message: "a field is longer than 100000 characters" },
    ]);
    expect(candidates(items).map((c) => c.value)).toEqual(["b"]);
  });
});

describe("readCsvIndicators: garbage", () => {
  it("reports a row of binary data and goes on", async () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode("value,type\n"),
      0x00,
      0xff,
      0xfe,
      0x2c,
      0x80,
      0x0a, // line 2: NUL, invalid UTF-8, a comma
      ...new TextEncoder().encode("ok,domain\n"),
    ]);
    const items = await readAll(chunked(bytes, [5]));
    expect(problems(items)).toEqual([
      { line: 2, value: "\u0000\uFFFD\uFFFD", message: "the row holds binary data (not UTF-8 text)" },
    ]);
    expect(candidates(items)).toEqual([{ line: 3, value: "ok", type: "domain" }]);
  });

  it("refuses a UTF-16 file", async () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from("value\r\na\r\n", "utf16le")]);
    expect((await fileError(chunked(utf16, [1]))).message).toBe(
      'The CSV is saved as UTF-16: save it as UTF-8 ("CSV UTF-8") and try again',
    );
  });

  it("refuses a binary file", async () => {
    const err = await fileError(
      chunked(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), [4]),
    );
    expect(err.message).toBe("This is not a CSV text file: its first line holds binary data");
  });

  it("reports a stray quote on its line and goes on", async () => {
    const items = await readAll('value,type\nab"c,domain\nok,domain\n');
    expect(problems(items)).toEqual([
      {
        line: 2,
        value: "",
        message: 'a quote (") inside an unquoted field: quote the whole field and double the quotes in it',
      },
    ]);
    expect(candidates(items)).toEqual([{ line: 3, value: "ok", type: "domain" }]);
  });

  it("reports text after a closing quote and a quote never closed", async () => {
    const items = await readAll('value,type\nok,domain\n"x"y,domain\nlost,domain\n');
    expect(candidates(items)).toEqual([{ line: 2, value: "ok", type: "domain" }]);
    expect(problems(items)).toEqual([
      {
        line: 3,
        value: "",
        message: "text after a closing quote: a quoted field must end at a delimiter or the end of the line",
      },
      {
        line: 3,
        value: "",
        message: "a quoted field is never closed: the rest of the file was read into it",
      },
    ]);
  });

  it("refuses a file whose open quote runs past a megabyte, after yielding the rows before it", async () => {
    async function* source() {
      yield 'value\nfine\n"open\n';
      for (let i = 0; i < 40; i++) yield `${"z".repeat(32_000)}\n`;
    }
    const seen: ImportItem[] = [];
    let error: unknown;
    try {
      for await (const item of readCsvIndicators(source())) seen.push(item);
    } catch (err) {
      error = err;
    }
    expect(candidates(seen)).toEqual([{ line: 2, value: "fine", type: null }]);
    expect(error).toBeInstanceOf(InterchangeFileError);
    expect((error as Error).message).toMatch(
      /^The CSV could not be read past line 3: a row is longer than 1000000 bytes/,
    );
  });

  it("refuses a header that is not valid CSV", async () => {
    expect((await fileError('val"ue,type\na,b\n')).message).toMatch(
      /^The CSV header on line 1 is not valid CSV/,
    );
  });
});

describe("readCsvIndicators: streaming", () => {
  it("streams 200,000 rows from an async generator", async () => {
    const ROWS = 200_000;
    async function* source(): AsyncGenerator<string> {
      yield "value,type,first_seen,confidence,tlp\n";
      let chunk = "";
      for (let i = 0; i < ROWS; i++) {
        chunk += `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255},ipv4,2024-01-01,50,green\n`;
        if (chunk.length > 50_000) {
          yield chunk;
          chunk = "";
        }
      }
      yield chunk;
    }
    let count = 0;
    let lastLine = 0;
    let inOrder = true;
    for await (const item of readCsvIndicators(source())) {
      if (!item.ok) throw new Error(item.problem.message);
      count++;
      if (item.candidate.line !== lastLine + 1 && lastLine !== 0) inOrder = false;
      lastLine = item.candidate.line;
    }
    expect(count).toBe(ROWS);
    expect(lastLine).toBe(ROWS + 1);
    expect(inOrder).toBe(true);
  }, 60_000);

  it("stops reading when the consumer stops", async () => {
    let pulled = 0;
    async function* source(): AsyncGenerator<string> {
      yield "value\n";
      for (let i = 0; i < 1_000_000; i++) {
        pulled++;
        yield `v${i}\n`.repeat(100);
      }
    }
    let taken = 0;
    for await (const item of readCsvIndicators(source())) {
      expect(item.ok).toBe(true);
      if (++taken === 10) break;
    }
    expect(taken).toBe(10);
    expect(pulled).toBeLessThan(5);
  });
});
