// Reading findings: one, a keyset-paged list with filters and full-text search, and the history of
// one finding read from its audit entries.
import type { Actor } from "../../auth/actor.ts";
import { db } from "../../db/client.ts";
import { AppError, notFound } from "../../errors.ts";
import { renderMarkdown } from "../../markdown/render.ts";
import type { FindingListQuery } from "../../validation/findings.ts";
import { techniqueName } from "../attack/techniques.ts";
import { incidentRefWhere } from "../incidents/scope.ts";
import { typeWord } from "../indicators/queries.ts";
import type { Tx } from "../tx.ts";
import type {
  FindingDto,
  FindingFieldChange,
  FindingHistoryEntry,
  FindingLinkOptions,
  FindingPage,
} from "./dto.ts";
import { findingScope } from "./scope.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The incident a finding route names, if the actor may read findings (403 for agency users, else 404). */
export async function findFindingIncident(actor: Actor, ref: string): Promise<{ id: string; slug: string }> {
  const incident = await db().incident.findFirst({
    where: incidentRefWhere(actor, ref),
    select: { id: true, slug: true },
  });
  if (!incident) throw notFound(`Incident "${ref}"`);
  // Agency users are refused by incidentRefWhere already; this keeps the findings rule in one place too.
  findingScope(actor, incident.id);
  return incident;
}

const include = {
  createdBy: { select: { name: true } },
  updatedBy: { select: { name: true } },
  events: { include: { event: { select: { id: true, title: true, occurredAt: true } } } },
  indicators: { include: { indicator: { select: { id: true, type: true, value: true } } } },
  organizations: { include: { organization: { select: { id: true, name: true } } } },
  techniques: { orderBy: { techniqueId: "asc" as const } },
  evidence: { orderBy: { id: "asc" as const } },
};

type FindingRow = NonNullable<Awaited<ReturnType<typeof fetchOne>>>;

function fetchOne(client: Tx | ReturnType<typeof db>, actor: Actor, incidentId: string, id: string) {
  return client.finding.findFirst({ where: { ...findingScope(actor, incidentId), id }, include });
}

/** The one mapping from a stored finding to what readers (and mutation answers) get. */
export function toFindingDto(row: FindingRow): FindingDto {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    bodyHtml: renderMarkdown(row.body),
    severity: row.severity,
    status: row.status,
    confidence: row.confidence,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    createdBy: row.createdBy?.name ?? null,
    updatedBy: row.updatedBy?.name ?? null,
    events: row.events
      .map((link) => link.event)
      .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.id.localeCompare(b.id))
      .map((event) => ({ id: event.id, title: event.title })),
    indicators: row.indicators
      .map((link) => ({
        id: link.indicator.id,
        type: typeWord(link.indicator.type),
        value: link.indicator.value,
      }))
      .sort((a, b) => a.type.localeCompare(b.type) || a.value.localeCompare(b.value)),
    organizations: row.organizations
      .map((link) => link.organization)
      .sort((a, b) => a.name.localeCompare(b.name)),
    techniques: row.techniques.map((t) => ({ id: t.techniqueId, name: techniqueName(t.techniqueId) })),
    // The table keeps no position (ids are random), so evidence reads back in a stable order.
    evidence: row.evidence
      .map((e) => ({ id: e.id, description: e.description, location: e.location, sha256: e.sha256 }))
      .sort((a, b) => a.description.localeCompare(b.description) || a.location.localeCompare(b.location)),
  };
}

/** One finding the actor may see; a missing one (or another incident's) answers 404. */
export async function getFinding(actor: Actor, incidentId: string, findingId: string): Promise<FindingDto> {
  const row = UUID.test(findingId) ? await fetchOne(db(), actor, incidentId, findingId.toLowerCase()) : null;
  if (!row) throw notFound("The finding");
  return toFindingDto(row);
}

/** Reads inside a mutation's transaction, for the answer of a write. */
export async function readFindingDto(
  tx: Tx,
  actor: Actor,
  incidentId: string,
  id: string,
): Promise<FindingDto | null> {
  const row = await fetchOne(tx, actor, incidentId, id);
  return row ? toFindingDto(row) : null;
}

// ---------------------------------------------------------------- the list

function encodeCursor(updatedAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([updatedAt.toISOString(), id])).toString("base64url");
}

function decodeCursor(cursor: string): { updatedAt: Date; id: string } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === "string" &&
      !Number.isNaN(Date.parse(parsed[0])) &&
      typeof parsed[1] === "string" &&
      UUID.test(parsed[1])
    ) {
      return { updatedAt: new Date(parsed[0]), id: parsed[1] };
    }
  } catch {
    // fall through
  }
  throw new AppError(
    "invalid_cursor",
    "cursor is not valid: pass the nextCursor of a previous page unchanged.",
    400,
    [{ field: "cursor", message: "not a cursor this API issued" }],
  );
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Ids of the incident's findings matching `q`: full-text over title and body (the expression of the
 * `finding_search_manual` index), or the title containing the text (trigram index).
 */
