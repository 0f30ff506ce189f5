// Writing the timeline: creating, changing and deleting events, each in one transaction with its one
// audit entry and its change notice, under optimistic concurrency (the event's `version`).
import { actorLabel, type Actor } from "../../auth/actor.ts";
import { assertCan } from "../../auth/permissions.ts";
import { conflict, notFound } from "../../errors.ts";
import type { CreateEvent, EventAlternativeInput, UpdateEvent } from "../../validation/timeline.ts";
import { recordAudit } from "../audit/record.ts";
import { notifyChange } from "../changes.ts";
import { assertLinksInIncident, definedOnly, nestedCreate } from "../links.ts";
import { runMutation, type IdempotencyRequest, type MutationResult } from "../mutation.ts";
import type { Tx } from "../tx.ts";
import type { MilestonePinKey } from "../vocabulary.ts";
import { isEventId, readTimelineEventDto, type TimelineEventDetailDto } from "./queries.ts";

export interface TimelineMutationOptions {
  /** From the route when the client sent an Idempotency-Key. */
  idempotency?: IdempotencyRequest;
  requestId: string | null;
}

export interface DeleteTimelineEventOptions extends TimelineMutationOptions {
  /** When given, a stale version is refused with 409; without it the event is deleted as it stands. */
  version?: number;
}

export type TimelineEventResult = MutationResult & { replayed: boolean };

/** What an event pinned elsewhere looked like before and after its pin moved to this event. */
interface DisplacedPin {
  id: string;
  title: string;
  milestone: MilestonePinKey;
  version: number;
}

const eventNotFound = () => notFound("The event");

// Serializes pinning within an incident, so two events pinned at once cannot both keep the pin.
const milestoneLockKey = (incidentId: string) => `dwell:event-milestone:${incidentId}`;

/** Creates an event (201 with the stored event). `input` is CreateEventSchema's output. */
export function createTimelineEvent(
  actor: Actor,
  incidentId: string,
  input: CreateEvent,
  options: TimelineMutationOptions,
): Promise<TimelineEventResult> {
  return runMutation(
    (tx) => createTimelineEventInTransaction(tx, actor, incidentId, input, options.requestId),
    options.idempotency,
  );
}

/** Applies a change carrying the version the sender read (200 with the stored event; 409 when stale). */
export function updateTimelineEvent(
  actor: Actor,
  incidentId: string,
  eventId: string,
  input: UpdateEvent,
  options: TimelineMutationOptions,
): Promise<TimelineEventResult> {
  return runMutation(
    (tx) => updateTimelineEventInTransaction(tx, actor, incidentId, eventId, input, options.requestId),
    options.idempotency,
  );
}

/** Deletes an event with its links and alternatives (200 with `{ id, deleted: true }`). */
export function deleteTimelineEvent(
  actor: Actor,
  incidentId: string,
  eventId: string,
  options: DeleteTimelineEventOptions,
): Promise<TimelineEventResult> {
  return runMutation(
    (tx) =>
      deleteTimelineEventInTransaction(tx, actor, incidentId, eventId, options.version, options.requestId),
    options.idempotency,
  );
}

/**
 * The create inside the caller's transaction, for callers that compose it with other writes; it
 * writes its audit entry and change notice there, so they commit or roll back with the caller.
 */
export async function createTimelineEventInTransaction(
  tx: Tx,
  actor: Actor,
  incidentId: string,
  input: CreateEvent,
  requestId: string | null,
): Promise<MutationResult & { body: TimelineEventDetailDto }> {
  assertCan(actor, "timeline:write");
  const incident = await tx.incident.findUnique({ where: { id: incidentId }, select: { id: true } });
  if (!incident) throw notFound("The incident");
  await assertLinksInIncident(tx, incidentId, input);
  // The pin moves before the insert so the incident never has two events pinned as one milestone.
  const displaced = input.milestone ? await unpinMilestone(tx, actor, incidentId, input.milestone, null) : [];

  const created = await tx.timelineEvent.create({
    data: {
      incidentId,
      occurredAt: input.occurredAt,
      occurredUntil: input.occurredUntil,
      precision: input.precision,
      sourceTimeZone: input.sourceTimeZone,
      lane: input.lane,
      phase: input.phase,
      title: input.title,
      description: input.description,
      source: input.source,
      verification: input.verification,
      additionalSources: input.additionalSources,
      tlp: input.tlp,
      milestone: input.milestone,
      internalNote: input.internalNote,
      createdById: actor.userId,
      updatedById: actor.userId,
      alternatives: nestedCreate(input.alternatives.map(alternativeData)),
      organizations: nestedCreate(input.organizationIds.map((organizationId) => ({ organizationId }))),
      indicators: nestedCreate(input.indicatorIds.map((indicatorId) => ({ indicatorId }))),
      techniques: nestedCreate(input.techniqueIds.map((techniqueId) => ({ techniqueId }))),
    },
    select: { id: true },
  });
  const event = await readEventOrThrow(tx, actor, incidentId, created.id);

  await recordAudit(tx, {
    incidentId,
    actorId: actor.userId,
    actorLabel: actorLabel(actor),
    action: "event.create",
    entityType: "event",
    entityId: event.id,
    before: displaced.length > 0 ? { otherEvents: displaced.map(pinBefore) } : null,
    after: displaced.length > 0 ? { ...event, otherEvents: displaced.map(pinAfter) } : event,
    requestId,
  });
  await notifyChange(tx, {
    incidentId,
    entity: "event",
    id: event.id,
    action: "created",
    version: event.version,
  });
  await notifyDisplaced(tx, incidentId, displaced);
  return { status: 201, body: event };
}

