// Writing affected organizations: create, change, notification moves (one and in bulk) and the
// incident's deadline regime. Each runs in one transaction with its one audit entry and its change
// notices, under optimistic concurrency (the record's `version`).
import { actorLabel, type Actor } from "../../auth/actor.ts";
import { assertCan } from "../../auth/permissions.ts";
import {
  AppError,
  conflict,
  invalidInput,
  mapDatabaseError,
  notFound,
  type ErrorDetail,
} from "../../errors.ts";
import { log } from "../../log.ts";
import {
  MOVE_TEXT_MAX_LENGTH,
  type BulkMoveItem,
  type CreateOrganization,
  type NotificationMove,
  type NotificationRegime,
  type UpdateOrganization,
} from "../../validation/organizations.ts";
import { recordAudit } from "../audit/record.ts";
import { notifyChange } from "../changes.ts";
import { runMutation, type IdempotencyRequest, type MutationResult } from "../mutation.ts";
import type { Tx } from "../tx.ts";
import type { NotificationStateKey } from "../vocabulary.ts";
import {
  AGENCY_MOVES,
  allowedMoves,
  canMove,
  channelLabel,
  describeIllegalMove,
  listWords,
  moveTimeProblem,
  type MoveTimePrecision,
  type NotificationChannelKey,
} from "./notification-states.ts";
import {
  isOrganizationId,
  readOrganizationDetail,
  type NotificationMoveDto,
  type OrganizationDetailDto,
  type OrganizationDto,
} from "./queries.ts";

export interface OrganizationMutationOptions {
  /** From the route when the client sent an Idempotency-Key. */
  idempotency?: IdempotencyRequest;
  requestId: string | null;
  /** The clock moves and deadlines are judged against; tests pass their own. */
  now?: Date;
}

export type OrganizationMutationResult = MutationResult & { replayed: boolean };

/** What POST …/organizations/{id}/notification answers. */
export interface NotificationMoveResponse {
  organization: OrganizationDto;
  move: NotificationMoveDto;
}

export interface BulkMoveResult {
  organizationId: string | null;
  status: number;
  organization?: OrganizationDto;
  error?: { code: string; message: string; details?: ErrorDetail[] };
}

/** What the timeline shows as the source of the event each move writes. */
export const NOTIFICATION_EVENT_SOURCE = "Dwell notification record";

const organizationNotFound = () => notFound("The organization");

// Serializes name checks within an incident so that "Acme" and "ACME" created at once cannot both pass.
const nameLockKey = (incidentId: string) => `dwell:organization-name:${incidentId}`;

// ---------------------------------------------------------------- create and change

/** Creates an organization (201 with it); a name already used in the incident, in any case, gets 409. */
export function createOrganization(
  actor: Actor,
  incidentId: string,
  input: CreateOrganization,
  options: OrganizationMutationOptions,
): Promise<OrganizationMutationResult> {
  assertCan(actor, "organization:write");
  return runMutation(async (tx) => {
    const incident = await tx.incident.findUnique({ where: { id: incidentId }, select: { id: true } });
    if (!incident) throw notFound("The incident");
    await assertNameFree(tx, incidentId, input.name, null);
    const created = await tx.affectedOrganization.create({
      data: {
        incidentId,
        name: input.name,
        kind: input.kind,
        sector: input.sector,
        country: input.country,
        accountsAffected: input.accountsAffected,
        mailboxesAffected: input.mailboxesAffected,
        firstKnownAccessAt: input.firstKnownAccessAt,
        lastKnownAccessAt: input.lastKnownAccessAt,
        determinedAffectedAt: input.determinedAffectedAt,
        isNamedPublicly: input.isNamedPublicly,
        internalNote: input.internalNote,
      },
      select: { id: true },
    });
    const organization = await readOrThrow(tx, incidentId, created.id, options.now);
    await recordAudit(tx, {
      incidentId,
      actorId: actor.userId,
      actorLabel: actorLabel(actor),
      action: "organization.create",
      entityType: "organization",
      entityId: organization.id,
      before: null,
      after: auditView(organization),
      requestId: options.requestId,
    });
    await notifyChange(tx, {
      incidentId,
      entity: "organization",
      id: organization.id,
      action: "created",
      version: organization.version,
    });
    return { status: 201, body: withoutMoves(organization) };
  }, options.idempotency);
}

