// What an agency user may record in the portal: that its own organization acknowledged the notice, and
// that it remediated. The organization always comes from the session, never from the request.
import type { Actor } from "../../auth/actor.ts";
import { assertCan } from "../../auth/permissions.ts";
import { forbidden, notFound } from "../../errors.ts";
import type { Precision } from "../../time/format.ts";
import type { PortalNotification } from "../../validation/organizations.ts";
import { runMutation, type IdempotencyRequest, type MutationResult } from "../mutation.ts";
import { recordNotificationMoveInTransaction } from "../organizations/commands.ts";
import type { MoveTimePrecision } from "../organizations/notification-states.ts";
import { organizationScope } from "../organizations/scope.ts";
import type { NotificationStateKey } from "../vocabulary.ts";

export interface PortalMutationOptions {
  idempotency?: IdempotencyRequest;
  requestId: string | null;
  /** The clock the move is judged against (and its default time); tests pass their own. */
  now?: Date;
}

/** An agency move: when it happened (default now), an optional note, and the version the user read. */
export interface PortalMoveInput {
  at?: Date;
  atPrecision?: MoveTimePrecision;
  note: string | null;
  version: number;
}

/**
 * What the portal's move answers: the agency user's own organization as the portal shows it (no
 * internal note, no evidence, nothing about other organizations) and the move.
 */
export interface PortalMoveResponse {
  organization: {
    id: string;
    name: string;
    notificationState: NotificationStateKey;
    notificationStateAt: string | null;
    version: number;
  };
  move: {
    id: string;
    fromState: NotificationStateKey | null;
    toState: NotificationStateKey;
    at: string;
    atPrecision: Precision;
    channel: "portal";
    note: string | null;
    timelineEventId: string | null;
  };
}

export type PortalMutationResult = MutationResult & { replayed: boolean };

/** The organization acknowledged the notice (from notified or delivered). */
export function acknowledgeNotification(
  actor: Actor,
  input: PortalMoveInput,
  options: PortalMutationOptions,
): Promise<PortalMutationResult> {
  return recordPortalMove(actor, "acknowledged", input, options);
}

/** The organization confirms it remediated (from acknowledged). */
export function confirmRemediation(
  actor: Actor,
  input: PortalMoveInput,
  options: PortalMutationOptions,
): Promise<PortalMutationResult> {
  return recordPortalMove(actor, "remediated", input, options);
}

/** POST /portal/notification: `{ to: "acknowledged" | "remediated", at?, note?, version }`. */
export function recordPortalNotification(
  actor: Actor,
  input: PortalNotification,
  options: PortalMutationOptions,
): Promise<PortalMutationResult> {
  const move = { at: input.at, atPrecision: input.atPrecision, note: input.note, version: input.version };
  return input.to === "acknowledged"
    ? acknowledgeNotification(actor, move, options)
    : confirmRemediation(actor, move, options);
}

function recordPortalMove(
  actor: Actor,
  to: "acknowledged" | "remediated",
  input: PortalMoveInput,
  options: PortalMutationOptions,
): Promise<PortalMutationResult> {
  assertCan(actor, "notification:acknowledge");
  if (!actor.organizationId)
    throw forbidden("record a notification move without being bound to an organization");
  return runMutation(async (tx) => {
    const now = options.now ?? new Date();
    const organization = await tx.affectedOrganization.findFirst({
      where: organizationScope(actor),
      select: { id: true, incidentId: true },
    });
    if (!organization) throw notFound("Your organization");
    const recorded = await recordNotificationMoveInTransaction(
      tx,
      actor,
      organization.incidentId,
      organization.id,
      {
        to,
        at: input.at ?? now,
        atPrecision: input.at ? (input.atPrecision ?? "exact") : "exact",
        channel: "portal",
        note: input.note,
        evidence: null,
        version: input.version,
      },
      { requestId: options.requestId, now, as: "agency" },
    );
    const body: PortalMoveResponse = {
      organization: {
        id: recorded.organization.id,
        name: recorded.organization.name,
        notificationState: recorded.organization.notificationState,
        notificationStateAt: recorded.organization.notificationStateAt?.toISOString() ?? null,
        version: recorded.organization.version,
      },
      move: {
        id: recorded.move.id,
        fromState: recorded.move.fromState,
        toState: recorded.move.toState,
        at: recorded.move.at.toISOString(),
        atPrecision: recorded.move.atPrecision,
        channel: "portal",
        note: recorded.move.note,
        timelineEventId: recorded.move.timelineEventId,
      },
    };
    return { status: 200, body };
  }, options.idempotency);
}
