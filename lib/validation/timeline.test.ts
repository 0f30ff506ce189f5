// The timeline's write schemas: what they accept and normalize, and that every refusal names its field.
import { describe, expect, it } from "vitest";
import {
  CreateEventSchema,
  DeleteEventQuerySchema,
  UpdateEventSchema,
  canonicalTimeZone,
  parseEventTime,
  type CreateEventInput,
} from "./timeline.ts";

const ORG_A = "0b6f3f0e-8a53-4a4f-9d0c-1f2e3d4c5b6a";
const ORG_B = "6c1d8c1e-2f3a-4b5c-8d7e-9f0a1b2c3d4e";

const valid: CreateEventInput = {
  occurredAt: "2023-06-16",
  precision: "day",
  lane: "response",
  phase: "detection",
  title: "Department of State detects anomalous MailItemsAccessed events",
  source: "https://www.cisa.gov/news-events/cybersecurity-advisories/aa23-193a",
};

type Issue = { path: string; message: string };

function issuesOf(schema: typeof CreateEventSchema | typeof UpdateEventSchema, input: unknown): Issue[] {
  const parsed = schema.safeParse(input);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
}

function parseCreate(input: Record<string, unknown>) {
  const parsed = CreateEventSchema.safeParse({ ...valid, ...input });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return parsed.data;
}

