// Writing findings: adding one and changing one with the version read. Each write is one transaction
// with its audit entry (the finding before and after, without the rendered HTML) and a change notice.
import { actorLabel, type Actor } from "../../auth/actor.ts";
import { assertCan } from "../../auth/permissions.ts";
import { conflict, notFound } from "../../errors.ts";
import type { CreateFinding, Evidence, UpdateFinding } from "../../validation/findings.ts";
import { recordAudit } from "../audit/record.ts";
import { notifyChange } from "../changes.ts";
import { assertLinksInIncident, definedOnly, nestedCreate } from "../links.ts";
import { runMutation, type IdempotencyRequest, type MutationResult } from "../mutation.ts";
import type { Tx } from "../tx.ts";
import type { FindingDto } from "./dto.ts";
import { readFindingDto } from "./queries.ts";

export interface FindingMutationOptions {
  idempotency?: IdempotencyRequest;
  requestId: string | null;
}

export type FindingResult = MutationResult & { replayed: boolean };

const findingNotFound = () => notFound("The finding");

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the audit entry keeps: the finding as written (the HTML is derived from the body). */
function auditSnapshot(finding: FindingDto): Omit<FindingDto, "bodyHtml"> {
  const { bodyHtml: _html, ...rest } = finding;
  return rest;
}

const unique = (ids: readonly string[]) => [...new Set(ids)];
const evidenceRows = (evidence: readonly Evidence[]) =>
  evidence.map((e) => ({ description: e.description, location: e.location, sha256: e.sha256 }));

/** Writes a finding (201 with it). */
export function createFinding(
  actor: Actor,
  incidentId: string,
  input: CreateFinding,
  options: FindingMutationOptions,
): Promise<FindingResult> {
  return runMutation(async (tx) => {
    assertCan(actor, "finding:write");
    const incident = await tx.incident.findUnique({ where: { id: incidentId }, select: { id: true } });
    if (!incident) throw notFound("The incident");
    await assertLinksInIncident(tx, incidentId, input);
    const created = await tx.finding.create({
      data: {
        incidentId,
        title: input.title,
        body: input.body,
        severity: input.severity,
        status: input.status,
        confidence: input.confidence,
        createdById: actor.userId,
        updatedById: actor.userId,
        events: nestedCreate(unique(input.eventIds).map((eventId) => ({ eventId }))),
        indicators: nestedCreate(unique(input.indicatorIds).map((indicatorId) => ({ indicatorId }))),
        organizations: nestedCreate(
          unique(input.organizationIds).map((organizationId) => ({ organizationId })),
        ),
        techniques: nestedCreate(unique(input.techniqueIds).map((techniqueId) => ({ techniqueId }))),
        evidence: nestedCreate(evidenceRows(input.evidence)),
      },
      select: { id: true },
    });
    const finding = await readFindingDto(tx, actor, incidentId, created.id);
    if (!finding) throw findingNotFound();
    await recordAudit(tx, {
      incidentId,
      actorId: actor.userId,
      actorLabel: actorLabel(actor),
      action: "finding.create",
      entityType: "finding",
      entityId: finding.id,
      after: auditSnapshot(finding),
      requestId: options.requestId,
    });
    await notifyChange(tx, {
      incidentId,
      entity: "finding",
      id: finding.id,
      action: "created",
      version: finding.version,
    });
    return { status: 201, body: finding };
  }, options.idempotency);
}

/** The newest audit entry of a finding names who saved the version a stale writer did not see. */
async function staleVersionError(tx: Tx, incidentId: string, id: string, sentVersion: number) {
  const current = await tx.finding.findFirst({
    where: { id, incidentId },
    select: { version: true, updatedAt: true },
  });
  if (!current) return findingNotFound();
  const last = await tx.auditEntry.findFirst({
    where: { entityType: "finding", entityId: id },
    orderBy: { id: "desc" },
    select: { actorLabel: true },
  });
  const by = last ? ` by ${last.actorLabel.replace(/ \([a-z]+\)$/, "")}` : "";
  return conflict(
    `This finding was changed${by} at ${current.updatedAt.toISOString()} (version ${current.version}); reload it and apply your change again.`,
    [
      {
        field: "version",
        value: String(sentVersion),
        message: `the finding is at version ${current.version}`,
      },
    ],
  );
}

/** Applies a change carrying the version the sender read (200; 409 when stale). */
export function updateFinding(
  actor: Actor,
  incidentId: string,
  findingId: string,
  input: UpdateFinding,
  options: FindingMutationOptions,
): Promise<FindingResult> {
  return runMutation(async (tx) => {
    assertCan(actor, "finding:write");
    const id = findingId.toLowerCase();
    const before = UUID.test(id) ? await readFindingDto(tx, actor, incidentId, id) : null;
    if (!before) throw findingNotFound();
    if (before.version !== input.version) throw await staleVersionError(tx, incidentId, id, input.version);
    await assertLinksInIncident(tx, incidentId, input);

    const updated = await tx.finding.updateMany({
      where: { id, incidentId, version: input.version },
      data: {
        ...definedOnly({
          title: input.title,
          body: input.body,
          severity: input.severity,
          status: input.status,
          confidence: input.confidence,
        }),
        updatedById: actor.userId,
        version: { increment: 1 },
      },
    });
    if (updated.count === 0) throw await staleVersionError(tx, incidentId, id, input.version);

    // Lists that were sent replace the stored ones; lists left out stay as they are.
    if (input.eventIds) {
      await tx.findingEvent.deleteMany({ where: { findingId: id } });
      await tx.findingEvent.createMany({
        data: unique(input.eventIds).map((eventId) => ({ findingId: id, eventId })),
      });
    }
    if (input.indicatorIds) {
      await tx.findingIndicator.deleteMany({ where: { findingId: id } });
      await tx.findingIndicator.createMany({
        data: unique(input.indicatorIds).map((indicatorId) => ({ findingId: id, indicatorId })),
      });
    }
    if (input.organizationIds) {
      await tx.findingOrganization.deleteMany({ where: { findingId: id } });
      await tx.findingOrganization.createMany({
        data: unique(input.organizationIds).map((organizationId) => ({ findingId: id, organizationId })),
      });
    }
    if (input.techniqueIds) {
      await tx.findingTechnique.deleteMany({ where: { findingId: id } });
      await tx.findingTechnique.createMany({
        data: unique(input.techniqueIds).map((techniqueId) => ({ findingId: id, techniqueId })),
      });
    }
    if (input.evidence) {
      await tx.findingEvidence.deleteMany({ where: { findingId: id } });
      await tx.findingEvidence.createMany({
        data: evidenceRows(input.evidence).map((row) => ({ ...row, findingId: id })),
      });
    }

    const after = await readFindingDto(tx, actor, incidentId, id);
    if (!after) throw findingNotFound();
    await recordAudit(tx, {
      incidentId,
      actorId: actor.userId,
      actorLabel: actorLabel(actor),
      action: "finding.update",
      entityType: "finding",
      entityId: id,
      before: auditSnapshot(before),
      after: auditSnapshot(after),
      requestId: options.requestId,
    });
    await notifyChange(tx, { incidentId, entity: "finding", id, action: "updated", version: after.version });
    return { status: 200, body: after };
  }, options.idempotency);
}
