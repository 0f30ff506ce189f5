// Response schemas of the agency portal.
import { z } from "zod";
import type { PortalMoveResponse } from "../../domain/portal/commands.ts";
import type { PortalView } from "../../domain/portal/queries.ts";
import type { AllTrue, Matches } from "./check.ts";
import { isoInstant } from "./common.ts";
import { DeadlineStatusSchema, NotificationStateSchema, OrganizationKindKeySchema } from "./metrics.ts";
import { PrecisionSchema, TimelineEventSchema, TlpSchema } from "./timeline.ts";

export const PortalViewSchema = z
  .object({
    incident: z.object({
      id: z.string(),
      slug: z.string(),
      name: z.string(),
      publicSummary: z.string(),
      deadlineHours: z.number(),
    }),
    organization: z.object({
      id: z.string(),
      name: z.string(),
      kind: OrganizationKindKeySchema,
      sector: z.string().nullable(),
      country: z.string().nullable(),
      notificationState: NotificationStateSchema,
      notificationStateAt: isoInstant().nullable(),
      determinedAffectedAt: isoInstant(),
      version: z.number().int().meta({ description: "Send it back with the agency's own moves." }),
    }),
    deadline: z.object({ dueAt: isoInstant(), status: DeadlineStatusSchema, marginMs: z.number() }),
    history: z.array(
      z.object({
        id: z.string(),
        fromState: NotificationStateSchema.nullable(),
        toState: NotificationStateSchema,
        at: isoInstant(),
        atPrecision: PrecisionSchema,
        madeBy: z.string().nullable(),
        channel: z.string().nullable(),
        note: z.string().nullable(),
      }),
    ),
    events: z.array(TimelineEventSchema),
    eventsTruncated: z.boolean(),
    indicators: z.array(
      z.object({
        id: z.string(),
        type: z.string(),
        value: z.string(),
        tlp: TlpSchema,
        description: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: "PortalView" });

export const PortalMoveResponseSchema = z
  .object({
    organization: z.object({
      id: z.string(),
      name: z.string(),
      notificationState: NotificationStateSchema,
      notificationStateAt: isoInstant().nullable(),
      version: z.number().int(),
    }),
    move: z.object({
      id: z.string(),
      fromState: NotificationStateSchema.nullable(),
      toState: NotificationStateSchema,
      at: isoInstant(),
      atPrecision: PrecisionSchema,
      channel: z.literal("portal"),
      note: z.string().nullable(),
      timelineEventId: z.string().nullable(),
    }),
  })
  .meta({ id: "PortalMoveResult" });

export type ResponseSchemaChecks = AllTrue<
  [Matches<typeof PortalViewSchema, PortalView>, Matches<typeof PortalMoveResponseSchema, PortalMoveResponse>]
>;