describe("CreateEventSchema: accepted inputs", () => {
  it("fills defaults and trims", () => {
    const event = parseCreate({ title: "  Detected  ", source: "  CSRB report p. 12 " });
    expect(event).toEqual({
      occurredAt: new Date("2023-06-16T00:00:00.000Z"),
      occurredUntil: null,
      precision: "day",
      sourceTimeZone: null,
      lane: "response",
      phase: "detection",
      title: "Detected",
      description: null,
      source: "CSRB report p. 12",
      verification: "unverified",
      additionalSources: [],
      tlp: "CLEAR",
      milestone: null,
      internalNote: null,
      alternatives: [],
      organizationIds: [],
      indicatorIds: [],
      techniqueIds: [],
    });
  });

  it.each([
    ["a date for day precision", { occurredAt: "2023-06-16", precision: "day" }, "2023-06-16T00:00:00.000Z"],
    [
      "UTC midnight for day precision",
      { occurredAt: "2023-06-16T00:00:00Z", precision: "day" },
      "2023-06-16T00:00:00.000Z",
    ],
    [
      "UTC midnight with +00:00",
      { occurredAt: "2023-06-16T00:00:00.000+00:00", precision: "approximate" },
      "2023-06-16T00:00:00.000Z",
    ],
    [
      "a date-time with Z for exact",
      { occurredAt: "2023-06-16T14:03:07Z", precision: "exact" },
      "2023-06-16T14:03:07.000Z",
    ],
    [
      "an offset converted to UTC",
      { occurredAt: "2023-06-16T10:03:00-04:00", precision: "minute" },
      "2023-06-16T14:03:00.000Z",
    ],
    [
      "a half-hour offset",
      { occurredAt: "2023-06-16T19:33:00+05:30", precision: "minute" },
      "2023-06-16T14:03:00.000Z",
    ],
    [
      "fractions beyond milliseconds",
      { occurredAt: "2023-06-16T14:03:07.123456Z", precision: "exact" },
      "2023-06-16T14:03:07.123Z",
    ],
    [
      "a space instead of T",
      { occurredAt: "2023-06-16 14:03Z", precision: "hour" },
      "2023-06-16T14:03:00.000Z",
    ],
    [
      "month precision, normalized to the 1st",
      { occurredAt: "2023-05-15", precision: "month" },
      "2023-05-01T00:00:00.000Z",
    ],
    [
      "year precision, normalized to 1 January",
      { occurredAt: "2021-04-20", precision: "year" },
      "2021-01-01T00:00:00.000Z",
    ],
    ["a leap day", { occurredAt: "2024-02-29", precision: "day" }, "2024-02-29T00:00:00.000Z"],
  ])("accepts %s", (_name, dating, expected) => {
    expect(parseCreate(dating).occurredAt.toISOString()).toBe(expected);
  });

  it("accepts a range with its end, the end on the start day too", () => {
    expect(
      parseCreate({ precision: "range", occurredAt: "2023-05-15", occurredUntil: "2023-06-16" }),
    ).toMatchObject({
      occurredAt: new Date("2023-05-15T00:00:00Z"),
      occurredUntil: new Date("2023-06-16T00:00:00Z"),
    });
    expect(
      parseCreate({ precision: "range", occurredAt: "2023-05-15", occurredUntil: "2023-05-15" })
        .occurredUntil,
    ).toEqual(new Date("2023-05-15T00:00:00Z"));
  });

  it("treats an empty or null occurredUntil as none outside a range", () => {
    expect(parseCreate({ occurredUntil: "" }).occurredUntil).toBeNull();
    expect(parseCreate({ occurredUntil: null }).occurredUntil).toBeNull();
  });

  it.each([
    ["the spec word", "initial access", "initial_access"],
    ["the underscore key", "initial_access", "initial_access"],
    ["a hyphenated, capitalized form", "Post-Incident", "post_incident"],
  ])("accepts a phase given as %s", (_name, phase, key) => {
    expect(parseCreate({ phase }).phase).toBe(key);
  });

  it.each([
    ["AMBER+STRICT", "AMBER_STRICT"],
    ["amber+strict", "AMBER_STRICT"],
    ["AMBER_STRICT", "AMBER_STRICT"],
    ["TLP:RED", "RED"],
    ["green", "GREEN"],
  ])("maps tlp %s to %s", (tlp, key) => {
    expect(parseCreate({ tlp }).tlp).toBe(key);
  });

  it.each([
    ["first activity", "first_activity"],
    ["mitigation_complete", "mitigation_complete"],
    ["detection", "detection"],
    ["", null],
    [null, null],
  ])("maps milestone %j to %j", (milestone, key) => {
    expect(parseCreate({ milestone }).milestone).toBe(key);
  });

  it.each([
    ["America/New_York", "America/New_York"],
    ["america/new_york", "America/New_York"],
    ["UTC", "UTC"],
    ["+02:00", "+02:00"],
    ["-09:30", "-09:30"],
    ["", null],
  ])("accepts source time zone %j", (sourceTimeZone, stored) => {
    expect(parseCreate({ sourceTimeZone }).sourceTimeZone).toBe(stored);
  });

  it("accepts references and http(s) URLs as sources", () => {
    for (const source of [
      "CSRB report p. 12",
      "ticket INC-123",
      "Note: see the CSRB report, p. 4",
      "http://example.org/report",
      "HTTPS://WWW.MICROSOFT.COM/en-us/security/blog/2023/07/14/",
    ]) {
      expect(parseCreate({ source }).source).toBe(source);
    }
  });

  it("keeps markdown with line breaks and tabs, normalizing CRLF, and treats an empty text as none", () => {
    const event = parseCreate({
      description: "## Detection\r\n\r\n- MailItemsAccessed\t(audit)\r\n",
      internalNote: "   ",
    });
    expect(event.description).toBe("## Detection\n\n- MailItemsAccessed\t(audit)");
    expect(event.internalNote).toBeNull();
  });

  it("normalizes links: lower-case uuids, upper-case technique IDs", () => {
    const event = parseCreate({
      organizationIds: [ORG_A.toUpperCase(), ORG_B],
      techniqueIds: ["t1606.002", " T1550.001 "],
      additionalSources: ["https://msrc.microsoft.com/blog/2023/09/", "CSRB report p. 18"],
    });
    expect(event.organizationIds).toEqual([ORG_A, ORG_B]);
    expect(event.techniqueIds).toEqual(["T1606.002", "T1550.001"]);
    expect(event.additionalSources).toHaveLength(2);
  });

  it("accepts alternatives with their own datings", () => {
    const event = parseCreate({
      alternatives: [
        { occurredAt: "2023-06-15", precision: "day", source: "CSRB report p. 7", verification: "primary" },
        {
          occurredAt: "2023-06-16T09:00:00-04:00",
          precision: "hour",
          sourceTimeZone: "America/New_York",
          source: "https://www.microsoft.com/en-us/security/blog/2023/07/14/",
          note: "Microsoft's account",
        },
      ],
    });
    expect(event.alternatives).toEqual([
      {
        occurredAt: new Date("2023-06-15T00:00:00Z"),
        occurredUntil: null,
        precision: "day",
        sourceTimeZone: null,
        source: "CSRB report p. 7",
        verification: "primary",
        note: null,
      },
      {
        occurredAt: new Date("2023-06-16T13:00:00Z"),
        occurredUntil: null,
        precision: "hour",
        sourceTimeZone: "America/New_York",
        source: "https://www.microsoft.com/en-us/security/blog/2023/07/14/",
        verification: "unverified",
        note: "Microsoft's account",
      },
    ]);
  });
});

