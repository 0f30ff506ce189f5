// Reading indicators: keyset-paged lists with filters and sorts, one indicator, and its sightings.
import type { Actor } from "../../auth/actor.ts";
import { can } from "../../auth/permissions.ts";
import { db } from "../../db/client.ts";
import { AppError, notFound } from "../../errors.ts";
import { INDICATOR_TYPES, type IndicatorTypeWord } from "../../indicators/index.ts";
import type { IndicatorListQuery, IndicatorSort } from "../../validation/indicators.ts";
import { techniqueName } from "../attack/techniques.ts";
import { timelineEventScope } from "../timeline/scope.ts";
import type { Tx } from "../tx.ts";
import { tlpLabel, type TlpKey } from "../vocabulary.ts";
import type { IndicatorDto, IndicatorPage, SightingDto } from "./dto.ts";
import { indicatorIncidentWhere, indicatorScope, sightingScope } from "./scope.ts";

export type IndicatorTypeKey = (typeof INDICATOR_TYPE_KEYS)[number];

/** Database enum keys in declaration order (which is also Postgres's sort order for the enum). */
export const INDICATOR_TYPE_KEYS = [
  "ipv4",
  "ipv6",
  "cidr",
  "domain",
  "url",
  "email",
  "md5",
  "sha1",
  "sha256",
  "sha512",
  "jarm",
  "ja3",
  "user_agent",
  "cert_thumbprint",
  "jwt_kid",
  "uri_path",
  "filename",
  "asn",
  "other",
] as const;

export const typeKey = (word: IndicatorTypeWord): IndicatorTypeKey =>
  word.replace(/-/g, "_") as IndicatorTypeKey;
export const typeWord = (key: IndicatorTypeKey): IndicatorTypeWord =>
  key.replace(/_/g, "-") as IndicatorTypeWord;

// Every type word has its enum key: a word added to lib/indicators without a migration fails here, at load.
for (const word of INDICATOR_TYPES) {
  if (!(INDICATOR_TYPE_KEYS as readonly string[]).includes(typeKey(word))) {
    throw new Error(`Indicator type ${word} has no database enum value`);
  }
}

/** The incident an indicator route names, if the actor may address it (404 otherwise). */
export async function findIndicatorIncident(
  actor: Actor,
  ref: string,
): Promise<{ id: string; slug: string }> {
  const incident = await db().incident.findFirst({
    where: indicatorIncidentWhere(actor, ref),
    select: { id: true, slug: true },
  });
  if (!incident) throw notFound(`Incident "${ref}"`);
  return incident;
}

function include(actor: Actor, incidentId: string) {
  const internal = can(actor, "incident:read");
  return {
    organizations: {
      // An agency user sees only its own organization among the links (the scope already refuses
      // indicators linked to others; this keeps the rule in the mapping too).
      where: internal ? {} : { organizationId: actor.organizationId ?? "" },
      include: { organization: { select: { id: true, name: true } } },
    },
    events: {
      where: { event: timelineEventScope(actor, incidentId) },
      include: { event: { select: { id: true, title: true, occurredAt: true } } },
    },
    techniques: { orderBy: { techniqueId: "asc" as const } },
    _count: { select: { sightings: { where: sightingScope(actor, incidentId) } } },
  };
}

type IndicatorRow = NonNullable<Awaited<ReturnType<typeof fetchOne>>>;

function fetchOne(client: Tx | ReturnType<typeof db>, actor: Actor, incidentId: string, id: string) {
  return client.indicator.findFirst({
    where: { ...indicatorScope(actor, incidentId), id },
    include: include(actor, incidentId),
  });
}

