// Reading the audit trail against a real Postgres: newest first, filters (user, record kind, action,
// time range), keyset paging without gaps or repeats, the per-field diff, links to records that still
// exist, and who may read it.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../auth/actor.ts";
import { db } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import { AuditListQuerySchema, type AuditListQueryInput } from "../../validation/audit.ts";
import { CreateOrganizationSchema } from "../../validation/organizations.ts";
import { CreateEventSchema, UpdateEventSchema } from "../../validation/timeline.ts";
import { createOrganization } from "../organizations/commands.ts";
import { createTimelineEvent, deleteTimelineEvent, updateTimelineEvent } from "../timeline/commands.ts";
import type { TimelineEventDetailDto } from "../timeline/queries.ts";
import { recordAudit } from "./record.ts";
import type { AuditEntryDto } from "./dto.ts";
import { findAuditIncident, listAuditEntries, listAuditFilterOptions } from "./queries.ts";

const run = randomUUID().slice(0, 8);
const SOURCE = "https://www.cisa.gov/news-events/cybersecurity-advisories/aa23-193a";

let incidentId: string;
let otherIncidentId: string;
let responder: Actor;
let colleague: Actor;
let executive: Actor;
let agency: Actor;
let kept: TimelineEventDetailDto;
let deletedId: string;
let organizationId: string;

async function makeUser(
  role: Actor["role"],
  name: string,
  organizationId: string | null = null,
): Promise<Actor> {
  const email = `${role}-${randomUUID().slice(0, 8)}@audit-test.example`;
  const user = await db().user.create({
    data: { email, name, role, organizationId, passwordHash: "unused" },
  });
  return { userId: user.id, email, name, role, organizationId, readOnly: false };
}

const list = (actor: Actor, input: AuditListQueryInput = {}, incident = incidentId) =>
  listAuditEntries(actor, incident, AuditListQuerySchema.parse(input));

async function allPages(actor: Actor, input: AuditListQueryInput): Promise<AuditEntryDto[]> {
  const items: AuditEntryDto[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 100; i += 1) {
    const page = await list(actor, { ...input, cursor });
    items.push(...page.items);
    if (!page.nextCursor) return items;
    cursor = page.nextCursor;
  }
  throw new Error("too many pages");
}

const event = (title: string) =>
  CreateEventSchema.parse({
    occurredAt: "2023-06-16",
    precision: "day",
    lane: "response",
    phase: "detection",
    title,
    description: "**markdown** <script>alert(1)</script>",
    source: SOURCE,
  });

beforeAll(async () => {
  const [incident, other] = await Promise.all([
    db().incident.create({
      data: { slug: `audit-${run}`, name: "Audit trail test", publicSummary: "Test." },
    }),
    db().incident.create({ data: { slug: `audit-other-${run}`, name: "Other", publicSummary: "Test." } }),
  ]);
  incidentId = incident.id;
  otherIncidentId = other.id;
  responder = await makeUser("responder", `Rita ${run}`);
  colleague = await makeUser("responder", `Sam ${run}`);
  executive = await makeUser("executive", `Eve ${run}`);

  const organization = await createOrganization(
    responder,
    incidentId,
    CreateOrganizationSchema.parse({ name: `Org ${run}`, kind: "government", country: "US" }),
    { requestId: "req-org" },
  );
  organizationId = (organization.body as { id: string }).id;
  agency = await makeUser("agency", `Agnes ${run}`, organizationId);

  kept = (await createTimelineEvent(responder, incidentId, event(`Kept ${run}`), { requestId: "req-1" }))
    .body as TimelineEventDetailDto;
  const doomed = (
    await createTimelineEvent(colleague, incidentId, event(`Doomed ${run}`), { requestId: "req-2" })
  ).body as TimelineEventDetailDto;
  deletedId = doomed.id;
  await updateTimelineEvent(
    colleague,
    incidentId,
    kept.id,
    UpdateEventSchema.parse({ title: `Kept, renamed ${run}`, version: kept.version }),
    { requestId: "req-3" },
  );
  await deleteTimelineEvent(responder, incidentId, doomed.id, { requestId: "req-4" });
  // Another incident's entry never shows here.
  await db().$transaction((tx) =>
    recordAudit(tx, {
      incidentId: otherIncidentId,
      actorId: responder.userId,
      actorLabel: "x",
      action: "event.create",
      entityType: "event",
      entityId: randomUUID(),
      after: { title: "elsewhere" },
    }),
  );
});

afterAll(async () => {
  await db().$disconnect();
});