const long = (n: number) => "x".repeat(n);

describe("CreateEventSchema: refusals name the field", () => {
  it.each<[string, Record<string, unknown>, string, string | RegExp]>([
    [
      "occurredAt that does not parse",
      { occurredAt: "June 16th" },
      "occurredAt",
      /^occurredAt does not parse/,
    ],
    ["occurredAt on 30 February", { occurredAt: "2023-02-30" }, "occurredAt", /^occurredAt does not parse/],
    [
      "occurredAt at 24:00",
      { occurredAt: "2023-06-16T24:00:00Z", precision: "exact" },
      "occurredAt",
      /^occurredAt does not parse/,
    ],
    [
      "an offset that does not exist",
      { occurredAt: "2023-06-16T10:00:00+15:00", precision: "exact" },
      "occurredAt",
      /offset/,
    ],
    [
      "a time without a zone",
      { occurredAt: "2023-06-16T14:03:00", precision: "exact" },
      "occurredAt",
      /no offset/,
    ],
    ["year zero", { occurredAt: "0000-01-01" }, "occurredAt", /^occurredAt does not parse/],
    [
      "a time of day with day precision",
      { occurredAt: "2023-06-16T14:03:00Z", precision: "day" },
      "occurredAt",
      "occurredAt has a time of day but precision is day: give the date only (YYYY-MM-DD)",
    ],
    [
      "local midnight elsewhere with day precision",
      { occurredAt: "2023-06-16T00:00:00+02:00", precision: "day" },
      "occurredAt",
      "occurredAt has a time of day but precision is day: give the date only (YYYY-MM-DD)",
    ],
    [
      "a time of day with month precision",
      { occurredAt: "2023-06-16T08:00:00Z", precision: "month" },
      "occurredAt",
      "occurredAt has a time of day but precision is month: give the date only (YYYY-MM-DD)",
    ],
    [
      "a date only with exact precision",
      { occurredAt: "2023-06-16", precision: "exact" },
      "occurredAt",
      /no time of day but precision is exact/,
    ],
    [
      "a range without its end",
      { precision: "range" },
      "occurredUntil",
      "occurredUntil is required when precision is range",
    ],
    [
      "a range that ends before it starts",
      { precision: "range", occurredAt: "2023-06-16", occurredUntil: "2023-05-15" },
      "occurredUntil",
      "occurredUntil must not be before occurredAt",
    ],
    [
      "a range end with a time of day",
      { precision: "range", occurredAt: "2023-05-15", occurredUntil: "2023-06-16T12:00:00Z" },
      "occurredUntil",
      "occurredUntil has a time of day but precision is range: give the date only (YYYY-MM-DD)",
    ],
    ["an end outside a range", { occurredUntil: "2023-06-20" }, "occurredUntil", /only for precision range/],
    [
      "an unknown precision",
      { precision: "week" },
      "precision",
      /^precision must be one of exact, minute, hour, day, month, year, approximate, range$/,
    ],
    ["an unknown lane", { lane: "defender" }, "lane", "lane must be one of adversary, response"],
    [
      "an unknown phase",
      { phase: "exfiltration" },
      "phase",
      "phase must be one of initial access, activity, detection, investigation, containment, mitigation, notification, post-incident",
    ],
    ["an empty title", { title: "   " }, "title", "title is required"],
    ["a missing title", { title: undefined }, "title", "title is required"],
    ["a title over 500 characters", { title: long(501) }, "title", "title must be at most 500 characters"],
    ["a title of the wrong type", { title: 42 }, "title", "title must be text"],
    [
      "a 1 MB description",
      { description: long(1_000_000) },
      "description",
      "description must be at most 20000 characters",
    ],
    [
      "an internal note over 20000 characters",
      { internalNote: long(20_001) },
      "internalNote",
      "internalNote must be at most 20000 characters",
    ],
    ["a missing source", { source: undefined }, "source", "source is required"],
    ["an empty source", { source: "  " }, "source", /^source is required/],
    [
      "a javascript: source",
      { source: "javascript:alert(1)" },
      "source",
      "source must be an http(s) URL or a reference",
    ],
    ["a mistyped scheme", { source: "htp:/x" }, "source", "source must be an http(s) URL or a reference"],
    [
      "a data: URL",
      { source: "data:text/html,<script>alert(1)</script>" },
      "source",
      "source must be an http(s) URL or a reference",
    ],
    [
      "an http URL with one slash",
      { source: "http:/example.org" },
      "source",
      "source must be an http(s) URL or a reference",
    ],
    [
      "a URL with a space",
      { source: "https://example.org/a b" },
      "source",
      "source must be an http(s) URL or a reference",
    ],
    [
      "a URL hiding its host behind credentials",
      { source: "https://cisa.gov@evil.example/" },
      "source",
      "source must be an http(s) URL or a reference",
    ],
    [
      "a scheme-relative URL",
      { source: "//evil.example/x" },
      "source",
      "source must be an http(s) URL or a reference",
    ],
    [
      "a source over 2000 characters",
      { source: `CSRB ${long(2000)}` },
      "source",
      "source must be at most 2000 characters",
    ],
    [
      "an unknown verification",
      { verification: "confirmed" },
      "verification",
      "verification must be one of primary, secondary, unverified",
    ],
    ["an unknown tlp", { tlp: "WHITE" }, "tlp", "tlp must be one of CLEAR, GREEN, AMBER, AMBER+STRICT, RED"],
    [
      "an unknown milestone",
      { milestone: "eradication" },
      "milestone",
      "milestone must be one of first activity, detection, containment, mitigation complete, or null",
    ],
    [
      "an unknown time zone",
      { sourceTimeZone: "Mars/Olympus_Mons" },
      "sourceTimeZone",
      /^sourceTimeZone must be an IANA time zone/,
    ],
    [
      "an offset out of range",
      { sourceTimeZone: "+15:00" },
      "sourceTimeZone",
      /^sourceTimeZone must be an IANA time zone/,
    ],
    [
      "an unknown technique",
      { techniqueIds: ["T1606", "T1550.001", "T9999"] },
      "techniqueIds.2",
      "T9999 is not an ATT&CK Enterprise technique",
    ],
    [
      "a technique that is not an ID",
      { techniqueIds: ["Golden SAML"] },
      "techniqueIds.0",
      /is not an ATT&CK ID such as T1606/,
    ],
    [
      "a revoked technique",
      { techniqueIds: ["T1002"] },
      "techniqueIds.0",
      "T1002 is revoked in ATT&CK: use T1560",
    ],
    [
      "a repeated technique",
      { techniqueIds: ["T1606", "t1606"] },
      "techniqueIds.1",
      "T1606 repeats techniqueIds[0]",
    ],
    [
      "an organization id that is not a uuid",
      { organizationIds: [ORG_A, "state"] },
      "organizationIds.1",
      /is not an affected organization id/,
    ],
    [
      "a repeated organization",
      { organizationIds: [ORG_A, ORG_A] },
      "organizationIds.1",
      `${ORG_A} repeats organizationIds[0]`,
    ],
    [
      "too many organizations",
      { organizationIds: Array.from({ length: 201 }, () => ORG_A) },
      "organizationIds",
      "organizationIds must have at most 200 entries",
    ],
    [
      "an indicator id that is not a uuid",
      { indicatorIds: ["1.2.3.4"] },
      "indicatorIds.0",
      /is not an indicator id/,
    ],
    [
      "a bad additional source",
      { additionalSources: ["CSRB p. 3", "javascript:alert(1)"] },
      "additionalSources.1",
      /must be an http\(s\) URL or a reference/,
    ],
    [
      "too many additional sources",
      { additionalSources: Array.from({ length: 21 }, (_, i) => `ref ${i}`) },
      "additionalSources",
      "additionalSources must have at most 20 entries",
    ],
    [
      "too many alternatives",
      {
        alternatives: Array.from({ length: 11 }, () => ({
          occurredAt: "2023-06-15",
          precision: "day",
          source: "x",
        })),
      },
      "alternatives",
      "alternatives must have at most 10 entries",
    ],
    [
      "an alternative with a time of day on a day",
      { alternatives: [{ occurredAt: "2023-06-15T10:00:00Z", precision: "day", source: "CSRB" }] },
      "alternatives.0.occurredAt",
      "occurredAt has a time of day but precision is day: give the date only (YYYY-MM-DD)",
    ],
    [
      "an alternative range ending early",
      {
        alternatives: [
          { occurredAt: "2023-06-15", occurredUntil: "2023-06-01", precision: "range", source: "CSRB" },
        ],
      },
      "alternatives.0.occurredUntil",
      "occurredUntil must not be before occurredAt",
    ],
    [
      "an alternative with a bad source",
      { alternatives: [{ occurredAt: "2023-06-15", precision: "day", source: "htp:/x" }] },
      "alternatives.0.source",
      "source must be an http(s) URL or a reference",
    ],
    [
      "an alternative with an unknown key",
      { alternatives: [{ occurredAt: "2023-06-15", precision: "day", source: "x", when: "later" }] },
      "alternatives.0",
      'unknown field "when" in an alternative dating',
    ],
    ["an unknown key", { incidentId: ORG_A }, "", 'unknown field "incidentId" in the event'],
    [
      "a server-set key",
      { version: 3, createdById: ORG_A },
      "",
      'unknown fields "version", "createdById" in the event',
    ],
  ])("refuses %s", (_name, input, path, message) => {
    const issues = issuesOf(CreateEventSchema, { ...valid, ...input });
    const issue = issues.find((i) => i.path === path);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    if (typeof message === "string") expect(issue?.message).toBe(message);
    else expect(issue?.message).toMatch(message);
  });

  it("names every missing required field", () => {
    expect(issuesOf(CreateEventSchema, {})).toEqual([
      { path: "occurredAt", message: "occurredAt is required" },
      { path: "precision", message: "precision is required" },
      { path: "lane", message: "lane is required" },
      { path: "phase", message: "phase is required" },
      { path: "title", message: "title is required" },
      { path: "source", message: "source is required" },
    ]);
  });

  it("refuses a body that is not an object", () => {
    expect(issuesOf(CreateEventSchema, [valid])).toEqual([
      { path: "", message: "the event must be a JSON object" },
    ]);
    expect(issuesOf(CreateEventSchema, null)).toEqual([
      { path: "", message: "the event must be a JSON object" },
    ]);
  });
});