/**
 * Applies a change carrying the version the sender read (200 with the organization; 409 when stale).
 * With `deriveAccessFromTimeline`, first and last known access come from the earliest and latest
 * adversary-lane events linked to the organization.
 */
export function updateOrganization(
  actor: Actor,
  incidentId: string,
  organizationId: string,
  input: UpdateOrganization,
  options: OrganizationMutationOptions,
): Promise<OrganizationMutationResult> {
  assertCan(actor, "organization:write");
  return runMutation(async (tx) => {
    if (!isOrganizationId(organizationId)) throw organizationNotFound();
    const id = organizationId.toLowerCase();
    const before = await readOrThrow(tx, incidentId, id, options.now);
    if (before.version !== input.version)
      throw await staleOrganizationError(tx, actor, incidentId, id, input.version);
    if (input.name !== undefined && input.name !== before.name)
      await assertNameFree(tx, incidentId, input.name, id);

    const access = input.deriveAccessFromTimeline
      ? await accessFromTimeline(tx, incidentId, id, before.name)
      : { firstKnownAccessAt: input.firstKnownAccessAt, lastKnownAccessAt: input.lastKnownAccessAt };
    // A date sent alone is checked against the stored other one.
    const first =
      access.firstKnownAccessAt === undefined
        ? dateOrNull(before.firstKnownAccessAt)
        : access.firstKnownAccessAt;
    const last =
      access.lastKnownAccessAt === undefined
        ? dateOrNull(before.lastKnownAccessAt)
        : access.lastKnownAccessAt;
    if (first && last && last < first) {
      const field = access.lastKnownAccessAt === undefined ? "firstKnownAccessAt" : "lastKnownAccessAt";
      throw invalidInput([
        {
          field,
          message: `${field} would put last known access (${last.toISOString()}) before first known access (${first.toISOString()})`,
        },
      ]);
    }

    const updated = await tx.affectedOrganization.updateMany({
      where: { id, incidentId, version: input.version },
      data: {
        ...definedOnly({
          name: input.name,
          kind: input.kind,
          sector: input.sector,
          country: input.country,
          accountsAffected: input.accountsAffected,
          mailboxesAffected: input.mailboxesAffected,
          firstKnownAccessAt: access.firstKnownAccessAt,
          lastKnownAccessAt: access.lastKnownAccessAt,
          determinedAffectedAt: input.determinedAffectedAt,
          isNamedPublicly: input.isNamedPublicly,
          internalNote: input.internalNote,
        }),
        version: { increment: 1 },
      },
    });
    // Someone saved the organization (or moved its notification) between the read and this write.
    if (updated.count === 0) throw await staleOrganizationError(tx, actor, incidentId, id, input.version);

    const after = await readOrThrow(tx, incidentId, id, options.now);
    const changes = changedFields(auditView(before), auditView(after));
    await recordAudit(tx, {
      incidentId,
      actorId: actor.userId,
      actorLabel: actorLabel(actor),
      action: "organization.update",
      entityType: "organization",
      entityId: id,
      before: changes.before,
      after: input.deriveAccessFromTimeline
        ? { ...changes.after, derivedAccessFromTimeline: true }
        : changes.after,
      requestId: options.requestId,
    });
    await notifyChange(tx, {
      incidentId,
      entity: "organization",
      id,
      action: "updated",
      version: after.version,
    });
    return { status: 200, body: withoutMoves(after) };
  }, options.idempotency);
}

// ---------------------------------------------------------------- notification moves

/** A move as the domain takes it: the schema's output, or the portal's with channel `portal`. */
export interface MoveCommand {
  to: NotificationStateKey;
  at: Date;
  atPrecision: MoveTimePrecision;
  channel: NotificationChannelKey | null;
  note: string | null;
  evidence: string | null;
  /** The organization's version the sender read. */
  version: number;
}

export interface MoveContext {
  requestId: string | null;
  now: Date;
  /**
   * `agency`: an agency user acting for its own organization (notification:acknowledge; only
   * acknowledged / remediated). `staff`: a responder or admin (notification:move; any legal move).
   */
  as: "staff" | "agency";
}

