// Writing indicators: adding (re-adding widens first/last seen instead of duplicating), changing
// with the version read, deleting, and reporting sightings. Each write is one transaction with its
// audit entry and change notice.
import { actorLabel, type Actor } from "../../auth/actor.ts";
import { assertCan, can } from "../../auth/permissions.ts";
import { conflict, invalidInput, notFound } from "../../errors.ts";
import type { CreateIndicator, CreateSighting, UpdateIndicator } from "../../validation/indicators.ts";
import { recordAudit } from "../audit/record.ts";
import { notifyChange } from "../changes.ts";
import { assertLinksInIncident, definedOnly, nestedCreate } from "../links.ts";
import { runMutation, type IdempotencyRequest, type MutationResult } from "../mutation.ts";
import type { Tx } from "../tx.ts";
import { isIndicatorId, readIndicatorDto, toSightingDto, typeKey } from "./queries.ts";
import { indicatorScope } from "./scope.ts";

export interface IndicatorMutationOptions {
  idempotency?: IdempotencyRequest;
  requestId: string | null;
}

export type IndicatorResult = MutationResult & { replayed: boolean };

const indicatorNotFound = () => notFound("The indicator");

/** Serializes writers of one (type, normalized value) so a concurrent re-add merges instead of failing. */
const valueLockKey = (incidentId: string, type: string, normalized: string) =>
  `dwell:indicator:${incidentId}:${type}:${normalized}`;