describe("hostile strings", () => {
  it.each<[string, Record<string, unknown>, string]>([
    ["NUL in the title", { title: "Detected\u0000" }, "title"],
    ["a line break in the title", { title: "Detected\nInjected: header" }, "title"],
    ["an escape sequence in the title", { title: "\u001b[31mred\u001b[0m" }, "title"],
    ["a C1 control in the title", { title: "Detected\u0085" }, "title"],
    ["an unpaired surrogate in the title", { title: "Detected \ud800" }, "title"],
    ["NUL in the description", { description: "text\u0000more" }, "description"],
    ["a backspace in the internal note", { internalNote: "note\u0008" }, "internalNote"],
    ["NUL in the source", { source: "CSRB report\u0000" }, "source"],
    ["a line break in the source", { source: "https://example.org/\nSet-Cookie: x" }, "source"],
    [
      "NUL in an alternative's note",
      { alternatives: [{ occurredAt: "2023-06-15", precision: "day", source: "x", note: "\u0000" }] },
      "alternatives.0.note",
    ],
  ])("refuses %s", (_name, input, path) => {
    const issues = issuesOf(CreateEventSchema, { ...valid, ...input });
    expect(issues.map((i) => i.path)).toContain(path);
    const issue = issues.find((i) => i.path === path);
    expect(issue?.message).toMatch(/control characters|broken Unicode|http\(s\) URL/);
  });

  it.each([
    "<script>alert(1)</script>",
    "'; DROP TABLE timeline_event; --",
    "{{constructor.constructor('alert(1)')()}}",
    "💥 Storm-0558 — 𝓤𝓷𝓲𝓬𝓸𝓭𝓮",
  ])("stores markup, SQL and Unicode in the title verbatim: %s", (title) => {
    expect(parseCreate({ title }).title).toBe(title.trim());
  });

  it("ignores a __proto__ key only by refusing it", () => {
    const issues = issuesOf(
      CreateEventSchema,
      JSON.parse(`{"__proto__": {"admin": true}, ${JSON.stringify(valid).slice(1)}`),
    );
    expect(issues).toEqual([{ path: "", message: 'unknown field "__proto__" in the event' }]);
  });
});

