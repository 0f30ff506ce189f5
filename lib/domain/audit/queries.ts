// Reading an incident's audit trail: newest first, filtered by who, what kind of record, which action
// and when, keyset-paged on the entry id; each entry with what it changed (diff.ts) and a way to the
// record it names.
import type { Actor } from "../../auth/actor.ts";
import { assertCan } from "../../auth/permissions.ts";
import { db } from "../../db/client.ts";
import { Prisma } from "../../db/generated/client.ts";
import { AppError, notFound } from "../../errors.ts";
import { SYSTEM_ACTOR, type AuditListQuery } from "../../validation/audit.ts";
import { incidentRefWhere } from "../incidents/scope.ts";
import { typeWord } from "../indicators/queries.ts";
import { diffAuditValues } from "./diff.ts";
import type { AuditEntityLink, AuditEntryDto, AuditFilterOptions, AuditPage } from "./dto.ts";
import { auditScope } from "./scope.ts";

/** The incident an audit route names, if the actor may read the trail (403 before any lookup, else 404). */
export async function findAuditIncident(actor: Actor, ref: string): Promise<{ id: string; slug: string }> {
  assertCan(actor, "audit:read");
  const incident = await db().incident.findFirst({
    where: incidentRefWhere(actor, ref),
    select: { id: true, slug: true },
  });
  if (!incident) throw notFound(`Incident "${ref}"`);
  return incident;
}

// ---------------------------------------------------------------- cursor

export function encodeAuditCursor(id: bigint): string {
  return Buffer.from(id.toString()).toString("base64url");
}

export function decodeAuditCursor(cursor: string): bigint {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  if (/^[1-9]\d{0,18}$/.test(text)) return BigInt(text);
  throw new AppError(
    "invalid_cursor",
    "cursor is not valid: pass the nextCursor of a previous page unchanged.",
    400,
    [{ field: "cursor", message: "not a cursor this API issued" }],
  );
}

// ---------------------------------------------------------------- the list

function whereOf(scope: { incidentId: string }, query: AuditListQuery): Prisma.AuditEntryWhereInput {
  const where: Prisma.AuditEntryWhereInput = { ...scope };
  if (query.actor) where.actorId = query.actor === SYSTEM_ACTOR ? null : query.actor;
  if (query.entity) where.entityType = query.entity;
  if (query.action) where.action = query.action;
  if (query.from || query.to) {
    where.at = {
      ...(query.from ? { gte: query.from.start } : {}),
      ...(query.to ? { lt: query.to.end } : {}),
    };
  }
  if (query.cursor) where.id = { lt: decodeAuditCursor(query.cursor) };
  return where;
}

/** One page of the incident's audit entries, newest first. */
export async function listAuditEntries(
  actor: Actor,
  incidentId: string,
  query: AuditListQuery,
): Promise<AuditPage> {
  const rows = await db().auditEntry.findMany({
    where: whereOf(auditScope(actor, incidentId), query),
    orderBy: { id: "desc" },
    take: query.limit + 1,
    select: {
      id: true,
      at: true,
      actorId: true,
      actorLabel: true,
      action: true,
      entityType: true,
      entityId: true,
      before: true,
      after: true,
      requestId: true,
    },
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const [names, entities] = await Promise.all([
    userNames(page.map((row) => row.actorId)),
    resolveEntities(incidentId, page),
  ]);
  return {
    items: page.map((row) => {
      const diff = diffAuditValues(row.before, row.after);
      const found = entities.get(entityKey(row.entityType, row.entityId));
      return {
        id: row.id.toString(),
        at: row.at.toISOString(),
        actor: {
          id: row.actorId,
          name: row.actorId ? (names.get(row.actorId) ?? null) : null,
          label: row.actorLabel,
        },
        action: row.action,
        entity: {
          type: row.entityType,
          id: row.entityId,
          label: found?.label ?? snapshotLabel(row.entityType, row.before, row.after),
          exists: found !== undefined,
          link: found?.link ?? null,
        },
        kind: diff.kind,
        changes: diff.changes,
        requestId: row.requestId,
      } satisfies AuditEntryDto;
    }),
    nextCursor: rows.length > query.limit && last ? encodeAuditCursor(last.id) : null,
  };
}

/**
 * Distinct values of one column among the incident's entries, read as a skip scan over the
 * (incident_id, column, id) index: one index probe per distinct value, however long the trail.
 */
function distinctValues(
  incidentId: string,
  column: "action" | "entity_type" | "actor_id",
): Promise<string[]> {
  const col = Prisma.raw(`"${column}"`);
  const cast = Prisma.raw(column === "actor_id" ? "::text" : "");
  return db().$queryRaw<{ value: string | null }[]>`
      WITH RECURSIVE found(value) AS (
        (SELECT ${col} FROM audit_entry WHERE incident_id = ${incidentId}::uuid AND ${col} IS NOT NULL
          ORDER BY ${col} LIMIT 1)
        UNION ALL
        SELECT (SELECT a.${col} FROM audit_entry a
                 WHERE a.incident_id = ${incidentId}::uuid AND a.${col} > found.value
                 ORDER BY a.${col} LIMIT 1)
        FROM found WHERE found.value IS NOT NULL
      )
      SELECT value${cast} AS value FROM found WHERE value IS NOT NULL`.then((rows) =>
    rows.map((row) => row.value).filter((v): v is string => v !== null),
  );
}

/** Users, actions and record kinds that occur in the incident's trail, for the filters. */
export async function listAuditFilterOptions(actor: Actor, incidentId: string): Promise<AuditFilterOptions> {
  const scope = auditScope(actor, incidentId);
  const [actorIds, entityTypes, actions, system] = await Promise.all([
    distinctValues(incidentId, "actor_id"),
    distinctValues(incidentId, "entity_type"),
    distinctValues(incidentId, "action"),
    db().auditEntry.findFirst({ where: { ...scope, actorId: null }, select: { id: true } }),
  ]);
  const [users, labels] = await Promise.all([
    actorIds.length
      ? db().user.findMany({ where: { id: { in: actorIds } }, select: { id: true, name: true, email: true } })
      : Promise.resolve([]),
    // A user that no longer exists is named by its latest entry's label.
    Promise.all(
      actorIds.map((actorId) =>
        db().auditEntry.findFirst({
          where: { ...scope, actorId },
          orderBy: { id: "desc" },
          select: { actorId: true, actorLabel: true },
        }),
      ),
    ),
  ]);
  const byId = new Map(users.map((u) => [u.id, u]));
  const labelOf = new Map(labels.map((l) => [l?.actorId ?? "", l?.actorLabel ?? ""]));
  const actors = actorIds.map((id) => {
    const user = byId.get(id);
    return { value: id, label: user ? `${user.name} (${user.email})` : (labelOf.get(id) ?? id) };
  });
  actors.sort((a, b) => a.label.localeCompare(b.label));
  if (system) actors.push({ value: SYSTEM_ACTOR, label: "System (seed, command line)" });
  return { actors, entityTypes, actions };
}

// ---------------------------------------------------------------- who and what

async function userNames(ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const users = await db().user.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } });
  return new Map(users.map((u) => [u.id, u.name]));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const entityKey = (type: string, id: string) => `${type}:${id}`;

