import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  countLineBreaks,
  guardFormula,
  parseConfidenceText,
  parseDateText,
  parseTechniqueList,
  parseTlp,
  unguardFormula,
} from "./fields.ts";
import { arrayElementOffsets, findJsonSyntaxError, linesOfOffsets } from "./json-text.ts";

describe("parseTlp", () => {
  it.each([
    ["TLP:CLEAR", "CLEAR"],
    ["clear", "CLEAR"],
    ["white", "CLEAR"],
    ["TLP:WHITE", "CLEAR"],
    ["tlp green", "GREEN"],
    [" Amber ", "AMBER"],
    ["amber+strict", "AMBER_STRICT"],
    ["AMBER_STRICT", "AMBER_STRICT"],
    ["TLP:AMBER+STRICT", "AMBER_STRICT"],
    ["amber strict", "AMBER_STRICT"],
    ["RED", "RED"],
    ["purple", null],
    ["", null],
    ["TLP:", null],
    ["amber+", null],
  ])("%s → %s", (text, key) => {
    expect(parseTlp(text)).toBe(key);
  });
});

describe("parseDateText", () => {
  it.each([
    ["2024-02-29", "2024-02-29T00:00:00.000Z"],
    ["2024-03-01T12:00:00Z", "2024-03-01T12:00:00.000Z"],
    ["2024-03-01T12:00:00.1234567Z", "2024-03-01T12:00:00.123Z"],
    ["2024-03-01t12:00z", "2024-03-01T12:00:00.000Z"],
    ["2024-03-01T12:00:00+05:30", "2024-03-01T06:30:00.000Z"],
    ["2024-03-01T00:30:00-0100", "2024-03-01T01:30:00.000Z"],
    ["2024-03-01 12:00", "2024-03-01T12:00:00.000Z"],
    ["1/2/2023", "2023-01-02T00:00:00.000Z"],
    ["12/31/2023 23:59", "2023-12-31T23:59:00.000Z"],
    ["3/4/2023 7:08:09", "2023-03-04T07:08:09.000Z"],
  ])("%s → %s", (text, iso) => {
    expect(parseDateText(text)?.toISOString()).toBe(iso);
  });

  it.each([
    ["13/45/2023"],
    ["2023-02-29"],
    ["2023-13-01"],
    ["2023-01-01T24:00:00Z"],
    ["2023-01-01T12:60Z"],
    ["31/12/2023"],
    ["2023/01/01"],
    ["yesterday"],
    ["1700000000"],
    ["2023-01-01T12:00:00+25:00"],
  ])("%s is no date", (text) => {
    expect(parseDateText(text)).toBeNull();
  });
});

describe("small readers", () => {
  it("reads confidence 0–100 only", () => {
    expect([" 0", "100", "55"].map(parseConfidenceText)).toEqual([0, 100, 55]);
    expect(["101", "-1", "5.5", "high", "", "0x10"].map(parseConfidenceText)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it("reads technique lists", () => {
    expect(parseTechniqueList("T1566, t1059.001;T1566  T1078")).toEqual({
      ids: ["T1566", "T1059.001", "T1078"],
      bad: [],
    });
    expect(parseTechniqueList("T1566 TA0001 S0154")).toEqual({ ids: ["T1566"], bad: ["TA0001", "S0154"] });
  });

  it("counts line breaks as the CSV reader does", () => {
    expect(["", "a", "a\nb", "a\r\nb", "a\rb", "\r\n\r\n", "\n\r", "\r\r\n"].map(countLineBreaks)).toEqual([
      0, 0, 1, 1, 1, 2, 2, 2,
    ]);
  });
});

describe("formula guard", () => {
  it.each([
    ["=1+1", "'=1+1"],
    ["+1", "'+1"],
    ["-1", "'-1"],
    ["@x", "'@x"],
    ["\tx", "'\tx"],
    ["\rx", "'\rx"],
    ["＝1", "'＝1"],
    ["'=1", "''=1"],
    ["''@x", "'''@x"],
    ["'plain", "'plain"],
    ["plain", "plain"],
    ["", ""],
    ["a=b", "a=b"],
  ])("%j → %j", (text, guarded) => {
    expect(guardFormula(text)).toBe(guarded);
    expect(unguardFormula(guarded)).toBe(text);
  });

  it("is undone exactly for any text", () => {
    const text = fc.string({ unit: fc.constantFrom("'", "=", "+", "-", "@", "\t", "a", " ", "＠") });
    fc.assert(fc.property(text, (t) => unguardFormula(guardFormula(t)) === t));
    fc.assert(fc.property(fc.string(), (t) => unguardFormula(guardFormula(t)) === t));
  });
});

describe("JSON text scanners", () => {
  it("agrees with JSON.parse on validity", () => {
    const samples = [
      '{"a":[1,2.5e3,-0,true,false,null,"\\u00e9\\n"]}',
      "[]",
      " 1 ",
      '"x"',
      '{"a":01}',
      "[1,]",
      "{'a':1}",
      '"\\x"',
      "nul",
      "[1 2]",
    ];
    for (const text of samples) {
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      expect(findJsonSyntaxError(text) === null, text).toBe(valid);
    }
    fc.assert(fc.property(fc.jsonValue(), (v) => findJsonSyntaxError(JSON.stringify(v, null, 1)) === null));
  });

  it("finds where the elements of an array property start", () => {
    const text = '{ "a": {"objects": [9]}, "objects" : [ {"x":"]},{"} , [1, {"y": 2}] ,"s", 3 ] }';
    const offsets = arrayElementOffsets(text, "objects");
    expect(offsets.map((o) => text.slice(o, o + 4))).toEqual(['{"x"', "[1, ", '"s",', "3 ] "]);
    expect(arrayElementOffsets('{"objects": []}', "objects")).toEqual([]);
    expect(arrayElementOffsets("[]", "objects")).toEqual([]);
  });

  it("gives the line of offsets", () => {
    const text = "a\nb\r\nc\rd";
    expect(linesOfOffsets(text, [0, 2, 5, 7, 8])).toEqual([1, 2, 3, 4, 4]);
  });
});