/** The one mapping from a stored indicator to what readers (and mutation answers) get. */
export function toIndicatorDto(row: IndicatorRow, actor: Actor): IndicatorDto {
  const internal = can(actor, "incident:read");
  return {
    id: row.id,
    type: typeWord(row.type),
    value: row.value,
    normalizedValue: row.normalizedValue,
    firstSeenAt: row.firstSeenAt?.toISOString() ?? null,
    lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
    confidence: row.confidence,
    tlp: tlpLabel(row.tlp),
    description: row.description,
    source: row.source,
    ...(internal ? { internalNote: row.internalNote } : {}),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    organizations: row.organizations.map((link) => ({
      id: link.organization.id,
      name: link.organization.name,
    })),
    events: row.events
      .map((link) => link.event)
      .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.id.localeCompare(b.id))
      .map((event) => ({ id: event.id, title: event.title })),
    techniques: row.techniques.map((t) => ({ id: t.techniqueId, name: techniqueName(t.techniqueId) })),
    sightingsCount: row._count.sightings,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Indicator ids are UUIDs; anything else cannot name one. */
export function isIndicatorId(value: string): boolean {
  return UUID.test(value);
}

/** One indicator the actor may see; another organization's or a missing one answers 404 alike. */
export async function getIndicator(
  actor: Actor,
  incidentId: string,
  indicatorId: string,
): Promise<IndicatorDto> {
  const row = UUID.test(indicatorId)
    ? await fetchOne(db(), actor, incidentId, indicatorId.toLowerCase())
    : null;
  if (!row) throw notFound("The indicator");
  return toIndicatorDto(row, actor);
}

/** Reads inside a mutation's transaction, for the answer of a write. */
export async function readIndicatorDto(
  tx: Tx,
  actor: Actor,
  incidentId: string,
  id: string,
): Promise<IndicatorDto | null> {
  // Anything but a UUID cannot name an indicator, and must not reach the uuid column (a 500).
  if (!isIndicatorId(id)) return null;
  const row = await fetchOne(tx, actor, incidentId, id);
  return row ? toIndicatorDto(row, actor) : null;
}

// ---------------------------------------------------------------- the list

/** Cursor: the sort value of the last row (string, ISO date or null) and its id. */
type CursorValue = string | null;

function encodeCursor(sort: IndicatorSort, value: CursorValue, id: string): string {
  return Buffer.from(JSON.stringify([sort, value, id])).toString("base64url");
}

function decodeCursor(sort: IndicatorSort, cursor: string): { value: CursorValue; id: string } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (
      Array.isArray(parsed) &&
      parsed.length === 3 &&
      parsed[0] === sort &&
      (parsed[1] === null || typeof parsed[1] === "string") &&
      typeof parsed[2] === "string" &&
      UUID.test(parsed[2])
    ) {
      const value = parsed[1] as CursorValue;
      if (
        value !== null &&
        (sort === "first_seen" || sort === "last_seen" || sort === "updated") &&
        Number.isNaN(Date.parse(value))
      ) {
        throw new Error("bad date");
      }
      if (sort === "type" && value !== null && !value.includes("\n")) throw new Error("bad type key");
      return { value, id: parsed[2] };
    }
  } catch {
    // fall through
  }
  throw new AppError(
    "invalid_cursor",
    "cursor is not valid: pass the nextCursor of a previous page unchanged, with the same sort.",
    400,
    [{ field: "cursor", message: "not a cursor this API issued for this sort" }],
  );
}

function filterWhere(query: Pick<IndicatorListQuery, "type" | "tlp" | "q">): object[] {
  const and: object[] = [];
  if (query.type) and.push({ type: typeKey(query.type) });
  if (query.tlp) and.push({ tlp: query.tlp satisfies TlpKey });
  if (query.q) {
    and.push({
      OR: [
        { value: { contains: query.q, mode: "insensitive" } },
        { normalizedValue: { contains: query.q.toLowerCase() } },
        { description: { contains: query.q, mode: "insensitive" } },
        { source: { contains: query.q, mode: "insensitive" } },
      ],
    });
  }
  return and;
}

type DateColumn = "firstSeenAt" | "lastSeenAt" | "updatedAt";
const DATE_COLUMN: Record<"first_seen" | "last_seen" | "updated", DateColumn> = {
  first_seen: "firstSeenAt",
  last_seen: "lastSeenAt",
  updated: "updatedAt",
};