describe("listAuditEntries", () => {
  it("lists every change of the incident, newest first, with who, what and the request id", async () => {
    const page = await list(responder);
    expect(page.items.map((e) => e.action)).toEqual([
      "event.delete",
      "event.update",
      "event.create",
      "event.create",
      "organization.create",
    ]);
    expect(page.nextCursor).toBeNull();
    const [deleted, updated] = page.items as [AuditEntryDto, AuditEntryDto];
    expect(deleted.actor).toEqual({
      id: responder.userId,
      name: responder.name,
      label: `${responder.email} (responder)`,
    });
    expect(deleted.requestId).toBe("req-4");
    expect(updated.actor.name).toBe(colleague.name);
  });

  it("shows an update as before → after of the changed fields only", async () => {
    const [updated] = (await list(responder, { action: "event.update" })).items;
    expect(updated?.kind).toBe("update");
    const title = updated?.changes.find((c) => c.field === "title");
    expect(title).toEqual({ field: "title", before: `Kept ${run}`, after: `Kept, renamed ${run}` });
    const fields = updated?.changes.map((c) => c.field) ?? [];
    expect(fields).toContain("version");
    expect(fields).not.toContain("description");
    expect(fields).not.toContain("lane");
  });

  it("shows a creation's values and a deletion's removed values, hostile text kept as text", async () => {
    const items = (await list(responder, { entity: "event" })).items;
    const created = items.find((e) => e.action === "event.create" && e.entity.id === kept.id);
    expect(created?.kind).toBe("create");
    expect(created?.changes.find((c) => c.field === "description")?.after).toBe(
      "**markdown** <script>alert(1)</script>",
    );
    expect(created?.changes.every((c) => c.before === null)).toBe(true);
    const deleted = items.find((e) => e.action === "event.delete");
    expect(deleted?.kind).toBe("delete");
    expect(deleted?.changes.find((c) => c.field === "title")?.before).toBe(`Doomed ${run}`);
  });

  it("links a record that exists to its page, and names a deleted one from the entry", async () => {
    const items = (await list(responder)).items;
    const keptEntry = items.find((e) => e.entity.id === kept.id);
    expect(keptEntry?.entity).toMatchObject({
      type: "event",
      label: `Kept, renamed ${run}`,
      exists: true,
      link: { page: "timeline", q: `Kept, renamed ${run}` },
    });
    const gone = items.find((e) => e.entity.id === deletedId);
    expect(gone?.entity).toMatchObject({ label: `Doomed ${run}`, exists: false, link: null });
    const organization = items.find((e) => e.entity.type === "organization");
    expect(organization?.entity.link).toEqual({ page: "organizations", q: `Org ${run}` });
  });

  it("filters by user, record kind, action and time range", async () => {
    const byColleague = await list(responder, { actor: colleague.userId });
    expect(byColleague.items.map((e) => e.action)).toEqual(["event.update", "event.create"]);
    expect((await list(responder, { entity: "organization" })).items.map((e) => e.action)).toEqual([
      "organization.create",
    ]);
    expect((await list(responder, { action: "event.delete" })).items).toHaveLength(1);
    expect((await list(responder, { actor: "system" })).items).toHaveLength(0);

    const all = (await list(responder)).items;
    const newest = new Date(all[0]!.at);
    const oldest = new Date(all.at(-1)!.at);
    expect((await list(responder, { from: oldest.toISOString() })).items).toHaveLength(5);
    const future = new Date(newest.getTime() + 120_000).toISOString();
    expect((await list(responder, { from: future })).items).toHaveLength(0);
    const past = new Date(oldest.getTime() - 120_000).toISOString();
    expect((await list(responder, { to: past })).items).toHaveLength(0);
    // A date alone covers the whole day.
    expect((await list(responder, { to: newest.toISOString().slice(0, 10) })).items).toHaveLength(5);
  });

  it("pages by keyset without gaps or repeats, filters kept across pages", async () => {
    const everything = (await list(responder, { limit: 200 })).items.map((e) => e.id);
    const paged = (await allPages(responder, { limit: 2 })).map((e) => e.id);
    expect(paged).toEqual(everything);
    expect(new Set(paged).size).toBe(paged.length);
    const first = await list(responder, { limit: 1, entity: "event" });
    const second = await list(responder, {
      limit: 10,
      entity: "event",
      cursor: first.nextCursor ?? undefined,
    });
    expect([...first.items, ...second.items].every((e) => e.entity.type === "event")).toBe(true);
    expect(second.items).toHaveLength(3);
  });

  it("refuses a cursor it did not issue", async () => {
    await expect(list(responder, { cursor: "not-a-cursor" })).rejects.toMatchObject({
      code: "invalid_cursor",
      status: 400,
    });
  });

  it("is read by staff with audit:read (executives too) and refused to agency users", async () => {
    expect((await list(executive)).items).toHaveLength(5);
    await expect(list(agency)).rejects.toMatchObject({ status: 403 });
    await expect(findAuditIncident(agency, `audit-${run}`)).rejects.toBeInstanceOf(AppError);
    await expect(findAuditIncident(agency, `no-such-${run}`)).rejects.toMatchObject({ status: 403 });
    await expect(findAuditIncident(executive, `no-such-${run}`)).rejects.toMatchObject({ status: 404 });
    expect((await findAuditIncident(executive, `audit-${run}`)).id).toBe(incidentId);
  });
});

describe("listAuditFilterOptions", () => {
  it("offers only users, kinds and actions that occur in the incident's trail", async () => {
    const options = await listAuditFilterOptions(responder, incidentId);
    expect(options.actors.map((a) => a.value).sort()).toEqual([colleague.userId, responder.userId].sort());
    expect(options.actors.find((a) => a.value === colleague.userId)?.label).toContain(colleague.name);
    expect(options.entityTypes).toEqual(["event", "organization"]);
    expect(options.actions).toEqual(["event.create", "event.delete", "event.update", "organization.create"]);
    await expect(listAuditFilterOptions(agency, incidentId)).rejects.toMatchObject({ status: 403 });
  });
});