describe("UpdateEventSchema", () => {
  it("accepts a single field with the version, and leaves everything else out", () => {
    const parsed = UpdateEventSchema.parse({ version: 3, title: " New title " });
    expect(parsed).toEqual({ version: 3, title: "New title" });
  });

  it("does not reset defaults for fields left out", () => {
    const parsed = UpdateEventSchema.parse({ version: 1, description: null });
    expect(parsed).toEqual({ version: 1, description: null });
    expect("tlp" in parsed).toBe(false);
    expect("verification" in parsed).toBe(false);
  });

  it("checks and normalizes a dating sent whole", () => {
    expect(UpdateEventSchema.parse({ version: 2, occurredAt: "2023-07-20", precision: "month" })).toEqual({
      version: 2,
      occurredAt: new Date("2023-07-01T00:00:00Z"),
      occurredUntil: null,
      precision: "month",
    });
  });

  it.each<[string, Record<string, unknown>, string, string | RegExp]>([
    ["a missing version", { title: "x" }, "version", "version is required"],
    ["a version of 0", { version: 0 }, "version", "version must be at least 1"],
    ["a fractional version", { version: 1.5 }, "version", "version must be a whole number"],
    ["a version as text", { version: "3" }, "version", /^version must be the event's version number/],
    [
      "precision without occurredAt",
      { version: 1, precision: "day" },
      "occurredAt",
      /^occurredAt is required when the dating changes/,
    ],
    [
      "occurredAt without precision",
      { version: 1, occurredAt: "2023-06-16" },
      "precision",
      /^precision is required when the dating changes/,
    ],
    [
      "occurredUntil alone",
      { version: 1, occurredUntil: "2023-06-20" },
      "occurredAt",
      /^occurredAt is required when the dating changes/,
    ],
    [
      "a time of day on a day",
      { version: 1, occurredAt: "2023-06-16T09:30:00Z", precision: "day" },
      "occurredAt",
      "occurredAt has a time of day but precision is day: give the date only (YYYY-MM-DD)",
    ],
    ["an empty title", { version: 1, title: "" }, "title", "title is required"],
    ["a null title", { version: 1, title: null }, "title", "title must be text"],
    ["an unknown key", { version: 1, id: ORG_A }, "", 'unknown field "id" in the event'],
  ])("refuses %s", (_name, input, path, message) => {
    const issues = issuesOf(UpdateEventSchema, input);
    const issue = issues.find((i) => i.path === path);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    if (typeof message === "string") expect(issue?.message).toBe(message);
    else expect(issue?.message).toMatch(message);
  });
});

describe("DeleteEventQuerySchema", () => {
  it("reads an optional version from the query", () => {
    expect(DeleteEventQuerySchema.parse({})).toEqual({});
    expect(DeleteEventQuerySchema.parse({ version: "4" })).toEqual({ version: 4 });
    expect(DeleteEventQuerySchema.safeParse({ version: "four" }).success).toBe(false);
    expect(DeleteEventQuerySchema.safeParse({ version: "0" }).success).toBe(false);
  });
});

describe("parseEventTime and canonicalTimeZone", () => {
  it("tells a date from a date-time", () => {
    expect(parseEventTime("occurredAt", "2023-06-16")).toEqual({
      at: new Date("2023-06-16T00:00:00Z"),
      hasTime: false,
    });
    expect(parseEventTime("occurredAt", "2023-06-16T00:00:00Z")).toEqual({
      at: new Date("2023-06-16T00:00:00Z"),
      hasTime: true,
    });
    expect(parseEventTime("occurredAt", "0099-03-01")).toEqual({
      at: new Date("0099-03-01T00:00:00Z"),
      hasTime: false,
    });
  });

  it("keeps zone names canonical and refuses what Intl does not know", () => {
    expect(canonicalTimeZone("europe/london")).toBe("Europe/London");
    expect(canonicalTimeZone("Not/AZone")).toBeNull();
    expect(canonicalTimeZone("+14:00")).toBe("+14:00");
    expect(canonicalTimeZone("+05:60")).toBeNull();
    expect(canonicalTimeZone("../../etc/passwd")).toBeNull();
  });
});