interface ResolvedEntity {
  label: string;
  link: AuditEntityLink | null;
}

/** The records a page names that still exist, with their current label and page, in one query per kind. */
async function resolveEntities(
  incidentId: string,
  rows: readonly { entityType: string; entityId: string }[],
): Promise<Map<string, ResolvedEntity>> {
  const idsOf = (type: string) => [
    ...new Set(rows.filter((r) => r.entityType === type && UUID.test(r.entityId)).map((r) => r.entityId)),
  ];
  const events = idsOf("event");
  const findings = idsOf("finding");
  const indicators = idsOf("indicator");
  const organizations = idsOf("organization");
  const sightings = idsOf("sighting");
  const incidents = idsOf("incident");
  const users = idsOf("user");
  const none = Promise.resolve([]);
  const [e, f, i, o, s, inc, u] = await Promise.all([
    events.length
      ? db().timelineEvent.findMany({
          where: { incidentId, id: { in: events } },
          select: { id: true, title: true },
        })
      : none,
    findings.length
      ? db().finding.findMany({
          where: { incidentId, id: { in: findings } },
          select: { id: true, title: true },
        })
      : none,
    indicators.length
      ? db().indicator.findMany({
          where: { incidentId, id: { in: indicators } },
          select: { id: true, type: true, value: true },
        })
      : none,
    organizations.length
      ? db().affectedOrganization.findMany({
          where: { incidentId, id: { in: organizations } },
          select: { id: true, name: true },
        })
      : none,
    sightings.length
      ? db().sighting.findMany({
          where: { incidentId, id: { in: sightings } },
          select: {
            id: true,
            indicator: { select: { value: true } },
            organization: { select: { name: true } },
          },
        })
      : none,
    incidents.length
      ? db().incident.findMany({ where: { id: { in: incidents } }, select: { id: true, name: true } })
      : none,
    users.length
      ? db().user.findMany({ where: { id: { in: users } }, select: { id: true, name: true, email: true } })
      : none,
  ]);
  const map = new Map<string, ResolvedEntity>();
  for (const row of e)
    map.set(entityKey("event", row.id), { label: row.title, link: { page: "timeline", q: row.title } });
  for (const row of f)
    map.set(entityKey("finding", row.id), { label: row.title, link: { page: "findings", q: row.title } });
  for (const row of i) {
    map.set(entityKey("indicator", row.id), {
      label: `${typeWord(row.type)} ${row.value}`,
      link: { page: "indicators", q: row.value },
    });
  }
  for (const row of o) {
    map.set(entityKey("organization", row.id), {
      label: row.name,
      link: { page: "organizations", q: row.name },
    });
  }
  for (const row of s) {
    map.set(entityKey("sighting", row.id), {
      label: `${row.indicator.value} seen by ${row.organization.name}`,
      link: { page: "indicators", q: row.indicator.value },
    });
  }
  for (const row of inc) map.set(entityKey("incident", row.id), { label: row.name, link: null });
  for (const row of u)
    map.set(entityKey("user", row.id), { label: `${row.name} (${row.email})`, link: null });
  return map;
}

const textOf = (value: unknown) => (typeof value === "string" && value.trim() !== "" ? value : null);

/** A label for a record that no longer exists (or has no page), from what the entry kept of it. */
function snapshotLabel(entityType: string, before: unknown, after: unknown): string | null {
  for (const side of [after, before]) {
    if (typeof side !== "object" || side === null || Array.isArray(side)) continue;
    const record = side as Record<string, unknown>;
    const label = textOf(record.title) ?? textOf(record.name) ?? textOf(record.value) ?? textOf(record.email);
    if (label) return label;
    if (entityType === "import" && typeof record.format === "string") return `${record.format} import`;
  }
  return null;
}