export interface RecordedMove {
  organization: {
    id: string;
    incidentId: string;
    name: string;
    notificationState: NotificationStateKey;
    notificationStateAt: Date | null;
    version: number;
  };
  move: {
    id: string;
    fromState: NotificationStateKey | null;
    toState: NotificationStateKey;
    at: Date;
    atPrecision: MoveTimePrecision;
    channel: NotificationChannelKey | null;
    note: string | null;
    timelineEventId: string | null;
  };
}

/** Records one move (200 with the organization and the move). */
export function recordNotificationMove(
  actor: Actor,
  incidentId: string,
  organizationId: string,
  input: NotificationMove,
  options: OrganizationMutationOptions,
): Promise<OrganizationMutationResult> {
  assertCan(actor, "notification:move");
  return runMutation(async (tx) => {
    const now = options.now ?? new Date();
    const recorded = await recordNotificationMoveInTransaction(tx, actor, incidentId, organizationId, input, {
      requestId: options.requestId,
      now,
      as: "staff",
    });
    const organization = await readOrThrow(tx, incidentId, recorded.organization.id, now);
    const move = organization.moves.find((m) => m.id === recorded.move.id);
    const body: NotificationMoveResponse = {
      organization: withoutMoves(organization),
      move: move as NotificationMoveDto,
    };
    return { status: 200, body };
  }, options.idempotency);
}

/**
 * Records several moves, each in its own transaction: some may fail while others succeed. Answers
 * 200 with one result per entry, in order (`status` 200 with the organization, or the error). With an
 * Idempotency-Key the request is claimed as a whole (another body under the same key gets 422), and
 * each entry is stored under the key and its index, so a repeat replays what was done and finishes
 * what was not.
 */
export async function recordNotificationMoves(
  actor: Actor,
  incidentId: string,
  items: readonly BulkMoveItem[],
  options: OrganizationMutationOptions,
): Promise<OrganizationMutationResult> {
  assertCan(actor, "notification:move");
  let replayed = false;
  if (options.idempotency) {
    const claim = await runMutation(
      async () => ({ status: 200, body: { bulkNotification: items.length } }),
      options.idempotency,
    );
    replayed = claim.replayed;
  }
  const results: BulkMoveResult[] = [];
  for (const item of items) {
    if (item.details) {
      const error = invalidInput(item.details);
      results.push({ organizationId: item.organizationId, status: error.status, error: errorBody(error) });
      continue;
    }
    try {
      const result = await recordNotificationMove(actor, incidentId, item.organizationId, item.move, {
        requestId: options.requestId,
        now: options.now,
        idempotency: options.idempotency && {
          ...options.idempotency,
          key: `${options.idempotency.key}#${item.index}`,
        },
      });
      const body = result.body as NotificationMoveResponse;
      results.push({
        organizationId: item.organizationId,
        status: result.status,
        organization: body.organization,
      });
    } catch (error) {
      const mapped = mapDatabaseError(error);
      if (!mapped) {
        log("error", "unhandled error in a bulk notification entry", {
          requestId: options.requestId,
          index: item.index,
          error:
            error instanceof Error
              ? { name: error.name, message: error.message, stack: error.stack }
              : String(error),
        });
      }
      const appError =
        mapped ??
        new AppError(
          "internal",
          "Something went wrong on our side. Quote the request id if you report it.",
          500,
        );
      results.push({
        organizationId: item.organizationId,
        status: appError.status,
        error: errorBody(appError),
      });
    }
  }
  return { status: 200, body: { results }, replayed };
}

/**
 * One move inside the caller's transaction, for the staff route, the bulk route and the agency portal.
 * It checks the version, the state machine and the move's time; moves the organization; writes the
 * move, its timeline event (response lane, notification phase, TLP AMBER, linked to this organization
 * only, so its agency user sees it and nobody else outside the staff does), one audit entry
 * `notification.move`, and the change notices.
 */
