// Search across an incident against a real Postgres: grouping by kind, scoping to one incident and to
// staff, the cap of 20 per kind, trigram matches, and defanged indicators found by their value.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../auth/actor.ts";
import { db } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import { SEARCH_LIMIT, makeSnippet, queryAsIndicator, searchIncident } from "./queries.ts";

const run = randomUUID().slice(0, 8);
const word = `quokka${run}`;
let incidentId: string;
let otherIncidentId: string;
let responder: Actor;
let executive: Actor;
let agencyUser: Actor;
let ipId: string;
let urlId: string;

async function createUser(role: Actor["role"], organizationId: string | null = null): Promise<Actor> {
  const email = `${role}-${randomUUID().slice(0, 8)}@search-test.example`;
  const user = await db().user.create({
    data: { email, name: `${role} ${run}`, role, organizationId, passwordHash: "unused" },
  });
  return { userId: user.id, email, name: user.name, role, organizationId, readOnly: false };
}

const event = (incident: string, title: string, description: string | null = null) => ({
  incidentId: incident,
  occurredAt: new Date("2023-06-16T00:00:00Z"),
  precision: "day" as const,
  lane: "response" as const,
  phase: "detection" as const,
  title,
  description,
  source: "https://example.org/source",
  verification: "primary" as const,
});

beforeAll(async () => {
  const [incident, other] = await Promise.all([
    db().incident.create({ data: { slug: `search-${run}`, name: "Search test", publicSummary: "Test." } }),
    db().incident.create({ data: { slug: `search-other-${run}`, name: "Other", publicSummary: "Test." } }),
  ]);
  incidentId = incident.id;
  otherIncidentId = other.id;
  const organization = await db().affectedOrganization.create({
    data: {
      incidentId,
      name: `Department of ${word}`,
      kind: "government",
      sector: "diplomacy",
      determinedAffectedAt: new Date(),
    },
  });
  await db().timelineEvent.createMany({
    data: [
      event(incidentId, `Mailbox access seen by ${word}`, "Anomalous MailItemsAccessed events."),
      ...Array.from({ length: SEARCH_LIMIT + 5 }, (_, i) =>
        event(incidentId, `Bulk ${i}`, `common ${word} text`),
      ),
      event(otherIncidentId, `Elsewhere ${word}`),
    ],
  });
  await db().finding.create({
    data: {
      incidentId,
      title: "Forged authentication tokens",
      body: `The ${word} key signed consumer and enterprise tokens.`,
      severity: "high",
      confidence: "high",
    },
  });
  await db().finding.create({
    data: {
      incidentId: otherIncidentId,
      title: `Other ${word}`,
      body: "x",
      severity: "low",
      confidence: "low",
    },
  });
  const [ip, url] = await Promise.all([
    db().indicator.create({
      data: {
        incidentId,
        type: "ipv4",
        value: "51.89.156.153",
        normalizedValue: "51.89.156.153",
        description: `Actor infrastructure (${word})`,
      },
    }),
    db().indicator.create({
      data: {
        incidentId,
        type: "url",
        value: "https://login.example.com/token",
        normalizedValue: "https://login.example.com/token",
      },
    }),
    db().indicator.create({
      data: {
        incidentId: otherIncidentId,
        type: "ipv4",
        value: "51.89.156.153",
        normalizedValue: "51.89.156.153",
      },
    }),
  ]);
  ipId = ip.id;
  urlId = url.id;
  responder = await createUser("responder");
  executive = await createUser("executive");
  agencyUser = await createUser("agency", organization.id);
});

afterAll(async () => {
  await db().$disconnect();
});

describe("searchIncident", () => {
  it("groups results by kind and keeps to the incident", async () => {
    const results = await searchIncident(responder, incidentId, word);
    expect(results.events.items.some((h) => h.title === `Mailbox access seen by ${word}`)).toBe(true);
    expect(results.events.items.every((h) => !h.title.startsWith("Elsewhere"))).toBe(true);
    expect(results.findings.items.map((h) => h.title)).toEqual(["Forged authentication tokens"]);
    expect(results.findings.items[0]?.snippet).toContain(word);
    expect(results.indicators.items.map((h) => h.id)).toEqual([ipId]);
    expect(results.indicators.items[0]?.detail).toBe("ipv4");
    expect(results.organizations.items.map((h) => h.title)).toEqual([`Department of ${word}`]);
    expect(results.organizations.items[0]?.detail).toBe("government");
  });

  it("returns at most 20 per kind and says when there were more", async () => {
    const results = await searchIncident(responder, incidentId, `common ${word}`);
    expect(results.events.items).toHaveLength(SEARCH_LIMIT);
    expect(results.events.truncated).toBe(true);
    expect(results.findings.truncated).toBe(false);
  });

  it("finds words by part and despite a typo (trigrams)", async () => {
    // Whole words of a description are found by full text.
    expect((await searchIncident(responder, incidentId, "anomalous")).events.items[0]?.title).toContain(word);
    expect((await searchIncident(responder, incidentId, "Mailbox acces")).events.items[0]?.title).toContain(
      "Mailbox access",
    );
    expect(
      (await searchIncident(responder, incidentId, "Forgd authentication")).findings.items[0]?.title,
    ).toBe("Forged authentication tokens");
  });

  it("finds a stored indicator by its defanged form", async () => {
    for (const q of ["51.89.156[.]153", "51[.]89[.]156[.]153", " 51.89.156.153 "]) {
      const results = await searchIncident(responder, incidentId, q);
      expect(results.indicator).toEqual({ type: "ipv4", normalizedValue: "51.89.156.153" });
      expect(results.indicators.items[0]).toMatchObject({ id: ipId, exact: true });
    }
    const url = await searchIncident(executive, incidentId, "hxxps://login[.]example[.]com/token");
    expect(url.indicators.items[0]).toMatchObject({ id: urlId, exact: true });
  });

  it("refuses agency users (403)", async () => {
    const error = await searchIncident(agencyUser, incidentId, word).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(403);
  });
});

describe("search helpers", () => {
  it("reads defanged indicators and leaves words alone", () => {
    expect(queryAsIndicator("hxxp://evil[.]example[.]com/a")).toMatchObject({ type: "url" });
    expect(queryAsIndicator("forged tokens")).toBeNull();
  });

  it("cuts a snippet around the first match", () => {
    const text = `${"a ".repeat(200)}needle ${"b ".repeat(200)}`;
    const snippet = makeSnippet(text, ["needle"]);
    expect(snippet).toContain("needle");
    expect(snippet.startsWith("…")).toBe(true);
    expect(snippet.length).toBeLessThanOrEqual(165);
  });
});
