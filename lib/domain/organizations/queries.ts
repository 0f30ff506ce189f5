// Reading affected organizations (staff): the list with filters, sorts and deadlines, one organization
// with its notification history, and the executives' notification overview.
import { db } from "../../db/client.ts";
import type { Actor } from "../../auth/actor.ts";
import { assertCan } from "../../auth/permissions.ts";
import { AppError, notFound } from "../../errors.ts";
import type { Precision } from "../../time/format.ts";
import {
  countryCodesMatching,
  countryName,
  type OrganizationListQuery,
  type OrganizationSortKey,
} from "../../validation/organizations.ts";
import type { DurationStats } from "../metrics/organization-metrics.ts";
import { getIncidentMetrics } from "../metrics/queries.ts";
import type { Page } from "../paging.ts";
import type { Tx } from "../tx.ts";
import {
  NOTIFICATION_STATES,
  organizationKindLabel,
  type NotificationStateKey,
  type OrganizationKindKey,
} from "../vocabulary.ts";
import { computeDeadline, type DeadlineStatus } from "./deadline.ts";
import {
  NOTIFICATION_STATE_ORDER,
  channelLabel,
  type NotificationChannelLabel,
} from "./notification-states.ts";
import { organizationScope } from "./scope.ts";

export interface OrganizationDeadlineDto {
  hours: number;
  dueAt: string;
  status: DeadlineStatus;
  /** Positive: time left (open clocks) or how early the notice was; negative: overdue or how late. */
  marginMs: number;
}

export interface LastMoveDto {
  id: string;
  from: NotificationStateKey | null;
  to: NotificationStateKey;
  at: string;
  atPrecision: Precision;
  /** The Dwell user who recorded it; null for imported moves (see madeBy) or a removed user. */
  by: { id: string; name: string } | null;
  /** Who made it when that was not a Dwell user ("Microsoft", "FBI"). */
  madeBy: string | null;
  channel: NotificationChannelLabel | null;
}

export interface NotificationMoveDto extends LastMoveDto {
  recordedAt: string;
  note: string | null;
  evidence: string | null;
  timelineEventId: string | null;
}

