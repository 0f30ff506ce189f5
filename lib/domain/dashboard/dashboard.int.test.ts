// The dashboard's data against a real Postgres: an incident with no events, the seeded Storm-0558
// incident (its figures are published ones), one with 100,000 events built in one INSERT … SELECT,
// and who may read it.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../auth/actor.ts";
import { db } from "../../db/client.ts";
import { requireDatabaseUrl } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { getIncidentReport } from "../report/queries.ts";
import { DEMO_INCIDENT_SLUG, seedDemoData } from "../seed/demo.ts";
import { getDashboard, getIncidentDashboard } from "./queries.ts";

const DAY = 86_400_000;
const NOW = new Date("2026-11-29T00:00:00Z");

const actor = (role: Actor["role"], organizationId: string | null = null): Actor => ({
  userId: randomUUID(),
  email: `${role}@dashboard-test.example`,
  name: role,
  role,
  organizationId,
  readOnly: false,
});
const executive = actor("executive");

async function captureError(work: () => Promise<unknown>): Promise<AppError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("Expected an AppError, but the call succeeded.");
}

const isMonday = (iso: string) => new Date(iso).getUTCDay() === 1 && iso.endsWith("T00:00:00.000Z");

describe("an incident with no events", () => {
  let slug: string;
  beforeAll(async () => {
    slug = `dash-empty-${randomUUID().slice(0, 8)}`;
    await db().incident.create({ data: { slug, name: "Empty", publicSummary: "Nothing yet." } });
  });

  it("answers zeros and nulls, never an error", async () => {
    const dashboard = await getIncidentDashboard(executive, slug, NOW);
    expect(dashboard.keyTimes.phase.current).toBeNull();
    expect(dashboard.keyTimes.phase.steps.every((step) => step.reachedAt === null)).toBe(true);
    expect(dashboard.keyTimes.durations).toEqual([]);
    expect(dashboard.eventsPerWeek).toEqual({
      bucketSeconds: null,
      buckets: [],
      total: { adversary: 0, response: 0 },
    });
    expect(dashboard.indicatorsByType).toEqual([]);
    expect(dashboard.findingsByStatus).toEqual({ draft: 0, confirmed: 0, dismissed: 0 });
    expect(dashboard.notifications.total).toBe(0);
    expect(dashboard.sourcedFigures).toEqual([]);
    expect(dashboard.data.counts).toEqual({
      events: 0,
      organizations: 0,
      indicators: 0,
      findings: 0,
      sourcedFigures: 0,
    });
    const report = await getIncidentReport(executive, slug, NOW);
    expect(report.events).toEqual({ items: [], total: 0, truncated: false });
    expect(report.organizations).toEqual([]);
  });
});

