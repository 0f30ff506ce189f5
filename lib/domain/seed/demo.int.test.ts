// The demo seed on a database of its own: what it loads, that it matches the sourced data, and that a
// second run writes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, dropDatabase, scratchDatabaseName } from "../../db/admin.ts";
import { createPrismaClient, type Db } from "../../db/client.ts";
import { applyMigrations } from "../../db/migrate.ts";
import { requireDatabaseUrl } from "../../env.ts";
import { verifyPassword } from "../users/passwords.ts";
import { DEMO_ACCOUNTS, DEMO_INCIDENT_SLUG, DEMO_PASSWORD, seedDemoData, type SeedResult } from "./demo.ts";
import { mapPublishedDating } from "./source-mapping.ts";
import { readStormSource } from "./storm-0558-source.ts";

// Other test files may seed the shared test database too; this one needs to see the very first run.
const serverUrl = requireDatabaseUrl();
const databaseName = scratchDatabaseName("dwell_seed");
let databaseUrl: string;
let db: Db;
let first: SeedResult;
let firstRunMs: number;

const PHASE_NAMES: Record<string, string> = {
  "initial access": "initial_access",
  activity: "activity",
  detection: "detection",
  investigation: "investigation",
  containment: "containment",
  mitigation: "mitigation",
  notification: "notification",
  "post-incident": "post_incident",
};

const day = (date: string) => new Date(`${date}T00:00:00.000Z`);
const CSRB_URL =
  "https://www.cisa.gov/resources-tools/resources/cyber-safety-review-board-releases-report-microsoft-online-exchange-incident-summer-2023";
const demoEmails = DEMO_ACCOUNTS.map((account) => account.email);

async function countRows(): Promise<Record<string, number>> {
  const tables = [
    "incident",
    "timeline_event",
    "event_alternative",
    "event_organization",
    "event_indicator",
    "event_technique",
    "indicator",
    "affected_organization",
    "notification_move",
    "incident_technique",
    "sourced_figure",
    "app_user",
    "audit_entry",
  ];
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const rows = await db.$queryRawUnsafe<{ count: bigint }[]>(`SELECT count(*) AS count FROM "${table}"`);
    counts[table] = Number(rows[0]?.count ?? -1);
  }
  return counts;
}

beforeAll(async () => {
  databaseUrl = await createDatabase(serverUrl, databaseName);
  await applyMigrations(databaseUrl);
  db = createPrismaClient(databaseUrl);
  const started = performance.now();
  first = await seedDemoData(databaseUrl);
  firstRunMs = performance.now() - started;
});

afterAll(async () => {
  await db?.$disconnect();
  await dropDatabase(serverUrl, databaseName);
});