export async function recordNotificationMoveInTransaction(
  tx: Tx,
  actor: Actor,
  incidentId: string,
  organizationId: string,
  command: MoveCommand,
  context: MoveContext,
): Promise<RecordedMove> {
  if (context.as === "agency") {
    assertCan(actor, "notification:acknowledge");
    // The portal passes the session's organization; anything else answers like a missing record.
    if (!actor.organizationId || actor.organizationId !== organizationId) throw organizationNotFound();
  } else {
    assertCan(actor, "notification:move");
  }
  if (!isOrganizationId(organizationId)) throw organizationNotFound();
  const id = organizationId.toLowerCase();
  const organization = await tx.affectedOrganization.findFirst({
    where: { id, incidentId },
    select: {
      id: true,
      incidentId: true,
      name: true,
      notificationState: true,
      notificationStateAt: true,
      version: true,
    },
  });
  if (!organization) throw organizationNotFound();
  if (organization.version !== command.version) {
    throw await staleOrganizationError(tx, actor, incidentId, id, command.version);
  }

  const from = organization.notificationState;
  if (context.as === "agency" && !AGENCY_MOVES.includes(command.to)) {
    throw invalidInput([{ field: "to", message: `to must be ${listWords(AGENCY_MOVES)}` }]);
  }
  const recordable = context.as === "agency" ? AGENCY_MOVES : undefined;
  if (!canMove(from, command.to)) {
    const allowed = allowedMoves(from).filter((state) => !recordable || recordable.includes(state));
    throw new AppError(
      "illegal_move",
      describeIllegalMove(organization.name, from, command.to, recordable),
      422,
      [
        {
          field: "to",
          value: command.to,
          message:
            allowed.length > 0
              ? `from ${from} the allowed moves are ${listWords(allowed)}`
              : `from ${from} there is no move ${recordable ? "you can record" : "at all"}`,
        },
      ],
    );
  }
  // Guards for callers that skip the schema (actions, scripts): the note and evidence limits hold here too.
  for (const [field, value] of [
    ["note", command.note],
    ["evidence", command.evidence],
  ] as const) {
    if (value !== null && value.length > MOVE_TEXT_MAX_LENGTH) {
      throw invalidInput([{ field, message: `${field} must be at most ${MOVE_TEXT_MAX_LENGTH} characters` }]);
    }
  }

  const firstEvent = await tx.timelineEvent.findFirst({
    where: { incidentId },
    orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
    select: { occurredAt: true },
  });
  // The previous move is the one that produced the current state: the last recorded.
  const previousMove = await tx.notificationMove.findFirst({
    where: { organizationId: id },
    orderBy: [{ recordedAt: "desc" }, { at: "desc" }],
    select: { at: true },
  });
  const timeProblem = moveTimeProblem({
    at: command.at,
    precision: command.atPrecision,
    now: context.now,
    incidentStart: firstEvent?.occurredAt ?? null,
    previousMoveAt: previousMove?.at ?? null,
  });
  if (timeProblem)
    throw invalidInput([{ field: "at", value: command.at.toISOString(), message: timeProblem }]);

  const moved = await tx.affectedOrganization.updateMany({
    where: { id, incidentId, version: command.version },
    data: { notificationState: command.to, notificationStateAt: command.at, version: { increment: 1 } },
  });
  // Exactly one of two concurrent moves at the same version gets here; the other waited on the row
  // lock and now finds the version gone.
  if (moved.count === 0) throw await staleOrganizationError(tx, actor, incidentId, id, command.version);

  const eventId = await createMoveEvent(tx, actor, incidentId, organization, command);
  const move = await tx.notificationMove.create({
    data: {
      incidentId,
      organizationId: id,
      fromState: from,
      toState: command.to,
      at: command.at,
      atPrecision: command.atPrecision,
      recordedById: actor.userId,
      channel: command.channel,
      note: command.note,
      evidence: command.evidence,
      timelineEventId: eventId,
    },
    select: { id: true, recordedAt: true },
  });
  const version = organization.version + 1;
  await recordAudit(tx, {
    incidentId,
    actorId: actor.userId,
    actorLabel: actorLabel(actor),
    action: "notification.move",
    entityType: "organization",
    entityId: id,
    before: {
      notificationState: from,
      notificationStateAt: organization.notificationStateAt,
      version: organization.version,
    },
    after: {
      notificationState: command.to,
      notificationStateAt: command.at,
      version,
      move: {
        id: move.id,
        fromState: from,
        toState: command.to,
        at: command.at,
        atPrecision: command.atPrecision,
        channel: command.channel,
        note: command.note,
        evidence: command.evidence,
        timelineEventId: eventId,
      },
    },
    requestId: context.requestId,
  });
  await notifyChange(tx, { incidentId, entity: "organization", id, action: "updated", version });
  await notifyChange(tx, { incidentId, entity: "event", id: eventId, action: "created", version: 1 });
  return {
    organization: {
      id,
      incidentId,
      name: organization.name,
      notificationState: command.to,
      notificationStateAt: command.at,
      version,
    },
    move: {
      id: move.id,
      fromState: from,
      toState: command.to,
      at: command.at,
      atPrecision: command.atPrecision,
      channel: command.channel,
      note: command.note,
      timelineEventId: eventId,
    },
  };
}