describe("the seeded Storm-0558 incident", () => {
  beforeAll(async () => {
    await seedDemoData(requireDatabaseUrl());
  }, 120_000);

  it("is in post-incident, 32 days of dwell (31 by the CSRB's date), with the seeded counts", async () => {
    const dashboard = await getIncidentDashboard(executive, DEMO_INCIDENT_SLUG, NOW);
    const { phase, durations, milestones } = dashboard.keyTimes;
    expect(phase.current).toBe("post-incident");
    expect(phase.steps.map((s) => s.phase)).toEqual([
      "activity",
      "detection",
      "containment",
      "mitigation",
      "notification",
      "post-incident",
    ]);
    expect(milestones.firstActivity?.occurredAt.toISOString().slice(0, 10)).toBe("2023-05-15");
    expect(milestones.detection?.occurredAt.toISOString().slice(0, 10)).toBe("2023-06-16");
    const dwell = durations.find((d) => d.name === "dwell");
    expect(dwell?.ms).toBe(32 * DAY);
    expect(dwell?.alternatives.map((a) => a.ms)).toContain(31 * DAY);
    for (const name of ["timeToContain", "timeToMitigate", "timeToFirstNotification"] as const) {
      expect(durations.find((d) => d.name === name)?.ms, name).toBeGreaterThan(0);
    }

    const counts = await db().$queryRaw<
      { events: number; adversary: number; indicators: number; orgs: number }[]
    >`
      SELECT (SELECT count(*) FROM timeline_event e WHERE e.incident_id = i.id)::int AS events,
             (SELECT count(*) FROM timeline_event e WHERE e.incident_id = i.id AND lane = 'adversary')::int AS adversary,
             (SELECT count(*) FROM indicator x WHERE x.incident_id = i.id)::int AS indicators,
             (SELECT count(*) FROM affected_organization o WHERE o.incident_id = i.id)::int AS orgs
      FROM incident i WHERE slug = ${DEMO_INCIDENT_SLUG}`;
    const expected = counts[0]!;
    expect(dashboard.data.counts.events).toBe(expected.events);
    expect(dashboard.eventsPerWeek.bucketSeconds).toBe((7 * DAY) / 1000);
    expect(dashboard.eventsPerWeek.total).toEqual({
      adversary: expected.adversary,
      response: expected.events - expected.adversary,
    });
    expect(dashboard.eventsPerWeek.buckets.every((b) => isMonday(b.start))).toBe(true);
    expect(dashboard.indicatorsByType.reduce((sum, t) => sum + t.count, 0)).toBe(expected.indicators);
    expect(dashboard.notifications.total).toBe(expected.orgs);
    expect(Object.values(dashboard.notifications.byState).reduce((a, b) => a + b, 0)).toBe(expected.orgs);
    expect(dashboard.data.lastChangeAt).not.toBeNull();
  });

  it("shows sourced figures with their sources, side by side where sources disagree", async () => {
    const dashboard = await getIncidentDashboard(executive, DEMO_INCIDENT_SLUG, NOW);
    const organizations = dashboard.sourcedFigures.find((g) => g.key === "organizations");
    expect(organizations?.disagree).toBe(true);
    expect(organizations?.figures.map((f) => [f.display, f.source.name])).toEqual(
      expect.arrayContaining([
        ["≈ 25", "Microsoft"],
        ["22", "CSRB"],
      ]),
    );
    const microsoft = organizations?.figures.find((f) => f.source.name === "Microsoft");
    expect(microsoft?.sourceDate).toBe("2023-07-14");
    const emails = dashboard.sourcedFigures.find((g) => g.key === "stateDeptEmailsDownloaded");
    expect(emails?.figures[0]?.display).toMatch(/60,?000/);
    const accounts = dashboard.sourcedFigures.find((g) => g.key === "stateDeptAccounts");
    expect(accounts?.figures).toHaveLength(2);
    expect(accounts?.disagree).toBe(true);
  });

  it("lists it among the open incidents, and the report carries every section", async () => {
    const all = await getDashboard(executive, NOW);
    expect(all.incidents.map((i) => i.incident.slug)).toContain(DEMO_INCIDENT_SLUG);
    const report = await getIncidentReport(executive, DEMO_INCIDENT_SLUG, NOW);
    expect(report.events.items).toHaveLength(report.data.counts.events);
    const times = report.events.items.map((e) => e.occurredAt);
    expect([...times].sort()).toEqual(times);
    expect(report.organizations).toHaveLength(report.data.counts.organizations);
    expect(report.organizations.every((o) => o.deadlineStatus !== null)).toBe(true);
    expect(report.generatedAt).toBe(NOW.toISOString());
  });

  it("refuses agency users (403) and answers 404 for an unknown incident", async () => {
    const agency = actor("agency", randomUUID());
    expect((await captureError(() => getIncidentDashboard(agency, DEMO_INCIDENT_SLUG))).status).toBe(403);
    expect((await captureError(() => getDashboard(agency))).status).toBe(403);
    expect((await captureError(() => getIncidentReport(agency, DEMO_INCIDENT_SLUG))).status).toBe(403);
    expect((await captureError(() => getIncidentDashboard(executive, "no-such-incident"))).status).toBe(404);
  });
});