describe("seedDemoData", () => {
  it("loads the incident with the sourced counts, well within the time budget", async () => {
    expect(first.createdIncident).toBe(true);
    expect(first.counts).toEqual({ events: 42, indicators: 48, organizations: 23, users: 5 });
    expect(firstRunMs).toBeLessThan(10_000);

    const incident = await db.incident.findUniqueOrThrow({ where: { slug: DEMO_INCIDENT_SLUG } });
    expect(incident).toMatchObject({
      id: first.incidentId,
      name: readStormSource().incident.name,
      actor: "Storm-0558",
      timeZone: "UTC",
      notificationDeadlineHours: 72,
      isDemo: true,
    });
    expect(incident.publicSummary).toContain("15 May 2023");
    expect(incident.publicSummary).toContain("16 Jun 2023");
    // Agency users read the summary: it must not name any victim.
    expect(incident.publicSummary).not.toMatch(/State|Commerce|House|U\.K\./);

    const where = { incidentId: first.incidentId };
    expect(await db.incidentTechnique.count({ where })).toBe(10);
    expect(await db.sourcedFigure.count({ where })).toBe(Object.keys(readStormSource().figures).length);
    expect(
      await db.affectedOrganization.count({ where: { ...where, kind: { not: "individuals_group" } } }),
    ).toBe(22);
    expect(await db.notificationMove.count({ where })).toBe(23);
  });

  it("keeps every event's dating, phase and source exactly as published", async () => {
    const events = await db.timelineEvent.findMany({ where: { incidentId: first.incidentId } });
    const source = readStormSource().timeline;
    expect(events).toHaveLength(source.length);
    for (const published of source) {
      const stored = events.find(
        (event) =>
          event.title === published.title &&
          event.occurredAt.toISOString() === new Date(published.occurredAt).toISOString(),
      );
      expect(stored, published.title).toBeDefined();
      expect(stored?.precision).toBe(mapPublishedDating(published.occurredAt, published.precision).precision);
      expect(stored?.phase).toBe(PHASE_NAMES[published.phase]);
      expect(stored?.source).toBe(published.source);
      expect(stored?.additionalSources).toEqual(published.additionalSources ?? []);
      expect(stored?.description).toBe(published.note ?? null);
      expect(stored?.sourceTimeZone).toBeNull();
      expect(stored?.tlp).toBe("CLEAR");
      expect(stored?.lane).toBe(
        ["initial access", "activity"].includes(published.phase) ? "adversary" : "response",
      );
    }
  });

  it("puts the first adversary activity where the data does (9 March 2023) and initial access on 15 May 2023", async () => {
    const firstAdversary = await db.timelineEvent.findFirstOrThrow({
      where: { incidentId: first.incidentId, lane: "adversary" },
      orderBy: { occurredAt: "asc" },
    });
    expect(firstAdversary.occurredAt).toEqual(day("2023-03-09"));
    expect(firstAdversary.title).toContain("51.89.156.153");

    const initialAccess = await db.timelineEvent.findFirstOrThrow({
      where: { incidentId: first.incidentId, phase: "initial_access" },
      include: { techniques: true },
    });
    expect(initialAccess.occurredAt).toEqual(day("2023-05-15"));
    expect(initialAccess.techniques.map((technique) => technique.techniqueId)).toEqual(
      expect.arrayContaining(["T1606", "T1550.001"]),
    );

    const proxyEvent = await db.timelineEvent.findFirstOrThrow({
      where: { id: firstAdversary.id },
      include: { indicators: { include: { indicator: true } } },
    });
    expect(proxyEvent.indicators.map((link) => link.indicator.normalizedValue)).toEqual(["51.89.156.153"]);
  });

  it("keeps disagreeing datings as alternatives beside the published one", async () => {
    const containment = await db.timelineEvent.findFirstOrThrow({
      where: { incidentId: first.incidentId, occurredAt: day("2023-06-24"), phase: "containment" },
      include: { alternatives: true },
    });
    expect(containment.precision).toBe("day");
    expect(containment.alternatives).toEqual([
      expect.objectContaining({
        precision: "range",
        occurredAt: day("2023-06-26"),
        occurredUntil: day("2023-06-29"),
        source: expect.stringContaining("microsoft.com/en-us/security/blog/2023/07/14"),
      }),
    ]);

    const detection = await db.timelineEvent.findFirstOrThrow({
      where: { incidentId: first.incidentId, occurredAt: day("2023-06-15"), phase: "detection" },
      include: { alternatives: true },
    });
    expect(detection.alternatives.map((alternative) => alternative.precision).sort()).toEqual([
      "approximate",
      "day",
    ]);

    // The report to Microsoft stays its own event; as the detection milestone it also carries the CSRB's
    // 15 June detection date.
    const report = await db.timelineEvent.findFirstOrThrow({
      where: { incidentId: first.incidentId, occurredAt: day("2023-06-16"), phase: "detection" },
      include: { alternatives: true },
    });
    expect(report.id).not.toBe(detection.id);
    expect(report.alternatives).toEqual([
      expect.objectContaining({
        occurredAt: day("2023-06-15"),
        occurredUntil: null,
        precision: "day",
        source: CSRB_URL,
        verification: "primary",
        note: "CSRB: State's SOC detected the anomalous access on 15 June 2023 and reported it to Microsoft on 16 June",
      }),
    ]);
  });

  it("pins the four milestones to the events the sources name for them", async () => {
    const pinned = await db.timelineEvent.findMany({
      where: { incidentId: first.incidentId, milestone: { not: null } },
      orderBy: { occurredAt: "asc" },
    });
    expect(
      pinned.map((event) => ({
        milestone: event.milestone,
        occurredAt: event.occurredAt,
        phase: event.phase,
      })),
    ).toEqual([
      { milestone: "first_activity", occurredAt: day("2023-05-15"), phase: "initial_access" },
      { milestone: "detection", occurredAt: day("2023-06-16"), phase: "detection" },
      { milestone: "containment", occurredAt: day("2023-06-24"), phase: "containment" },
      { milestone: "mitigation_complete", occurredAt: day("2023-07-03"), phase: "mitigation" },
    ]);
    expect(pinned[0]?.title).toContain("Storm-0558 stands up its first piece of infrastructure");
    expect(pinned[1]?.title).toBe("State Department reports the anomalous activity to Microsoft (and CISA)");
    expect(pinned[2]?.title).toContain("revokes the stolen 2016 MSA key");
    expect(pinned[3]?.title).toContain("Microsoft blocks use of the key for all affected consumer customers");
    expect(pinned[3]?.description).toBe("CSRB: remediation ran between 24 June and 3 July 2023.");
  });

  it("records the notifications the sources date, State's included", async () => {
    const state = await db.affectedOrganization.findUniqueOrThrow({
      where: { incidentId_name: { incidentId: first.incidentId, name: "U.S. Department of State" } },
      include: { moves: true },
    });
    expect(state).toMatchObject({
      kind: "government",
      country: "US",
      accountsAffected: null,
      determinedAffectedAt: day("2023-06-16"),
      notificationState: "notified",
      notificationStateAt: day("2023-06-28"),
    });
    expect(state.internalNote).toMatch(/Reuters/);
    expect(state.moves).toEqual([
      expect.objectContaining({
        fromState: "pending",
        toState: "notified",
        at: day("2023-06-28"),
        atPrecision: "day",
        madeBy: "Microsoft",
      }),
    ]);

    const commerceMove = await db.notificationMove.findFirstOrThrow({
      where: { organization: { name: "U.S. Department of Commerce", incidentId: first.incidentId } },
      include: { timelineEvent: true },
    });
    expect(commerceMove.at).toEqual(day("2023-06-23"));
    expect(commerceMove.timelineEvent?.title).toContain("Microsoft notifies the Commerce Department");

    const individuals = await db.affectedOrganization.findFirstOrThrow({
      where: { incidentId: first.incidentId, kind: "individuals_group" },
      include: { moves: true },
    });
    expect(individuals.accountsAffected).toBe(503);
    expect(individuals.moves[0]).toMatchObject({ madeBy: "FBI", at: day("2023-08-02") });

    const unnamed = await db.affectedOrganization.findMany({
      where: { incidentId: first.incidentId, isNamedPublicly: false, kind: { not: "individuals_group" } },
    });
    expect(unnamed).toHaveLength(19);
  });

  it("creates the demo accounts with the demo password, agency users bound to their organizations", async () => {
    const users = await db.user.findMany({
      where: { email: { in: demoEmails } },
      include: { organization: true },
    });
    expect(users).toHaveLength(5);
    for (const account of DEMO_ACCOUNTS) {
      const user = users.find((candidate) => candidate.email === account.email);
      expect(user?.role).toBe(account.role);
      expect(user?.organization?.name ?? undefined).toBe(account.organization);
      expect(await verifyPassword(user?.passwordHash ?? "", DEMO_PASSWORD)).toBe(true);
    }
    expect(users.find((user) => user.email === "state@agency.example")?.organization?.name).toBe(
      "U.S. Department of State",
    );
    expect(users.find((user) => user.email === "commerce@agency.example")?.organization?.name).toBe(
      "U.S. Department of Commerce",
    );
  });

  it("writes one incident.seed entry and one user.create entry per account, all by the system", async () => {
    const entries = await db.auditEntry.findMany({ orderBy: { id: "asc" } });
    expect(entries.map((entry) => entry.action)).toEqual([
      "incident.seed",
      ...DEMO_ACCOUNTS.map(() => "user.create"),
    ]);
    for (const entry of entries) {
      expect(entry).toMatchObject({ actorId: null, actorLabel: "system (demo seed)" });
    }
    expect(entries[0]).toMatchObject({ entityType: "incident", entityId: first.incidentId });
  });

  it("changes nothing on a second run", async () => {
    const before = await countRows();
    const second = await seedDemoData(databaseUrl);
    expect(second).toEqual({ ...first, createdIncident: false });
    expect(await countRows()).toEqual(before);
  });

  it("recreates only a demo account that has gone missing, with its one audit entry", async () => {
    await db.user.delete({ where: { email: "executive@dwell.example" } });
    const before = await countRows();

    const third = await seedDemoData(databaseUrl);

    expect(third.createdIncident).toBe(false);
    expect(third.counts.users).toBe(5);
    expect(await countRows()).toEqual({
      ...before,
      app_user: (before.app_user ?? 0) + 1,
      audit_entry: (before.audit_entry ?? 0) + 1,
    });
    const last = await db.auditEntry.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(last.action).toBe("user.create");
  });
});
