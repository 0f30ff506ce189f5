// Response schemas of the affected-organization routes and the notification moves.
import { z } from "zod";
import type {
  BulkMoveResult,
  NotificationMoveResponse,
  NotificationRegimeResponse,
} from "../../domain/organizations/commands.ts";
import { NOTIFICATION_CHANNEL_LABELS } from "../../domain/organizations/notification-states.ts";
import type {
  NotificationOverviewDto,
  OrganizationDetailDto,
  OrganizationDto,
} from "../../domain/organizations/queries.ts";
import type { AllTrue, Matches } from "./check.ts";
import { ErrorDetailSchema, NamedRefSchema, isoInstant } from "./common.ts";
import { DeadlineStatusSchema, DurationStatsSchema, NotificationStateSchema } from "./metrics.ts";
import { PrecisionSchema } from "./timeline.ts";

const ChannelSchema = z.enum(NOTIFICATION_CHANNEL_LABELS);

const LastMoveSchema = z.object({
  id: z.string(),
  from: NotificationStateSchema.nullable(),
  to: NotificationStateSchema,
  at: isoInstant(),
  atPrecision: PrecisionSchema,
  by: NamedRefSchema.nullable().meta({ description: "The Dwell user who recorded it." }),
  madeBy: z.string().nullable().meta({ description: "Who made it when that was not a Dwell user." }),
  channel: ChannelSchema.nullable(),
});

export const NotificationMoveSchema = LastMoveSchema.extend({
  recordedAt: isoInstant(),
  note: z.string().nullable(),
  evidence: z.string().nullable(),
  timelineEventId: z.string().nullable(),
}).meta({ id: "NotificationMove" });

export const OrganizationSchema = z
  .object({
    id: z.string(),
    incidentId: z.string(),
    name: z.string(),
    isNamedPublicly: z.boolean(),
    kind: z
      .string()
      .meta({ description: "The product's word: private sector, think tank, not disclosed, …" }),
    sector: z.string().nullable(),
    country: z.string().nullable().meta({ description: "ISO 3166-1 alpha-2." }),
    countryName: z.string().nullable(),
    accountsAffected: z.number().int().nullable(),
    mailboxesAffected: z.number().int().nullable(),
    firstKnownAccessAt: isoInstant().nullable(),
    lastKnownAccessAt: isoInstant().nullable(),
    determinedAffectedAt: isoInstant(),
    notificationState: NotificationStateSchema,
    notificationStateAt: isoInstant().nullable(),
    internalNote: z.string().nullable(),
    deadline: z.object({
      hours: z.number(),
      dueAt: isoInstant(),
      status: DeadlineStatusSchema,
      marginMs: z.number(),
    }),
    lastMove: LastMoveSchema.nullable(),
    version: z.number().int(),
    createdAt: isoInstant(),
    updatedAt: isoInstant(),
  })
  .meta({ id: "Organization" });

export const OrganizationDetailSchema = OrganizationSchema.extend({
  moves: z.array(NotificationMoveSchema).meta({ description: "Every move, in the order they happened." }),
}).meta({ id: "OrganizationDetail" });

export const OrganizationPageSchema = z
  .object({ items: z.array(OrganizationSchema), nextCursor: z.string().nullable() })
  .meta({ id: "OrganizationPage" });

export const NotificationMoveResponseSchema = z
  .object({ organization: OrganizationSchema, move: NotificationMoveSchema })
  .meta({ id: "NotificationMoveResult" });

export const BulkMoveResultSchema = z.object({
  organizationId: z.string().nullable(),
  status: z.number().int(),
  organization: OrganizationSchema.optional(),
  error: z
    .object({ code: z.string(), message: z.string(), details: z.array(ErrorDetailSchema).optional() })
    .optional(),
});

export const BulkNotificationResponseSchema = z
  .object({ results: z.array(BulkMoveResultSchema) })
  .meta({ id: "BulkNotificationResult", description: "One result per move, in the order sent." });

export const NotificationRegimeResponseSchema = z
  .object({
    incident: z.object({
      id: z.string(),
      slug: z.string(),
      notificationDeadlineHours: z.number().int(),
      version: z.number().int(),
    }),
  })
  .meta({ id: "NotificationRegimeResult" });

const DeadlineEntrySchema = z.object({
  id: z.string(),
  name: z.string(),
  dueAt: isoInstant(),
  marginMs: z.number(),
});

export const NotificationOverviewSchema = z
  .object({
    incidentId: z.string(),
    computedAt: isoInstant(),
    deadlineHours: z.number(),
    total: z.number().int(),
    byState: z.record(NotificationStateSchema, z.number().int()),
    byDeadlineStatus: z.record(DeadlineStatusSchema, z.number().int()),
    overdue: z.array(DeadlineEntrySchema),
    atRisk: z.array(DeadlineEntrySchema),
    timeToNotify: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        notificationState: NotificationStateSchema,
        notifiedAt: isoInstant().nullable(),
        fromDeterminationMs: z.number().nullable(),
        fromDetectionMs: z.number().nullable(),
        deadlineStatus: DeadlineStatusSchema,
      }),
    ),
    timeToNotifyStats: z.object({
      fromDetermination: DurationStatsSchema,
      fromDetection: DurationStatsSchema,
    }),
  })
  .meta({ id: "NotificationOverview" });

export type ResponseSchemaChecks = AllTrue<
  [
    Matches<typeof OrganizationSchema, OrganizationDto>,
    Matches<typeof OrganizationDetailSchema, OrganizationDetailDto>,
    Matches<typeof NotificationMoveResponseSchema, NotificationMoveResponse>,
    Matches<typeof BulkMoveResultSchema, BulkMoveResult>,
    Matches<typeof NotificationRegimeResponseSchema, NotificationRegimeResponse>,
    Matches<typeof NotificationOverviewSchema, NotificationOverviewDto>,
  ]
>;