async function lockValue(tx: Tx, incidentId: string, type: string, normalized: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${valueLockKey(incidentId, type, normalized)}, 0))`;
}

const earlier = (a: Date | null, b: Date | null) => (a && b ? (a < b ? a : b) : (a ?? b));
const later = (a: Date | null, b: Date | null) => (a && b ? (a > b ? a : b) : (a ?? b));

/**
 * Adds an indicator (201). When the incident already holds the same (type, normalized value), the
 * stored one is kept: its first/last seen widen to cover the new dates and the links sent are added
 * (200 with the stored indicator).
 */
export function createIndicator(
  actor: Actor,
  incidentId: string,
  input: CreateIndicator,
  options: IndicatorMutationOptions,
): Promise<IndicatorResult> {
  return runMutation(async (tx) => {
    assertCan(actor, "indicator:write");
    const incident = await tx.incident.findUnique({ where: { id: incidentId }, select: { id: true } });
    if (!incident) throw notFound("The incident");
    await assertLinksInIncident(tx, incidentId, input);
    const type = typeKey(input.type);
    await lockValue(tx, incidentId, type, input.normalizedValue);
    const existing = await tx.indicator.findUnique({
      where: {
        incidentId_type_normalizedValue: { incidentId, type, normalizedValue: input.normalizedValue },
      },
      select: { id: true },
    });
    if (existing) return mergeInto(tx, actor, incidentId, existing.id, input, options.requestId);

    const created = await tx.indicator.create({
      data: {
        incidentId,
        type,
        value: input.value,
        normalizedValue: input.normalizedValue,
        firstSeenAt: input.firstSeenAt,
        lastSeenAt: input.lastSeenAt,
        confidence: input.confidence,
        tlp: input.tlp,
        description: input.description,
        source: input.source,
        internalNote: input.internalNote,
        createdById: actor.userId,
        organizations: nestedCreate(input.organizationIds.map((organizationId) => ({ organizationId }))),
        events: nestedCreate(input.eventIds.map((eventId) => ({ eventId }))),
        techniques: nestedCreate(input.techniqueIds.map((techniqueId) => ({ techniqueId }))),
      },
      select: { id: true },
    });
    const indicator = await readIndicatorDto(tx, actor, incidentId, created.id);
    if (!indicator) throw indicatorNotFound();
    await recordAudit(tx, {
      incidentId,
      actorId: actor.userId,
      actorLabel: actorLabel(actor),
      action: "indicator.create",
      entityType: "indicator",
      entityId: indicator.id,
      after: indicator,
      requestId: options.requestId,
    });
    await notifyChange(tx, {
      incidentId,
      entity: "indicator",
      id: indicator.id,
      action: "created",
      version: indicator.version,
    });
    return { status: 201, body: indicator };
  }, options.idempotency);
}

async function mergeInto(
  tx: Tx,
  actor: Actor,
  incidentId: string,
  id: string,
  input: CreateIndicator,
  requestId: string | null,
): Promise<MutationResult> {
  const before = await readIndicatorDto(tx, actor, incidentId, id);
  if (!before) throw indicatorNotFound();
  const stored = await tx.indicator.findUniqueOrThrow({
    where: { id },
    select: { firstSeenAt: true, lastSeenAt: true },
  });
  const firstSeenAt = earlier(stored.firstSeenAt, input.firstSeenAt);
  const lastSeenAt = later(stored.lastSeenAt, input.lastSeenAt);
  const datesChanged =
    firstSeenAt?.getTime() !== stored.firstSeenAt?.getTime() ||
    lastSeenAt?.getTime() !== stored.lastSeenAt?.getTime();
  // One statement after the other: a transaction is one connection.
  const organizations = await tx.indicatorOrganization.createMany({
    data: input.organizationIds.map((organizationId) => ({ indicatorId: id, organizationId })),
    skipDuplicates: true,
  });
  const events = await tx.eventIndicator.createMany({
    data: input.eventIds.map((eventId) => ({ indicatorId: id, eventId })),
    skipDuplicates: true,
  });
  const techniques = await tx.indicatorTechnique.createMany({
    data: input.techniqueIds.map((techniqueId) => ({ indicatorId: id, techniqueId })),
    skipDuplicates: true,
  });
  const linkCounts = organizations.count + events.count + techniques.count;
  if (!datesChanged && linkCounts === 0) return { status: 200, body: before };

  await tx.indicator.update({ where: { id }, data: { firstSeenAt, lastSeenAt, version: { increment: 1 } } });
  const after = await readIndicatorDto(tx, actor, incidentId, id);
  if (!after) throw indicatorNotFound();
  await recordAudit(tx, {
    incidentId,
    actorId: actor.userId,
    actorLabel: actorLabel(actor),
    action: "indicator.merge",
    entityType: "indicator",
    entityId: id,
    before,
    after,
    requestId,
  });
  await notifyChange(tx, { incidentId, entity: "indicator", id, action: "updated", version: after.version });
  return { status: 200, body: after };
}

/** The newest audit entry of an indicator names who saved the version a stale writer did not see. */
async function staleVersionError(tx: Tx, incidentId: string, id: string, sentVersion: number) {
  const current = await tx.indicator.findFirst({
    where: { id, incidentId },
    select: { version: true, updatedAt: true },
  });
  if (!current) return indicatorNotFound();
  const last = await tx.auditEntry.findFirst({
    where: { entityType: "indicator", entityId: id },
    orderBy: { id: "desc" },
    select: { actorLabel: true },
  });
  const by = last ? ` by ${last.actorLabel.replace(/ \([a-z]+\)$/, "")}` : "";
  return conflict(
    `This indicator was changed${by} at ${current.updatedAt.toISOString()} (version ${current.version}); reload it and apply your change again.`,
    [
      {
        field: "version",
        value: String(sentVersion),
        message: `the indicator is at version ${current.version}`,
      },
    ],
  );
}

/** Applies a change carrying the version the sender read (200; 409 when stale or when the new value exists). */
export function updateIndicator(
  actor: Actor,
  incidentId: string,
  indicatorId: string,
  input: UpdateIndicator,
  options: IndicatorMutationOptions,
): Promise<IndicatorResult> {
  return runMutation(async (tx) => {
    assertCan(actor, "indicator:write");
    const id = indicatorId.toLowerCase();
    const before = await readIndicatorDto(tx, actor, incidentId, id);
    if (!before) throw indicatorNotFound();
    if (before.version !== input.version) throw await staleVersionError(tx, incidentId, id, input.version);
    await assertLinksInIncident(tx, incidentId, input);

    const stored = await tx.indicator.findUniqueOrThrow({
      where: { id },
      select: { firstSeenAt: true, lastSeenAt: true },
    });
    const firstSeenAt = input.firstSeenAt === undefined ? stored.firstSeenAt : input.firstSeenAt;
    const lastSeenAt = input.lastSeenAt === undefined ? stored.lastSeenAt : input.lastSeenAt;
    if (firstSeenAt && lastSeenAt && lastSeenAt < firstSeenAt) {
      throw invalidInput([{ field: "lastSeenAt", message: "lastSeenAt must not be before firstSeenAt" }]);
    }

    if (input.type && input.normalizedValue !== undefined) {
      const type = typeKey(input.type);
      await lockValue(tx, incidentId, type, input.normalizedValue);
      const clash = await tx.indicator.findUnique({
        where: {
          incidentId_type_normalizedValue: { incidentId, type, normalizedValue: input.normalizedValue },
        },
        select: { id: true },
      });
      if (clash && clash.id !== id) {
        throw conflict(
          `The incident already has the ${input.type} ${input.normalizedValue} (indicator ${clash.id}); edit that one instead.`,
          [
            {
              field: "value",
              value: input.value,
              message: "another indicator of this incident has this type and value",
            },
          ],
        );
      }
    }

    const updated = await tx.indicator.updateMany({
      where: { id, incidentId, version: input.version },
      data: {
        ...definedOnly({
          type: input.type ? typeKey(input.type) : undefined,
          value: input.value,
          normalizedValue: input.normalizedValue,
          firstSeenAt: input.firstSeenAt,
          lastSeenAt: input.lastSeenAt,
          confidence: input.confidence,
          tlp: input.tlp,
          description: input.description,
          source: input.source,
          internalNote: input.internalNote,
        }),
        version: { increment: 1 },
      },
    });
    if (updated.count === 0) throw await staleVersionError(tx, incidentId, id, input.version);

    // Lists that were sent replace the stored ones; lists left out stay as they are.
    if (input.organizationIds) {
      await tx.indicatorOrganization.deleteMany({ where: { indicatorId: id } });
      await tx.indicatorOrganization.createMany({
        data: input.organizationIds.map((organizationId) => ({ indicatorId: id, organizationId })),
      });
    }
    if (input.eventIds) {
      await tx.eventIndicator.deleteMany({ where: { indicatorId: id } });
      await tx.eventIndicator.createMany({
        data: input.eventIds.map((eventId) => ({ indicatorId: id, eventId })),
      });
    }
    if (input.techniqueIds) {
      await tx.indicatorTechnique.deleteMany({ where: { indicatorId: id } });
      await tx.indicatorTechnique.createMany({
        data: input.techniqueIds.map((techniqueId) => ({ indicatorId: id, techniqueId })),
      });
    }

    const after = await readIndicatorDto(tx, actor, incidentId, id);
    if (!after) throw indicatorNotFound();
    await recordAudit(tx, {
      incidentId,
      actorId: actor.userId,
      actorLabel: actorLabel(actor),
      action: "indicator.update",
      entityType: "indicator",
      entityId: id,
      before,
      after,
      requestId: options.requestId,
    });
    await notifyChange(tx, {
      incidentId,
      entity: "indicator",
      id,
      action: "updated",
      version: after.version,
    });
    return { status: 200, body: after };
  }, options.idempotency);
}

/** Deletes an indicator with its links and sightings (200 with `{ id, deleted: true }`). */
export function deleteIndicator(
  actor: Actor,
  incidentId: string,
  indicatorId: string,
  options: IndicatorMutationOptions & { version?: number },
): Promise<IndicatorResult> {
  return runMutation(async (tx) => {
    assertCan(actor, "indicator:write");
    const id = indicatorId.toLowerCase();
    const before = await readIndicatorDto(tx, actor, incidentId, id);
    if (!before) throw indicatorNotFound();
    const deleted = await tx.indicator.deleteMany({
      where: { id, incidentId, ...(options.version !== undefined ? { version: options.version } : {}) },
    });
    if (deleted.count === 0)
      throw await staleVersionError(tx, incidentId, id, options.version ?? before.version);
    await recordAudit(tx, {
      incidentId,
      actorId: actor.userId,
      actorLabel: actorLabel(actor),
      action: "indicator.delete",
      entityType: "indicator",
      entityId: id,
      before,
      requestId: options.requestId,
    });
    await notifyChange(tx, { incidentId, entity: "indicator", id, action: "deleted" });
    return { status: 200, body: { id, deleted: true } };
  }, options.idempotency);
}

/**
 * Records that an organization saw an indicator (201). An agency user reports for its own
 * organization only, on an indicator it may see; staff name the organization.
 */
export function reportSighting(
  actor: Actor,
  incidentId: string,
  indicatorId: string,
  input: CreateSighting,
  options: IndicatorMutationOptions,
): Promise<IndicatorResult> {
  return runMutation(async (tx) => {
    assertCan(actor, "sighting:report");
    const id = indicatorId.toLowerCase();
    if (!isIndicatorId(id)) throw indicatorNotFound();
    const indicator = await tx.indicator.findFirst({
      where: { ...indicatorScope(actor, incidentId), id },
      select: { id: true },
    });
    if (!indicator) throw indicatorNotFound();

    let organizationId: string;
    if (can(actor, "incident:read")) {
      if (!input.organizationId) {
        throw invalidInput([
          {
            field: "organizationId",
            message: "organizationId is required: name the organization that saw it",
          },
        ]);
      }
      const organization = await tx.affectedOrganization.findFirst({
        where: { id: input.organizationId, incidentId },
        select: { id: true },
      });
      if (!organization) {
        throw invalidInput([
          {
            field: "organizationId",
            value: input.organizationId,
            message: `${input.organizationId} is not an affected organization of this incident`,
          },
        ]);
      }
      organizationId = organization.id;
    } else {
      // The organization comes from the session; naming another one answers like a missing indicator.
      if (!actor.organizationId || (input.organizationId && input.organizationId !== actor.organizationId)) {
        throw indicatorNotFound();
      }
      organizationId = actor.organizationId;
    }

    const created = await tx.sighting.create({
      data: {
        incidentId,
        indicatorId: id,
        organizationId,
        seenAt: input.seenAt,
        location: input.location,
        note: input.note,
        reportedById: actor.userId,
      },
      include: { organization: { select: { id: true, name: true } }, reportedBy: { select: { name: true } } },
    });
    const sighting = toSightingDto(created);
    await recordAudit(tx, {
      incidentId,
      actorId: actor.userId,
      actorLabel: actorLabel(actor),
      action: "sighting.create",
      entityType: "sighting",
      entityId: sighting.id,
      after: sighting,
      requestId: options.requestId,
    });
    await notifyChange(tx, { incidentId, entity: "indicator", id, action: "updated" });
    return { status: 201, body: sighting };
  }, options.idempotency);
}
