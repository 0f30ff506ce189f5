// The organization and notification schemas: what they accept and normalize, and that every refusal
// names its field.
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  BulkNotificationSchema,
  CreateOrganizationSchema,
  NotificationMoveSchema,
  NotificationRegimeSchema,
  OrganizationListQuerySchema,
  PortalNotificationSchema,
  UpdateOrganizationSchema,
  countryCodesMatching,
  countryName,
  isCountryCode,
  organizationKindKey,
} from "./organizations.ts";

type Issue = { path: string; message: string };

function issuesOf(schema: z.ZodType, input: unknown): Issue[] {
  const parsed = schema.safeParse(input);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
}

/** Refused, with the first issue on `field` and a message that names it. */
function expectRefused(schema: z.ZodType, input: unknown, field: string, message?: RegExp) {
  const issues = issuesOf(schema, input);
  expect(issues.length, `expected ${JSON.stringify(input).slice(0, 200)} to be refused`).toBeGreaterThan(0);
  const issue = issues.find((i) => i.path === field) ?? issues[0];
  expect(issue?.path).toBe(field);
  expect(issue?.message).toContain(field);
  if (message) expect(issue?.message).toMatch(message);
}

const validOrganization = { name: "U.S. Department of State", kind: "government" };
const validMove = { to: "notified", at: "2023-06-16T14:00:00Z", version: 1 };

