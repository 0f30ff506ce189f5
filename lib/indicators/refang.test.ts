// Refanging: every defanging convention is undone, and prose that merely resembles one is not.
import { describe, expect, it } from "vitest";
import { refang, refangMapped } from "./refang.ts";

describe("refang", () => {
  const changed: [string, string][] = [
    ["51.89.156[.]153", "51.89.156.153"],
    ["evil(.)com", "evil.com"],
    ["evil{.}com", "evil.com"],
    ["evil[dot]com", "evil.com"],
    ["evil[DOT]com", "evil.com"],
    ["evil[ dot ]com", "evil.com"],
    ["evil(dot)com", "evil.com"],
    ["evil{dot}com", "evil.com"],
    ["evil [dot] com", "evil.com"],
    ["admin [at] evil [dot] com", "admin@evil.com"],
    ["hxxp://evil[.]com", "http://evil.com"],
    ["hXXp://evil.com", "http://evil.com"],
    ["HXXPS://evil.com", "https://evil.com"],
    [
      "hxxps://login.micros0ft-online[.]com/common/oauth2",
      "https://login.micros0ft-online.com/common/oauth2",
    ],
    ["hxxp[:]//evil.com", "http://evil.com"],
    ["hxxps[://]evil[.]com", "https://evil.com"],
    ["http[:]//evil.com", "http://evil.com"],
    ["fxp://files[.]example[.]org", "ftp://files.example.org"],
    ["hxxp//x", "http//x"],
    ["evil.com[/]payload", "evil.com/payload"],
    ["user[@]example[.]com", "user@example.com"],
    ["user(@)example.com", "user@example.com"],
    ["user{@}example.com", "user@example.com"],
    ["user[at]example.com", "user@example.com"],
    ["user(at)example.com", "user@example.com"],
    ["ops(at)example.org; x", "ops@example.org; x"],
    ["[.]", "."],
    ["a[.]b\nc[.]d", "a.b\nc.d"],
    ["see 1.2.3[.]4 and 5.6.7[.]8.", "see 1.2.3.4 and 5.6.7.8."],
  ];
  it.each(changed)("refangs %j", (input, output) => {
    expect(refang(input)).toBe(output);
  });

  const unchanged = [
    "",
    "the dot com era",
    "see [1] and [2]",
    "at (at) least",
    "(at) least once",
    "meet at noon",
    "the period (.) character",
    "look (dot) here",
    "FXP is a way to move files between servers",
    "fxp: not a scheme",
    "shxxp://not-a-word-boundary",
    "hxxpd",
    "hxxp without a colon",
    "Mr. Dot and [citation needed]",
    // Look-alike characters are not a defanging convention.
    "evil\uff0ecom",
    "evil\u2024com",
    "evil\u3002com",
    "user\uff20example.com",
    "__proto__",
    "<script>alert('[x]')</script>",
  ];
  it.each(unchanged.map((input) => [input]))("leaves %j alone", (input) => {
    expect(refang(input)).toBe(input);
  });

  it("stays linear on a megabyte of brackets and defanged dots", { timeout: 30_000 }, () => {
    expect(refang("[".repeat(1_000_000))).toHaveLength(1_000_000);
    expect(refang("[.]".repeat(300_000))).toBe(".".repeat(300_000));
    expect(refang(" [dot] ".repeat(100_000)).length).toBeLessThan(700_000);
    expect(refang("(at)".repeat(250_000))).toBe("(at)".repeat(250_000));
  });
});

describe("refangMapped", () => {
  function sourceOf(input: string, needle: string): string {
    const mapped = refangMapped(input);
    const start = mapped.text.indexOf(needle);
    expect(start).toBeGreaterThanOrEqual(0);
    const [from, to] = mapped.toSource(start, start + needle.length);
    return input.slice(from, to);
  }

  it.each([
    ["ip 51.89.156[.]153 seen", "51.89.156.153", "51.89.156[.]153"],
    ["go hxxps://evil[.]com/x now", "https://evil.com/x", "hxxps://evil[.]com/x"],
    ["mail admin [at] evil [dot] com today", "admin@evil.com", "admin [at] evil [dot] com"],
    ["plain 1.2.3.4 text", "1.2.3.4", "1.2.3.4"],
    ["x[.]y", "y", "y"],
    ["x[.]y", "x", "x"],
  ])("maps %j back to what was pasted", (input, needle, raw) => {
    expect(sourceOf(input, needle)).toBe(raw);
  });
});