/**
 * The move's timeline event. Written here rather than through createTimelineEventInTransaction, which
 * requires `timeline:write` (agency users recording their acknowledgement do not have it) and writes
 * its own `event.create` audit entry (a move has exactly one, `notification.move`, which names the
 * event). The event's fields are fixed, so none of that command's checks (links in the incident,
 * milestone pins) apply.
 */
async function createMoveEvent(
  tx: Tx,
  actor: Actor,
  incidentId: string,
  organization: { id: string; name: string },
  command: MoveCommand,
): Promise<string> {
  const channel = command.channel ? ` (${channelLabel(command.channel)})` : "";
  const event = await tx.timelineEvent.create({
    data: {
      incidentId,
      occurredAt: command.at,
      precision: command.atPrecision,
      lane: "response",
      phase: "notification",
      title: `${organization.name}: ${command.to}${channel}`,
      description: command.note,
      source: NOTIFICATION_EVENT_SOURCE,
      verification: "primary",
      tlp: "AMBER",
      createdById: actor.userId,
      updatedById: actor.userId,
      organizations: { create: [{ organizationId: organization.id }] },
    },
    select: { id: true },
  });
  return event.id;
}

// ---------------------------------------------------------------- the deadline regime

export interface NotificationRegimeResponse {
  incident: { id: string; slug: string; notificationDeadlineHours: number; version: number };
}

/** Sets the hours an organization may wait for its notice (1–8,760), carrying the incident's version. */
export function updateNotificationRegime(
  actor: Actor,
  incidentId: string,
  input: NotificationRegime,
  options: OrganizationMutationOptions,
): Promise<OrganizationMutationResult> {
  assertCan(actor, "organization:write");
  return runMutation(async (tx) => {
    const before = await tx.incident.findUnique({
      where: { id: incidentId },
      select: { id: true, slug: true, notificationDeadlineHours: true, version: true },
    });
    if (!before) throw notFound("The incident");
    const updated = await tx.incident.updateMany({
      where: { id: incidentId, version: input.version },
      data: { notificationDeadlineHours: input.hours, version: { increment: 1 } },
    });
    if (updated.count === 0) throw await staleIncidentError(tx, incidentId, input.version);
    const after = { ...before, notificationDeadlineHours: input.hours, version: before.version + 1 };
    await recordAudit(tx, {
      incidentId,
      actorId: actor.userId,
      actorLabel: actorLabel(actor),
      action: "incident.regime",
      entityType: "incident",
      entityId: incidentId,
      before: { notificationDeadlineHours: before.notificationDeadlineHours, version: before.version },
      after: { notificationDeadlineHours: after.notificationDeadlineHours, version: after.version },
      requestId: options.requestId,
    });
    await notifyChange(tx, {
      incidentId,
      entity: "incident",
      id: incidentId,
      action: "updated",
      version: after.version,
    });
    const body: NotificationRegimeResponse = { incident: after };
    return { status: 200, body };
  }, options.idempotency);
}

// ---------------------------------------------------------------- helpers

async function readOrThrow(
  tx: Tx,
  incidentId: string,
  id: string,
  now?: Date,
): Promise<OrganizationDetailDto> {
  const organization = await readOrganizationDetail(tx, incidentId, id, now ?? new Date());
  if (!organization) throw organizationNotFound();
  return organization;
}

function withoutMoves(organization: OrganizationDetailDto): OrganizationDto {
  const { moves: _moves, ...rest } = organization;
  return rest;
}

/** The stored fields, without what is computed from the clock or other rows (deadline, last move). */
function auditView(organization: OrganizationDto) {
  const { deadline: _deadline, lastMove: _lastMove, countryName: _countryName, ...stored } = organization;
  return stored;
}

const dateOrNull = (iso: string | null) => (iso ? new Date(iso) : null);