describe("CreateOrganizationSchema", () => {
  it("fills defaults, trims and maps words to keys", () => {
    const before = Date.now();
    const parsed = CreateOrganizationSchema.parse({
      name: "  Think tank A ",
      kind: "think tank",
      sector: " policy ",
      country: "gb",
    });
    expect(parsed).toMatchObject({
      name: "Think tank A",
      kind: "think_tank",
      sector: "policy",
      country: "GB",
      accountsAffected: null,
      mailboxesAffected: null,
      firstKnownAccessAt: null,
      lastKnownAccessAt: null,
      isNamedPublicly: true,
      internalNote: null,
    });
    // Left out, the determination is the moment of creation.
    expect(parsed.determinedAffectedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(parsed.determinedAffectedAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("accepts every kind by its word or key, and dates with or without a time", () => {
    for (const [word, key] of [
      ["government", "government"],
      ["private sector", "private_sector"],
      ["private_sector", "private_sector"],
      ["Education", "education"],
      ["individuals group", "individuals_group"],
      ["undisclosed", "undisclosed"],
      ["not disclosed", "undisclosed"],
    ] as const) {
      expect(organizationKindKey(word)).toBe(key);
    }
    const parsed = CreateOrganizationSchema.parse({
      ...validOrganization,
      accountsAffected: 0,
      mailboxesAffected: 60_000,
      firstKnownAccessAt: "2023-05-15",
      lastKnownAccessAt: "2023-06-16T10:00:00-04:00",
      determinedAffectedAt: "2023-06-16",
      isNamedPublicly: false,
    });
    expect(parsed.firstKnownAccessAt?.toISOString()).toBe("2023-05-15T00:00:00.000Z");
    expect(parsed.lastKnownAccessAt?.toISOString()).toBe("2023-06-16T14:00:00.000Z");
    expect(parsed.determinedAffectedAt.toISOString()).toBe("2023-06-16T00:00:00.000Z");
    expect(parsed.isNamedPublicly).toBe(false);
  });

  it.each([
    ["name", { name: "" }],
    ["name", { name: "x".repeat(301) }],
    ["name", { name: "State\u0000" }],
    ["name", { name: 5 }],
    ["kind", { kind: "company" }],
    ["sector", { sector: "s".repeat(201) }],
    ["country", { country: "USA" }],
    ["country", { country: "XK" }],
    ["country", { country: "ZZ" }],
    ["accountsAffected", { accountsAffected: -1 }],
    ["accountsAffected", { accountsAffected: 1.5 }],
    ["mailboxesAffected", { mailboxesAffected: "10" }],
    ["firstKnownAccessAt", { firstKnownAccessAt: "15/05/2023" }],
    ["firstKnownAccessAt", { firstKnownAccessAt: "2023-05-15T10:00:00" }],
    ["determinedAffectedAt", { determinedAffectedAt: "2999-01-01" }],
    ["determinedAffectedAt", { determinedAffectedAt: "2023-02-30" }],
    ["isNamedPublicly", { isNamedPublicly: "yes" }],
    ["internalNote", { internalNote: "n".repeat(20_001) }],
    ["lastKnownAccessAt", { firstKnownAccessAt: "2023-06-16", lastKnownAccessAt: "2023-05-15" }],
    ["colour", { colour: "red" }],
  ])("refuses a bad %s, naming it", (field, change) => {
    expectRefused(CreateOrganizationSchema, { ...validOrganization, ...change }, field);
  });

  it("names a missing name and kind", () => {
    expect(issuesOf(CreateOrganizationSchema, {})).toEqual(
      expect.arrayContaining([
        { path: "name", message: "name is required" },
        { path: "kind", message: "kind is required" },
      ]),
    );
  });

  it("suggests GB for UK", () => {
    expect(issuesOf(CreateOrganizationSchema, { ...validOrganization, country: "uk" })[0]?.message).toBe(
      "country must be an ISO 3166-1 alpha-2 code: UK is not one, use GB",
    );
  });
});

describe("countries", () => {
  it("knows the 249 assigned codes and their English names", () => {
    expect(isCountryCode("US")).toBe(true);
    expect(isCountryCode("GB")).toBe(true);
    expect(isCountryCode("UK")).toBe(false);
    expect(countryName("US")).toBe("United States");
    expect(countryCodesMatching("kingdom")).toContain("GB");
    expect(countryCodesMatching("us")).toContain("US");
    expect(countryCodesMatching("")).toEqual([]);
  });
});

describe("UpdateOrganizationSchema", () => {
  it("keeps what is left out, clears what is sent as null", () => {
    expect(UpdateOrganizationSchema.parse({ version: 3, sector: null, country: "" })).toEqual({
      name: undefined,
      kind: undefined,
      sector: null,
      country: null,
      accountsAffected: undefined,
      mailboxesAffected: undefined,
      firstKnownAccessAt: undefined,
      lastKnownAccessAt: undefined,
      determinedAffectedAt: undefined,
      isNamedPublicly: undefined,
      internalNote: undefined,
      deriveAccessFromTimeline: false,
      version: 3,
    });
  });

  it.each([
    ["version", {}],
    ["version", { version: 0 }],
    ["version", { version: "1" }],
    ["name", { version: 1, name: "  " }],
    ["kind", { version: 1, kind: null }],
    ["determinedAffectedAt", { version: 1, determinedAffectedAt: null }],
    [
      "deriveAccessFromTimeline",
      { version: 1, deriveAccessFromTimeline: true, firstKnownAccessAt: "2023-05-15" },
    ],
    ["deriveAccessFromTimeline", { version: 1, deriveAccessFromTimeline: "yes" }],
    ["lastKnownAccessAt", { version: 1, firstKnownAccessAt: "2023-06-16", lastKnownAccessAt: "2023-06-15" }],
    ["incidentId", { version: 1, incidentId: "x" }],
  ])("refuses a bad %s, naming it", (field, input) => {
    expectRefused(UpdateOrganizationSchema, input, field);
  });
});

describe("NotificationMoveSchema", () => {
  it("reads a date-time as exact and a date as day, and maps channel words", () => {
    expect(
      NotificationMoveSchema.parse({ ...validMove, channel: "in person", note: " Called.\r\n" }),
    ).toEqual({
      to: "notified",
      at: new Date("2023-06-16T14:00:00Z"),
      atPrecision: "exact",
      channel: "in_person",
      note: "Called.",
      evidence: null,
      version: 1,
    });
    expect(
      NotificationMoveSchema.parse({ ...validMove, at: "2023-06-16", channel: "Government Partner" }),
    ).toMatchObject({
      at: new Date("2023-06-16T00:00:00Z"),
      atPrecision: "day",
      channel: "government_partner",
    });
  });

  it.each([
    ["to", { to: "done" }, /to must be one of pending, notified/],
    ["to", { to: undefined }, /to is required/],
    ["at", { at: undefined }, /at is required/],
    ["at", { at: "yesterday" }, /at does not parse/],
    ["at", { at: "2023-06-16T14:00:00" }, /no offset/],
    [
      "channel",
      { channel: "fax" },
      /channel must be one of email, phone, portal, in person, government partner, other/,
    ],
    ["note", { note: "n".repeat(5001) }, /at most 5000/],
    ["evidence", { evidence: "e".repeat(1_000_000) }, /at most 5000/],
    ["evidence", { evidence: "bad\u0007bell" }, /control characters/],
    ["version", { version: undefined }, /version is required/],
    ["organizationId", { organizationId: "0b6f3f0e-8a53-4a4f-9d0c-1f2e3d4c5b6a" }, /not a field/],
  ])("refuses a bad %s, naming it", (field, change, message) => {
    expectRefused(NotificationMoveSchema, { ...validMove, ...change }, field, message);
  });
});

describe("BulkNotificationSchema", () => {
  const id = "0b6f3f0e-8a53-4a4f-9d0c-1f2e3d4c5b6a";

  it("checks each entry on its own, keeping good ones and naming the fields of bad ones", () => {
    const items = BulkNotificationSchema.parse({
      moves: [
        { ...validMove, organizationId: id.toUpperCase() },
        { ...validMove, organizationId: id, to: "done" },
        { ...validMove, organizationId: "nope" },
        "not an object",
      ],
    });
    expect(items[0]).toMatchObject({ index: 0, organizationId: id, move: { to: "notified", version: 1 } });
    expect(items[1]).toMatchObject({ index: 1, organizationId: id, details: [{ field: "to" }] });
    expect(items[2]).toMatchObject({
      index: 2,
      organizationId: "nope",
      details: [{ field: "organizationId" }],
    });
    expect(items[3]).toMatchObject({ index: 3, organizationId: null });
  });

  it.each([
    ["moves", {}],
    ["moves", { moves: [] }],
    ["moves", { moves: Array.from({ length: 201 }, () => validMove) }],
    ["moves", { moves: "all" }],
  ])("refuses a bad list, naming %s", (field, input) => {
    expectRefused(BulkNotificationSchema, input, field);
  });
});

describe("PortalNotificationSchema", () => {
  it("accepts an acknowledgement without a time", () => {
    expect(PortalNotificationSchema.parse({ to: "Acknowledged", version: 2 })).toEqual({
      to: "acknowledged",
      at: undefined,
      atPrecision: undefined,
      note: null,
      version: 2,
    });
  });

  it.each([
    ["to", { to: "closed", version: 1 }, /to must be acknowledged or remediated/],
    [
      "organizationId",
      { to: "acknowledged", version: 1, organizationId: "x" },
      /organizationId is not a field/,
    ],
    ["channel", { to: "acknowledged", version: 1, channel: "email" }, /not a field/],
    ["evidence", { to: "acknowledged", version: 1, evidence: "x" }, /not a field/],
    ["version", { to: "acknowledged" }, /version is required/],
    ["at", { to: "acknowledged", version: 1, at: "soon" }, /at does not parse/],
  ])("refuses a bad %s, naming it", (field, input, message) => {
    expectRefused(PortalNotificationSchema, input, field, message);
  });
});

describe("NotificationRegimeSchema", () => {
  it("accepts 1 to 8,760 hours", () => {
    expect(NotificationRegimeSchema.parse({ hours: 1, version: 1 })).toEqual({ hours: 1, version: 1 });
    expect(NotificationRegimeSchema.parse({ hours: 8760, version: 4 })).toEqual({ hours: 8760, version: 4 });
  });

  it.each([
    ["hours", { hours: 0, version: 1 }],
    ["hours", { hours: 8761, version: 1 }],
    ["hours", { hours: 1.5, version: 1 }],
    ["hours", { version: 1 }],
    ["version", { hours: 72 }],
  ])("refuses a bad %s, naming it", (field, input) => {
    expectRefused(NotificationRegimeSchema, input, field);
  });
});

describe("OrganizationListQuerySchema", () => {
  it("reads comma-separated filters, sorts with a - for descending, and defaults", () => {
    expect(
      OrganizationListQuerySchema.parse({
        state: "pending,failed",
        kind: "think tank,government",
        deadline: "at-risk,overdue",
        sort: "-deadline",
        limit: "20",
      }),
    ).toEqual({
      state: ["pending", "failed"],
      kind: ["think_tank", "government"],
      deadline: ["at risk", "overdue"],
      sort: { key: "deadline", descending: true },
      limit: 20,
    });
    expect(OrganizationListQuerySchema.parse({})).toEqual({
      sort: { key: "name", descending: false },
      limit: 100,
    });
  });

  it.each([
    ["state", { state: "pending,done" }],
    ["kind", { kind: "company" }],
    ["deadline", { deadline: "late" }],
    ["sort", { sort: "size" }],
    ["limit", { limit: "0" }],
    ["limit", { limit: "501" }],
    ["q", { q: "q".repeat(201) }],
  ])("refuses a bad %s, naming it", (field, input) => {
    expectRefused(OrganizationListQuerySchema, input, field);
  });
});