/** orderBy for a sort; every sort ends on id so the order is total and the keyset exact. */
function orderBy(sort: IndicatorSort): object[] {
  switch (sort) {
    case "type":
      return [{ type: "asc" }, { normalizedValue: "asc" }, { id: "asc" }];
    case "value":
      return [{ normalizedValue: "asc" }, { id: "asc" }];
    case "updated":
      return [{ updatedAt: "desc" }, { id: "asc" }];
    default:
      // Newest first; indicators without the date come last.
      return [{ [DATE_COLUMN[sort]]: { sort: "desc", nulls: "last" } }, { id: "asc" }];
  }
}

/** The rows after the cursor's row in the sort's order. */
function afterCursor(sort: IndicatorSort, cursor: { value: CursorValue; id: string }): object {
  const { value, id } = cursor;
  switch (sort) {
    case "type": {
      const [key, normalized] = (value ?? "").split("\n") as [IndicatorTypeKey, string];
      const later = INDICATOR_TYPE_KEYS.slice(INDICATOR_TYPE_KEYS.indexOf(key) + 1);
      return {
        OR: [
          { type: { in: later } },
          { type: key, normalizedValue: { gt: normalized } },
          { type: key, normalizedValue: normalized, id: { gt: id } },
        ],
      };
    }
    case "value":
      return {
        OR: [{ normalizedValue: { gt: value ?? "" } }, { normalizedValue: value ?? "", id: { gt: id } }],
      };
    default: {
      const column = DATE_COLUMN[sort];
      if (value === null) return { [column]: null, id: { gt: id } };
      const at = new Date(value);
      return {
        OR: [
          { [column]: { lt: at } },
          { [column]: at, id: { gt: id } },
          // updatedAt is never null; the seen dates sort their nulls last.
          ...(sort === "updated" ? [] : [{ [column]: null }]),
        ],
      };
    }
  }
}

function cursorValue(sort: IndicatorSort, row: IndicatorRow): CursorValue {
  switch (sort) {
    case "type":
      return `${row.type}\n${row.normalizedValue}`;
    case "value":
      return row.normalizedValue;
    default:
      return row[DATE_COLUMN[sort]]?.toISOString() ?? null;
  }
}

/** One page of the incident's indicators the actor may see, with the total matching the filters. */
export async function listIndicators(
  actor: Actor,
  incidentId: string,
  query: IndicatorListQuery,
): Promise<IndicatorPage> {
  const scope = indicatorScope(actor, incidentId);
  const filters = filterWhere(query);
  const cursor = query.cursor ? decodeCursor(query.sort, query.cursor) : null;
  const where = { AND: [scope, ...filters, ...(cursor ? [afterCursor(query.sort, cursor)] : [])] };
  // Counting every match costs a scan of them; a client paging on already has the first page's count.
  const [rows, total] = await Promise.all([
    db().indicator.findMany({
      where,
      include: include(actor, incidentId),
      orderBy: orderBy(query.sort),
      take: query.limit + 1,
    }),
    cursor ? Promise.resolve(null) : db().indicator.count({ where: { AND: [scope, ...filters] } }),
  ]);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => toIndicatorDto(row, actor)),
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor(query.sort, cursorValue(query.sort, last), last.id)
        : null,
    total,
  };
}

// ---------------------------------------------------------------- sightings

export async function listSightings(
  actor: Actor,
  incidentId: string,
  indicatorId: string,
): Promise<SightingDto[]> {
  // The indicator must be one the actor may see; its sightings are then scoped to the actor's own.
  await getIndicator(actor, incidentId, indicatorId);
  const rows = await db().sighting.findMany({
    where: { ...sightingScope(actor, incidentId), indicatorId: indicatorId.toLowerCase() },
    include: { organization: { select: { id: true, name: true } }, reportedBy: { select: { name: true } } },
    orderBy: [{ seenAt: "desc" }, { id: "asc" }],
  });
  return rows.map(toSightingDto);
}

export function toSightingDto(row: {
  id: string;
  indicatorId: string;
  seenAt: Date;
  location: string | null;
  note: string | null;
  organization: { id: string; name: string };
  reportedBy: { name: string } | null;
  createdAt: Date;
}): SightingDto {
  return {
    id: row.id,
    indicatorId: row.indicatorId,
    seenAt: row.seenAt.toISOString(),
    location: row.location,
    note: row.note,
    organization: row.organization,
    reportedBy: row.reportedBy?.name ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