/** The update inside the caller's transaction (see createTimelineEventInTransaction). */
export async function updateTimelineEventInTransaction(
  tx: Tx,
  actor: Actor,
  incidentId: string,
  eventId: string,
  input: UpdateEvent,
  requestId: string | null,
): Promise<MutationResult & { body: TimelineEventDetailDto }> {
  assertCan(actor, "timeline:write");
  const id = eventId.toLowerCase();
  const before = await readTimelineEventDto(tx, actor, incidentId, id);
  if (!before) throw eventNotFound();
  if (before.version !== input.version) throw await staleVersionError(tx, incidentId, id, input.version);
  await assertLinksInIncident(tx, incidentId, input);
  // Taken before the event's row lock (the updateMany below), in the same order as a create, so two
  // pinning transactions cannot each hold what the other waits for.
  const displaced = input.milestone ? await unpinMilestone(tx, actor, incidentId, input.milestone, id) : [];

  const dating =
    input.occurredAt !== undefined && input.precision !== undefined
      ? {
          occurredAt: input.occurredAt,
          occurredUntil: input.occurredUntil ?? null,
          precision: input.precision,
        }
      : {};
  const updated = await tx.timelineEvent.updateMany({
    where: { id, incidentId, version: input.version },
    data: {
      ...dating,
      ...definedOnly({
        sourceTimeZone: input.sourceTimeZone,
        lane: input.lane,
        phase: input.phase,
        title: input.title,
        description: input.description,
        source: input.source,
        verification: input.verification,
        additionalSources: input.additionalSources,
        tlp: input.tlp,
        milestone: input.milestone,
        internalNote: input.internalNote,
      }),
      updatedById: actor.userId,
      version: { increment: 1 },
    },
  });
  // Someone saved (or deleted) the event between the read above and this write.
  if (updated.count === 0) throw await staleVersionError(tx, incidentId, id, input.version);

  // Lists that were sent replace the stored ones; lists left out stay as they are.
  if (input.alternatives) {
    await tx.eventAlternative.deleteMany({ where: { eventId: id } });
    await tx.eventAlternative.createMany({
      data: input.alternatives.map((a) => ({ ...alternativeData(a), eventId: id })),
    });
  }
  if (input.organizationIds) {
    await tx.eventOrganization.deleteMany({ where: { eventId: id } });
    await tx.eventOrganization.createMany({
      data: input.organizationIds.map((organizationId) => ({ eventId: id, organizationId })),
    });
  }
  if (input.indicatorIds) {
    await tx.eventIndicator.deleteMany({ where: { eventId: id } });
    await tx.eventIndicator.createMany({
      data: input.indicatorIds.map((indicatorId) => ({ eventId: id, indicatorId })),
    });
  }
  if (input.techniqueIds) {
    await tx.eventTechnique.deleteMany({ where: { eventId: id } });
    await tx.eventTechnique.createMany({
      data: input.techniqueIds.map((techniqueId) => ({ eventId: id, techniqueId })),
    });
  }

  const after = await readEventOrThrow(tx, actor, incidentId, id);
  const changes = changedFields(before, after);
  await recordAudit(tx, {
    incidentId,
    actorId: actor.userId,
    actorLabel: actorLabel(actor),
    action: "event.update",
    entityType: "event",
    entityId: id,
    before:
      displaced.length > 0 ? { ...changes.before, otherEvents: displaced.map(pinBefore) } : changes.before,
    after: displaced.length > 0 ? { ...changes.after, otherEvents: displaced.map(pinAfter) } : changes.after,
    requestId,
  });
  await notifyChange(tx, { incidentId, entity: "event", id, action: "updated", version: after.version });
  await notifyDisplaced(tx, incidentId, displaced);
  return { status: 200, body: after };
}

