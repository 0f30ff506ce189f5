// Response schemas of GET …/metrics: milestones and key durations in words, per-organization times.
import { z } from "zod";
import type { IncidentDurationDto, MilestoneDto } from "../../domain/metrics/incident-metrics.ts";
import type {
  DurationStats,
  OrganizationMetricsDto,
  OrganizationSummary,
} from "../../domain/metrics/organization-metrics.ts";
import type { IncidentMetricsDto } from "../../domain/metrics/queries.ts";
import { NOTIFICATION_STATES, ORGANIZATION_KINDS } from "../../domain/vocabulary.ts";
import type { AllTrue, Matches } from "./check.ts";
import { isoInstant } from "./common.ts";
import { KeyDurationNameSchema, MilestoneKindSchema, PrecisionSchema } from "./timeline.ts";

export const DEADLINE_STATUS_WORDS = ["on time", "at risk", "overdue", "met", "missed"] as const;
export const DeadlineStatusSchema = z.enum(DEADLINE_STATUS_WORDS).meta({ id: "DeadlineStatus" });
export const NotificationStateSchema = z.enum(NOTIFICATION_STATES).meta({ id: "NotificationState" });
export const OrganizationKindKeySchema = z.enum(ORGANIZATION_KINDS.map(([key]) => key));

const AlternativeDatingSchema = z.object({
  occurredAt: isoInstant(),
  occurredUntil: isoInstant().nullable(),
  precision: PrecisionSchema,
  source: z.string(),
  note: z.string().nullable(),
});

const DurationAlternativeSchema = AlternativeDatingSchema.extend({
  ms: z.number(),
  changed: z.enum(["from", "to"]),
});

export const MilestoneDtoSchema = z
  .object({
    kind: MilestoneKindSchema,
    label: z.string(),
    eventId: z.string(),
    title: z.string(),
    occurredAt: isoInstant(),
    occurredUntil: isoInstant().nullable(),
    precision: PrecisionSchema,
    source: z.string(),
    basis: z.string(),
    alternatives: z.array(AlternativeDatingSchema),
  })
  .meta({ id: "MetricsMilestone" });

const DurationEndSchema = z.object({
  milestone: MilestoneKindSchema,
  label: z.string(),
  eventId: z.string().nullable(),
  title: z.string().nullable(),
  at: isoInstant().nullable(),
});

export const IncidentDurationSchema = z
  .object({
    name: KeyDurationNameSchema,
    label: z.string(),
    from: DurationEndSchema,
    to: DurationEndSchema,
    ms: z.number().nullable(),
    alternatives: z.array(DurationAlternativeSchema),
  })
  .meta({ id: "IncidentDuration" });

export const DurationStatsSchema = z
  .object({
    known: z.number().int(),
    minMs: z.number().nullable(),
    medianMs: z.number().nullable(),
    maxMs: z.number().nullable(),
  })
  .meta({ id: "DurationStats" });

const ORGANIZATION_DURATION_NAMES = [
  "dwell",
  "timeToNotifyFromDetection",
  "timeToNotifyFromDetermination",
  "timeToAcknowledge",
] as const;
const OrganizationDurationNameSchema = z.enum(ORGANIZATION_DURATION_NAMES);

const MoveSchema = z.object({
  moveId: z.string(),
  at: isoInstant(),
  precision: PrecisionSchema,
  madeBy: z.string().nullable(),
  channel: z.string().nullable(),
  timelineEventId: z.string().nullable(),
});

export const OrganizationMetricsSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: OrganizationKindKeySchema,
    notificationState: NotificationStateSchema,
    notificationStateAt: isoInstant().nullable(),
    determinedAffectedAt: isoInstant(),
    firstAccess: z
      .object({
        at: isoInstant(),
        precision: PrecisionSchema.nullable(),
        basis: z.enum(["organization record", "earliest linked adversary event"]),
        eventId: z.string().nullable(),
        eventTitle: z.string().nullable(),
      })
      .nullable(),
    detection: z.object({ at: isoInstant(), eventId: z.string(), title: z.string() }).nullable(),
    notified: MoveSchema.nullable(),
    acknowledged: MoveSchema.nullable(),
    remediated: MoveSchema.nullable(),
    durations: z.record(
      OrganizationDurationNameSchema,
      z.object({
        name: OrganizationDurationNameSchema,
        label: z.string(),
        from: z.string(),
        to: z.string(),
        fromAt: isoInstant().nullable(),
        toAt: isoInstant().nullable(),
        ms: z.number().nullable(),
        alternatives: z.array(DurationAlternativeSchema),
      }),
    ),
    deadline: z.object({
      hours: z.number(),
      dueAt: isoInstant(),
      status: DeadlineStatusSchema,
      marginMs: z.number(),
    }),
  })
  .meta({ id: "OrganizationMetrics" });

export const OrganizationSummarySchema = z.object({
  total: z.number().int(),
  byNotificationState: z.record(NotificationStateSchema, z.number().int()),
  byDeadlineStatus: z.record(DeadlineStatusSchema, z.number().int()),
  durations: z.record(OrganizationDurationNameSchema, DurationStatsSchema),
});

export const IncidentMetricsSchema = z
  .object({
    incident: z.object({
      id: z.string(),
      slug: z.string(),
      name: z.string(),
      notificationDeadlineHours: z.number().int(),
    }),
    computedAt: isoInstant(),
    milestones: z.record(MilestoneKindSchema, MilestoneDtoSchema.nullable()),
    durations: z.record(KeyDurationNameSchema, IncidentDurationSchema),
    organizations: z.array(OrganizationMetricsSchema),
    organizationSummary: OrganizationSummarySchema,
  })
  .meta({ id: "IncidentMetrics" });

export type ResponseSchemaChecks = AllTrue<
  [
    Matches<typeof MilestoneDtoSchema, MilestoneDto>,
    Matches<typeof IncidentDurationSchema, IncidentDurationDto>,
    Matches<typeof DurationStatsSchema, DurationStats>,
    Matches<typeof OrganizationMetricsSchema, OrganizationMetricsDto>,
    Matches<typeof OrganizationSummarySchema, OrganizationSummary>,
    Matches<typeof IncidentMetricsSchema, IncidentMetricsDto>,
  ]
>;