async function assertNameFree(
  tx: Tx,
  incidentId: string,
  name: string,
  exceptId: string | null,
): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${nameLockKey(incidentId)}, 0))`;
  const existing = await tx.affectedOrganization.findFirst({
    where: {
      incidentId,
      name: { equals: name, mode: "insensitive" },
      ...(exceptId ? { id: { not: exceptId } } : {}),
    },
    select: { name: true },
  });
  if (existing) {
    throw conflict(`An organization named ${existing.name} already exists in this incident.`, [
      {
        field: "name",
        value: name,
        message: `${existing.name} is already an affected organization of this incident`,
      },
    ]);
  }
}

async function accessFromTimeline(
  tx: Tx,
  incidentId: string,
  organizationId: string,
  name: string,
): Promise<{ firstKnownAccessAt: Date; lastKnownAccessAt: Date }> {
  const span = await tx.timelineEvent.aggregate({
    where: { incidentId, lane: "adversary", organizations: { some: { organizationId } } },
    _min: { occurredAt: true },
    _max: { occurredAt: true, occurredUntil: true },
  });
  const first = span._min.occurredAt;
  const lastStart = span._max.occurredAt;
  if (!first || !lastStart) {
    throw invalidInput([
      {
        field: "deriveAccessFromTimeline",
        message: `deriveAccessFromTimeline found no adversary-lane events linked to ${name}: link them, or send firstKnownAccessAt and lastKnownAccessAt`,
      },
    ]);
  }
  // A range's end is the latest moment it covers.
  const lastEnd = span._max.occurredUntil;
  return {
    firstKnownAccessAt: first,
    lastKnownAccessAt: lastEnd && lastEnd > lastStart ? lastEnd : lastStart,
  };
}

function definedOnly<T extends Record<string, unknown>>(
  values: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const result = { before: {} as Record<string, unknown>, after: {} as Record<string, unknown> };
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    result.before[key] = before[key] ?? null;
    result.after[key] = after[key] ?? null;
  }
  return result;
}

function errorBody(error: AppError): BulkMoveResult["error"] {
  return {
    code: error.code,
    message: error.userMessage,
    ...(error.details ? { details: error.details } : {}),
  };
}

/** Who wrote the latest audit entry of a record, and when: organizations carry no `updatedBy`. */
async function lastChange(
  tx: Tx,
  entityType: string,
  entityId: string,
): Promise<{ by: string; at: Date } | null> {
  const entry = await tx.auditEntry.findFirst({
    where: { entityType, entityId },
    orderBy: { id: "desc" },
    select: { at: true, actorId: true, actorLabel: true },
  });
  if (!entry) return null;
  const user = entry.actorId
    ? await tx.user.findUnique({ where: { id: entry.actorId }, select: { name: true } })
    : null;
  return { by: user?.name ?? entry.actorLabel, at: entry.at };
}

/** 409 naming who saved the version the sender did not see, or 404 when the organization is gone. */
async function staleOrganizationError(
  tx: Tx,
  actor: Actor,
  incidentId: string,
  id: string,
  sentVersion: number,
) {
  const current = await tx.affectedOrganization.findFirst({
    where: { id, incidentId },
    select: { name: true, version: true, updatedAt: true },
  });
  if (!current) return organizationNotFound();
  const change = await lastChange(tx, "organization", id);
  // An agency user is told that its organization changed, not which responder changed it.
  const by = change ? (actor.role === "agency" ? " by the response team" : ` by ${change.by}`) : "";
  const at = (change?.at ?? current.updatedAt).toISOString();
  return conflict(
    `${current.name} was changed${by} at ${at} (version ${current.version}); reload it and apply your change again.`,
    [
      {
        field: "version",
        value: String(sentVersion),
        message: `the organization is at version ${current.version}`,
      },
    ],
  );
}

async function staleIncidentError(tx: Tx, incidentId: string, sentVersion: number) {
  const current = await tx.incident.findUnique({
    where: { id: incidentId },
    select: { version: true, updatedAt: true },
  });
  if (!current) return notFound("The incident");
  const change = await lastChange(tx, "incident", incidentId);
  const by = change ? ` by ${change.by}` : "";
  const at = (change?.at ?? current.updatedAt).toISOString();
  return conflict(
    `The incident was changed${by} at ${at} (version ${current.version}); reload it and apply your change again.`,
    [
      {
        field: "version",
        value: String(sentVersion),
        message: `the incident is at version ${current.version}`,
      },
    ],
  );
}