/** The delete inside the caller's transaction (see createTimelineEventInTransaction). */
export async function deleteTimelineEventInTransaction(
  tx: Tx,
  actor: Actor,
  incidentId: string,
  eventId: string,
  version: number | undefined,
  requestId: string | null,
): Promise<MutationResult & { body: { id: string; deleted: true } }> {
  assertCan(actor, "timeline:write");
  if (!isEventId(eventId)) throw eventNotFound();
  const id = eventId.toLowerCase();
  // Lock the row first so the audit entry's `before` is exactly what is deleted, even without a version.
  const locked = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text FROM timeline_event WHERE id = ${id}::uuid AND incident_id = ${incidentId}::uuid FOR UPDATE`;
  if (locked.length === 0) throw eventNotFound();
  const before = await readEventOrThrow(tx, actor, incidentId, id);
  if (version !== undefined && before.version !== version)
    throw await staleVersionError(tx, incidentId, id, version);

  // Alternatives and links to organizations, indicators, techniques and findings go with it (ON DELETE CASCADE).
  await tx.timelineEvent.delete({ where: { id } });

  await recordAudit(tx, {
    incidentId,
    actorId: actor.userId,
    actorLabel: actorLabel(actor),
    action: "event.delete",
    entityType: "event",
    entityId: id,
    before,
    after: null,
    requestId,
  });
  await notifyChange(tx, { incidentId, entity: "event", id, action: "deleted", version: before.version });
  return { status: 200, body: { id, deleted: true } };
}

// ---------------------------------------------------------------- helpers

async function readEventOrThrow(
  tx: Tx,
  actor: Actor,
  incidentId: string,
  id: string,
): Promise<TimelineEventDetailDto> {
  const event = await readTimelineEventDto(tx, actor, incidentId, id);
  if (!event) throw eventNotFound();
  return event;
}

function alternativeData(alternative: EventAlternativeInput) {
  return {
    occurredAt: alternative.occurredAt,
    occurredUntil: alternative.occurredUntil,
    precision: alternative.precision,
    sourceTimeZone: alternative.sourceTimeZone,
    source: alternative.source,
    verification: alternative.verification,
    note: alternative.note,
  };
}

/** Clears `milestone` from every other event of the incident, bumping their versions. */
async function unpinMilestone(
  tx: Tx,
  actor: Actor,
  incidentId: string,
  milestone: MilestonePinKey,
  keepEventId: string | null,
): Promise<DisplacedPin[]> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${milestoneLockKey(incidentId)}, 0))`;
  const pinned = await tx.timelineEvent.findMany({
    where: { incidentId, milestone, ...(keepEventId ? { id: { not: keepEventId } } : {}) },
    select: { id: true, title: true, version: true },
    orderBy: { id: "asc" },
  });
  if (pinned.length === 0) return [];
  await tx.timelineEvent.updateMany({
    where: { id: { in: pinned.map((event) => event.id) } },
    data: { milestone: null, updatedById: actor.userId, version: { increment: 1 } },
  });
  return pinned.map((event) => ({ ...event, milestone }));
}

const pinBefore = (pin: DisplacedPin) => ({
  id: pin.id,
  title: pin.title,
  milestone: pin.milestone,
  version: pin.version,
});
const pinAfter = (pin: DisplacedPin) => ({
  id: pin.id,
  title: pin.title,
  milestone: null,
  version: pin.version + 1,
});

async function notifyDisplaced(
  tx: Tx,
  incidentId: string,
  displaced: readonly DisplacedPin[],
): Promise<void> {
  for (const pin of displaced) {
    await notifyChange(tx, {
      incidentId,
      entity: "event",
      id: pin.id,
      action: "updated",
      version: pin.version + 1,
    });
  }
}

/** Only the fields that differ, before and after (version and updatedAt always do). */
function changedFields(
  before: TimelineEventDetailDto,
  after: TimelineEventDetailDto,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const result = { before: {} as Record<string, unknown>, after: {} as Record<string, unknown> };
  const keys = new Set([...Object.keys(before), ...Object.keys(after)] as (keyof TimelineEventDetailDto)[]);
  for (const key of keys) {
    if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    result.before[key] = before[key] ?? null;
    result.after[key] = after[key] ?? null;
  }
  return result;
}

/** 409 naming who saved the version the sender did not see, or 404 when the event is gone. */
async function staleVersionError(tx: Tx, incidentId: string, id: string, sentVersion: number) {
  const current = await tx.timelineEvent.findFirst({
    where: { id, incidentId },
    select: { version: true, updatedAt: true, updatedBy: { select: { name: true } } },
  });
  if (!current) return eventNotFound();
  const by = current.updatedBy ? ` by ${current.updatedBy.name}` : "";
  return conflict(
    `This event was changed${by} at ${current.updatedAt.toISOString()} (version ${current.version}); reload it and apply your change again.`,
    [{ field: "version", value: String(sentVersion), message: `the event is at version ${current.version}` }],
  );
}