describe("an incident with 100,000 events", () => {
  const EVENTS = 100_000;
  let slug: string;
  let incidentId: string;
  beforeAll(async () => {
    slug = `dash-100k-${randomUUID().slice(0, 8)}`;
    const incident = await db().incident.create({ data: { slug, name: "100k", publicSummary: "Load." } });
    incidentId = incident.id;
    // Phases cycle by g; times spread over 200 days from 1 May 2023 (a Monday is 1 May 2023).
    await db().$executeRaw`
      INSERT INTO timeline_event (id, incident_id, occurred_at, precision, lane, phase, title, source, verification, updated_at)
      SELECT gen_random_uuid(), ${incidentId}::uuid,
             '2023-05-01T00:00:00Z'::timestamptz + make_interval(secs => (g % 200) * 86400 + (g % 86400)),
             'exact', (CASE WHEN g % 4 = 0 THEN 'adversary' ELSE 'response' END)::lane,
             (CASE WHEN g % 4 = 0 THEN 'activity' WHEN g % 4 = 1 THEN 'detection'
                   WHEN g % 4 = 2 THEN 'containment' ELSE 'notification' END)::phase,
             'Synthetic #' || g, 'https://example.org/' || g, 'primary', now()
      FROM generate_series(1, ${EVENTS}::int) AS g`;
    await db().$executeRaw`
      INSERT INTO indicator (id, incident_id, type, value, normalized_value, updated_at)
      SELECT gen_random_uuid(), ${incidentId}::uuid, (CASE WHEN g % 2 = 0 THEN 'ipv4' ELSE 'domain' END)::indicator_type,
             'v' || g, 'v' || g, now()
      FROM generate_series(1, 30) AS g`;
    await db().$executeRaw`
      INSERT INTO finding (id, incident_id, title, body, severity, status, confidence, updated_at)
      SELECT gen_random_uuid(), ${incidentId}::uuid, 'Finding ' || g, 'Body', 'high',
             (CASE WHEN g <= 3 THEN 'confirmed' WHEN g <= 5 THEN 'dismissed' ELSE 'draft' END)::finding_status, 'medium', now()
      FROM generate_series(1, 6) AS g`;
  }, 120_000);

  it("counts every event once, per week and lane, and the other widgets exactly", async () => {
    const dashboard = await getIncidentDashboard(executive, slug, NOW);
    expect(dashboard.data.counts.events).toBe(EVENTS);
    expect(dashboard.eventsPerWeek.total).toEqual({ adversary: EVENTS / 4, response: (EVENTS * 3) / 4 });
    const summed = dashboard.eventsPerWeek.buckets.reduce((sum, b) => sum + b.adversary + b.response, 0);
    expect(summed).toBe(EVENTS);
    // 200 days from a Monday: weeks 0 … 28, contiguous.
    expect(dashboard.eventsPerWeek.buckets).toHaveLength(29);
    expect(dashboard.eventsPerWeek.buckets[0]?.start).toBe("2023-05-01T00:00:00.000Z");
    expect(dashboard.eventsPerWeek.buckets.every((b) => isMonday(b.start))).toBe(true);
    // Days 0–6 (g % 200 in 0..6) fall in the first week: 7 of every 200 values of g.
    const firstWeek = dashboard.eventsPerWeek.buckets[0]!;
    expect(firstWeek.adversary + firstWeek.response).toBe((EVENTS / 200) * 7);
    expect(dashboard.indicatorsByType).toEqual([
      { type: "domain", count: 15 },
      { type: "ipv4", count: 15 },
    ]);
    expect(dashboard.findingsByStatus).toEqual({ draft: 1, confirmed: 3, dismissed: 2 });
    expect(dashboard.keyTimes.phase.current).toBe("notification");
    const { firstActivity, detection } = dashboard.keyTimes.milestones;
    expect(dashboard.keyTimes.durations.find((d) => d.name === "dwell")?.ms).toBe(
      detection!.occurredAt.getTime() - firstActivity!.occurredAt.getTime(),
    );
  });

  it("puts at most the report's limit of events in the report, saying how many there are", async () => {
    const report = await getIncidentReport(executive, incidentId, NOW);
    expect(report.events.total).toBe(EVENTS);
    expect(report.events.truncated).toBe(true);
    expect(report.events.items.length).toBeLessThan(EVENTS);
    expect(report.confirmedFindings).toHaveLength(3);
  });
});