export interface OrganizationDto {
  id: string;
  incidentId: string;
  name: string;
  isNamedPublicly: boolean;
  /** The product's word: "private sector", "think tank", "not disclosed". */
  kind: string;
  sector: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string | null;
  countryName: string | null;
  accountsAffected: number | null;
  mailboxesAffected: number | null;
  firstKnownAccessAt: string | null;
  lastKnownAccessAt: string | null;
  determinedAffectedAt: string;
  notificationState: NotificationStateKey;
  notificationStateAt: string | null;
  internalNote: string | null;
  deadline: OrganizationDeadlineDto;
  lastMove: LastMoveDto | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface OrganizationDetailDto extends OrganizationDto {
  /** Every move, in the order they happened. */
  moves: NotificationMoveDto[];
}

const MOVE_SELECT = {
  id: true,
  fromState: true,
  toState: true,
  at: true,
  atPrecision: true,
  recordedAt: true,
  madeBy: true,
  channel: true,
  note: true,
  evidence: true,
  timelineEventId: true,
  recordedBy: { select: { id: true, name: true } },
} as const;

const ORGANIZATION_INCLUDE = {
  incident: { select: { notificationDeadlineHours: true } },
  moves: { select: MOVE_SELECT, orderBy: [{ at: "asc" as const }, { recordedAt: "asc" as const }] },
};

type OrganizationRow = NonNullable<Awaited<ReturnType<typeof findOrganizationRow>>>;
type MoveRow = OrganizationRow["moves"][number];

function findOrganizationRow(client: Pick<Tx, "affectedOrganization">, where: object) {
  return client.affectedOrganization.findFirst({ where, include: ORGANIZATION_INCLUDE });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Organization ids are UUIDs; anything else cannot name one (and must not reach a uuid column). */
export function isOrganizationId(value: string): boolean {
  return UUID.test(value);
}

/** The move that produced the current state: the last one recorded. */
function lastRecorded(moves: readonly MoveRow[]): MoveRow | undefined {
  let last: MoveRow | undefined;
  for (const move of moves) {
    if (
      !last ||
      move.recordedAt > last.recordedAt ||
      (move.recordedAt.getTime() === last.recordedAt.getTime() && move.at >= last.at)
    ) {
      last = move;
    }
  }
  return last;
}

function toLastMoveDto(move: MoveRow): LastMoveDto {
  return {
    id: move.id,
    from: move.fromState,
    to: move.toState,
    at: move.at.toISOString(),
    atPrecision: move.atPrecision,
    by: move.recordedBy,
    madeBy: move.madeBy,
    channel: move.channel ? channelLabel(move.channel) : null,
  };
}

function toMoveDto(move: MoveRow): NotificationMoveDto {
  return {
    ...toLastMoveDto(move),
    recordedAt: move.recordedAt.toISOString(),
    note: move.note,
    evidence: move.evidence,
    timelineEventId: move.timelineEventId,
  };
}

/** The one mapping from a stored organization to what staff readers (and mutation answers) get. */
function toOrganizationDto(row: OrganizationRow, now: Date): OrganizationDto {
  // The clock stops at the first notice; a retry after a failed delivery does not restart it
  // (the same rule as the metrics, README Decision 18).
  const firstNotified = row.moves.find((move) => move.toState === "notified");
  const hours = row.incident.notificationDeadlineHours;
  const deadline = computeDeadline({
    determinedAffectedAt: row.determinedAffectedAt,
    deadlineHours: hours,
    state: row.notificationState,
    notifiedAt: firstNotified?.at ?? null,
    now,
  });
  const last = lastRecorded(row.moves);
  return {
    id: row.id,
    incidentId: row.incidentId,
    name: row.name,
    isNamedPublicly: row.isNamedPublicly,
    kind: organizationKindLabel(row.kind as OrganizationKindKey),
    sector: row.sector,
    country: row.country,
    countryName: row.country ? countryName(row.country) : null,
    accountsAffected: row.accountsAffected,
    mailboxesAffected: row.mailboxesAffected,
    firstKnownAccessAt: row.firstKnownAccessAt?.toISOString() ?? null,
    lastKnownAccessAt: row.lastKnownAccessAt?.toISOString() ?? null,
    determinedAffectedAt: row.determinedAffectedAt.toISOString(),
    notificationState: row.notificationState,
    notificationStateAt: row.notificationStateAt?.toISOString() ?? null,
    internalNote: row.internalNote,
    deadline: {
      hours,
      dueAt: deadline.dueAt.toISOString(),
      status: deadline.status,
      marginMs: deadline.marginMs,
    },
    lastMove: last ? toLastMoveDto(last) : null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * One organization as staff see it, read through `client` so a command can answer with the state
 * inside its own transaction; null when missing or in another incident.
 */
export async function readOrganizationDetail(
  client: Pick<Tx, "affectedOrganization">,
  incidentId: string,
  organizationId: string,
  now = new Date(),
): Promise<OrganizationDetailDto | null> {
  if (!isOrganizationId(organizationId)) return null;
  const row = await findOrganizationRow(client, { id: organizationId.toLowerCase(), incidentId });
  return row ? { ...toOrganizationDto(row, now), moves: row.moves.map(toMoveDto) } : null;
}

/** One organization with its moves; 404 when unknown or of another incident. Staff only. */
export async function getOrganization(
  actor: Actor,
  incidentId: string,
  organizationId: string,
  now = new Date(),
): Promise<OrganizationDetailDto> {
  assertCan(actor, "incident:read");
  if (!isOrganizationId(organizationId)) throw notFound("The organization");
  const row = await findOrganizationRow(db(), {
    AND: [organizationScope(actor, incidentId), { id: organizationId.toLowerCase() }],
  });
  if (!row) throw notFound("The organization");
  return { ...toOrganizationDto(row, now), moves: row.moves.map(toMoveDto) };
}

// ---------------------------------------------------------------- the list
//
// Paging: the incident's organizations that pass the database filters (state, kind, q) are loaded in
// one query, with their moves, and the deadline (which depends on "now"), the sort and the page are
// computed here. The cursor is a keyset on (sort key, name, id), so a page never repeats or skips a row
// that keeps its key. That holds for any sort, including the computed ones, and an incident's victims
// number in the tens to the low thousands (Storm-0558: 25; MOVEit: about 2,700), which one query
// carries easily. An incident with far more would need the deadline kept as a column and paging in SQL.

type SortValue = string | number | null;

interface SortKey {
  primary: SortValue;
  name: string;
  id: string;
}

const collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });

function compareValues(a: SortValue, b: SortValue): number {
  if (typeof a === "string" && typeof b === "string") return collator.compare(a, b);
  if (typeof a === "number" && typeof b === "number") return a - b;
  return 0;
}

/** Total order: the sort key in its direction (empty keys last either way), then name, then id. */
function compareKeys(a: SortKey, b: SortKey, descending: boolean): number {
  if (a.primary === null || b.primary === null) {
    if (a.primary !== b.primary) return a.primary === null ? 1 : -1;
  } else {
    const primary = compareValues(a.primary, b.primary);
    if (primary !== 0) return descending ? -primary : primary;
  }
  const byName = collator.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  if (byName !== 0) return byName;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function sortKeyOf(org: OrganizationDto, sort: OrganizationSortKey): SortKey {
  const primary: SortValue =
    sort === "name"
      ? org.name
      : sort === "state"
        ? NOTIFICATION_STATE_ORDER.indexOf(org.notificationState)
        : sort === "deadline"
          ? Date.parse(org.deadline.dueAt)
          : org.lastMove
            ? Date.parse(org.lastMove.at)
            : null;
  return { primary, name: org.name, id: org.id };
}

const sortLabel = (sort: OrganizationListQuery["sort"]) => `${sort.descending ? "-" : ""}${sort.key}`;

function encodeCursor(sort: OrganizationListQuery["sort"], key: SortKey): string {
  return Buffer.from(JSON.stringify([sortLabel(sort), key.primary, key.name, key.id])).toString("base64url");
}

function decodeCursor(cursor: string, sort: OrganizationListQuery["sort"]): SortKey {
  const invalid = (message: string) =>
    new AppError("invalid_cursor", `cursor is not valid: ${message}.`, 400, [{ field: "cursor", message }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid("pass the nextCursor of a previous page unchanged");
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 4 ||
    typeof parsed[0] !== "string" ||
    !(parsed[1] === null || typeof parsed[1] === "string" || typeof parsed[1] === "number") ||
    typeof parsed[2] !== "string" ||
    typeof parsed[3] !== "string"
  ) {
    throw invalid("pass the nextCursor of a previous page unchanged");
  }
  if (parsed[0] !== sortLabel(sort)) {
    throw invalid(
      `it belongs to a list sorted by ${parsed[0]}, not ${sortLabel(sort)}; start again without it`,
    );
  }
  return { primary: parsed[1] as SortValue, name: parsed[2], id: parsed[3] };
}

/** GET …/organizations: staff only. Filters `state`, `kind`, `deadline`, `q`; `sort`; keyset paging. */
export async function listOrganizations(
  actor: Actor,
  incidentId: string,
  query: OrganizationListQuery,
  now = new Date(),
): Promise<Page<OrganizationDto>> {
  assertCan(actor, "incident:read");
  const and: object[] = [organizationScope(actor, incidentId)];
  if (query.state) and.push({ notificationState: { in: query.state } });
  if (query.kind) and.push({ kind: { in: query.kind } });
  if (query.q) {
    const countries = countryCodesMatching(query.q);
    and.push({
      OR: [
        { name: { contains: query.q, mode: "insensitive" } },
        { sector: { contains: query.q, mode: "insensitive" } },
        ...(countries.length > 0 ? [{ country: { in: countries } }] : []),
      ],
    });
  }
  const after = query.cursor ? decodeCursor(query.cursor, query.sort) : null;
  const rows = await db().affectedOrganization.findMany({
    where: { AND: and },
    include: ORGANIZATION_INCLUDE,
  });

  const statuses = query.deadline ? new Set(query.deadline) : null;
  const keyed = rows
    .map((row) => toOrganizationDto(row, now))
    .filter((org) => !statuses || statuses.has(org.deadline.status))
    .map((org) => ({ org, key: sortKeyOf(org, query.sort.key) }))
    .sort((a, b) => compareKeys(a.key, b.key, query.sort.descending));
  const start = after ? keyed.findIndex((row) => compareKeys(row.key, after, query.sort.descending) > 0) : 0;
  const page = start < 0 ? [] : keyed.slice(start, start + query.limit);
  const hasMore = start >= 0 && start + query.limit < keyed.length;
  const last = page.at(-1);
  return {
    items: page.map((row) => row.org),
    nextCursor: hasMore && last ? encodeCursor(query.sort, last.key) : null,
  };
}

// ---------------------------------------------------------------- executives' overview

export interface DeadlineEntryDto {
  id: string;
  name: string;
  dueAt: string;
  marginMs: number;
}

export interface TimeToNotifyDto {
  id: string;
  name: string;
  notificationState: NotificationStateKey;
  /** The first `notified` move; null while not notified. */
  notifiedAt: string | null;
  /** From when it was determined to be affected to its first notice. */
  fromDeterminationMs: number | null;
  /** From the incident's detection to its first notice. */
  fromDetectionMs: number | null;
  deadlineStatus: DeadlineStatus;
}

export interface NotificationOverviewDto {
  incidentId: string;
  /** Deadline statuses are as of this moment. */
  computedAt: string;
  deadlineHours: number;
  total: number;
  /** Every one of the 7 states, zeros included. */
  byState: Record<NotificationStateKey, number>;
  byDeadlineStatus: Record<DeadlineStatus, number>;
  /** Most overdue first. */
  overdue: DeadlineEntryDto[];
  /** Least time left first. */
  atRisk: DeadlineEntryDto[];
  timeToNotify: TimeToNotifyDto[];
  timeToNotifyStats: { fromDetermination: DurationStats; fromDetection: DurationStats };
}

/**
 * The read-only notification picture for the executive dashboard, built from the metrics (one
 * computation of deadlines and times to notify for the whole product).
 */
export async function getNotificationOverview(
  actor: Actor,
  incidentId: string,
  now = new Date(),
): Promise<NotificationOverviewDto> {
  assertCan(actor, "dashboard:read");
  const metrics = await getIncidentMetrics(actor, incidentId, now);
  const organizations = metrics.organizations;
  const entries = (status: DeadlineStatus) =>
    organizations
      .filter((org) => org.deadline.status === status)
      .sort((a, b) => a.deadline.marginMs - b.deadline.marginMs || collator.compare(a.name, b.name))
      .map((org) => ({
        id: org.id,
        name: org.name,
        dueAt: org.deadline.dueAt,
        marginMs: org.deadline.marginMs,
      }));
  const byState = Object.fromEntries(
    NOTIFICATION_STATES.map((state) => [state, metrics.organizationSummary.byNotificationState[state] ?? 0]),
  ) as Record<NotificationStateKey, number>;
  const timeToNotify = organizations
    .map((org) => ({
      id: org.id,
      name: org.name,
      notificationState: org.notificationState,
      notifiedAt: org.notified?.at ?? null,
      fromDeterminationMs: org.durations.timeToNotifyFromDetermination.ms,
      fromDetectionMs: org.durations.timeToNotifyFromDetection.ms,
      deadlineStatus: org.deadline.status,
    }))
    .sort((a, b) => collator.compare(a.name, b.name));
  return {
    incidentId: metrics.incident.id,
    computedAt: metrics.computedAt,
    deadlineHours: metrics.incident.notificationDeadlineHours,
    total: metrics.organizationSummary.total,
    byState,
    byDeadlineStatus: metrics.organizationSummary.byDeadlineStatus,
    overdue: entries("overdue"),
    atRisk: entries("at risk"),
    timeToNotify,
    timeToNotifyStats: {
      fromDetermination: metrics.organizationSummary.durations.timeToNotifyFromDetermination,
      fromDetection: metrics.organizationSummary.durations.timeToNotifyFromDetection,
    },
  };
}