async function matchingFindingIds(incidentId: string, q: string): Promise<string[]> {
  const rows = await db().$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM finding
    WHERE incident_id = ${incidentId}::uuid
      AND (to_tsvector('simple', "title" || ' ' || "body") @@ websearch_to_tsquery('simple', ${q})
           OR title ILIKE ${`%${escapeLike(q)}%`})`;
  return rows.map((row) => row.id);
}

/** One page of the incident's findings, most recently changed first. */
export async function listFindings(
  actor: Actor,
  incidentId: string,
  query: FindingListQuery,
): Promise<FindingPage> {
  const scope = findingScope(actor, incidentId);
  const and: object[] = [scope];
  if (query.status) and.push({ status: query.status });
  if (query.severity) and.push({ severity: query.severity });
  if (query.q) and.push({ id: { in: await matchingFindingIds(incidentId, query.q) } });
  if (query.cursor) {
    const { updatedAt, id } = decodeCursor(query.cursor);
    and.push({ OR: [{ updatedAt: { lt: updatedAt } }, { updatedAt, id: { gt: id } }] });
  }
  const rows = await db().finding.findMany({
    where: { AND: and },
    include,
    orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(toFindingDto),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.updatedAt, last.id) : null,
  };
}

// ---------------------------------------------------------------- history

type Snapshot = Partial<Omit<FindingDto, "bodyHtml">>;

/** Each field as a person reads it: link lists become their labels. */
const HISTORY_FIELDS: { field: string; read: (s: Snapshot) => string | string[] | null }[] = [
  { field: "title", read: (s) => s.title ?? null },
  { field: "body", read: (s) => s.body ?? null },
  { field: "severity", read: (s) => s.severity ?? null },
  { field: "status", read: (s) => s.status ?? null },
  { field: "confidence", read: (s) => s.confidence ?? null },
  { field: "events", read: (s) => s.events?.map((e) => e.title) ?? null },
  { field: "indicators", read: (s) => s.indicators?.map((i) => `${i.type} ${i.value}`) ?? null },
  { field: "organizations", read: (s) => s.organizations?.map((o) => o.name) ?? null },
  { field: "techniques", read: (s) => s.techniques?.map((t) => `${t.id} ${t.name}`) ?? null },
  {
    field: "evidence",
    read: (s) =>
      s.evidence?.map((e) => `${e.description} — ${e.location}${e.sha256 ? ` (sha256 ${e.sha256})` : ""}`) ??
      null,
  },
];

function isEmpty(value: string | string[] | null): boolean {
  return value === null || value === "" || (Array.isArray(value) && value.length === 0);
}

export function diffFindingSnapshots(before: Snapshot | null, after: Snapshot | null): FindingFieldChange[] {
  const changes: FindingFieldChange[] = [];
  for (const { field, read } of HISTORY_FIELDS) {
    const from = before ? read(before) : null;
    const to = after ? read(after) : null;
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    // A creation lists what was filled in, not every empty list.
    if (!before && isEmpty(to)) continue;
    changes.push({ field, before: from, after: to });
  }
  return changes;
}

/** The finding's changes, newest first, from its audit entries (before → after per changed field). */
export async function getFindingHistory(
  actor: Actor,
  incidentId: string,
  findingId: string,
): Promise<FindingHistoryEntry[]> {
  const finding = await getFinding(actor, incidentId, findingId);
  const entries = await db().auditEntry.findMany({
    where: { incidentId, entityType: "finding", entityId: finding.id },
    orderBy: { id: "desc" },
    select: { id: true, at: true, actorLabel: true, action: true, before: true, after: true },
  });
  return entries.map((entry) => {
    const before = (entry.before ?? null) as Snapshot | null;
    const after = (entry.after ?? null) as Snapshot | null;
    return {
      id: String(entry.id),
      at: entry.at.toISOString(),
      actor: entry.actorLabel,
      action: entry.action === "finding.create" ? "created" : "updated",
      version: after?.version ?? null,
      changes: diffFindingSnapshots(before, after),
    };
  });
}

// ---------------------------------------------------------------- link choices for the dialog

const LINK_OPTIONS_LIMIT = 2000;

/** What a finding may link to, for the dialog's pickers (writers only). */
export async function listFindingLinkOptions(actor: Actor, incidentId: string): Promise<FindingLinkOptions> {
  findingScope(actor, incidentId);
  const [events, indicators, organizations] = await Promise.all([
    db().timelineEvent.findMany({
      where: { incidentId },
      select: { id: true, title: true, occurredAt: true },
      orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
      take: LINK_OPTIONS_LIMIT,
    }),
    db().indicator.findMany({
      where: { incidentId },
      select: { id: true, type: true, value: true },
      orderBy: [{ type: "asc" }, { normalizedValue: "asc" }],
      take: LINK_OPTIONS_LIMIT,
    }),
    db().affectedOrganization.findMany({
      where: { incidentId },
      select: { id: true, name: true },
      orderBy: { name: "asc" },
      take: LINK_OPTIONS_LIMIT,
    }),
  ]);
  return {
    events: events.map((e) => ({ id: e.id, label: `${e.occurredAt.toISOString().slice(0, 10)} ${e.title}` })),
    indicators: indicators.map((i) => ({ id: i.id, label: `${typeWord(i.type)} ${i.value}` })),
    organizations: organizations.map((o) => ({ id: o.id, label: o.name })),
  };
}
