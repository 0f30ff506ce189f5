// Response schemas of the timeline: events (list items and full records), milestones, key durations, buckets.
import { z } from "zod";
import type { TimelineBucketsDto } from "../../domain/timeline/buckets.ts";
import type { KeyDuration, Milestone } from "../../domain/timeline/milestones.ts";
import type { TimelineEventDetailDto, TimelineEventDto } from "../../domain/timeline/queries.ts";
import { PHASE_LABELS, PRECISIONS, TLPS, VERIFICATIONS } from "../../domain/vocabulary.ts";
import type { AllTrue, Matches } from "./check.ts";
import { IndicatorRefSchema, NamedRefSchema, isoInstant } from "./common.ts";

export const PrecisionSchema = z
  .enum(PRECISIONS)
  .meta({ id: "Precision", description: "How precisely the source dated it." });
export const TlpSchema = z.enum(TLPS.map(([, label]) => label)).meta({ id: "Tlp" });
const VerificationSchema = z.enum(VERIFICATIONS);
const PhaseLabelSchema = z.enum(PHASE_LABELS);
const LaneSchema = z.enum(["adversary", "response"]);

export const MILESTONE_KINDS = [
  "firstActivity",
  "detection",
  "containment",
  "mitigationComplete",
  "firstNotification",
  "lastNotification",
] as const;
export const MilestoneKindSchema = z.enum(MILESTONE_KINDS);
export const KEY_DURATION_NAMES = [
  "dwell",
  "timeToContain",
  "timeToMitigate",
  "timeToFirstNotification",
  "timeToLastNotification",
] as const;
export const KeyDurationNameSchema = z.enum(KEY_DURATION_NAMES);

const EventAlternativeSchema = z.object({
  id: z.string(),
  occurredAt: isoInstant(),
  occurredUntil: isoInstant().nullable(),
  precision: PrecisionSchema,
  sourceTimeZone: z.string().nullable(),
  source: z.string(),
  verification: VerificationSchema,
  note: z.string().nullable(),
});

export const TimelineEventSchema = z
  .object({
    id: z.string(),
    occurredAt: isoInstant(),
    occurredUntil: isoInstant().nullable(),
    precision: PrecisionSchema,
    sourceTimeZone: z.string().nullable(),
    lane: LaneSchema,
    phase: PhaseLabelSchema,
    title: z.string(),
    descriptionHtml: z
      .string()
      .nullable()
      .meta({ description: "The description rendered to sanitized HTML." }),
    source: z.string(),
    additionalSources: z.array(z.string()),
    verification: VerificationSchema,
    tlp: TlpSchema,
    milestone: z.string().nullable(),
    alternatives: z.array(EventAlternativeSchema),
    organizations: z.array(NamedRefSchema),
    indicators: z.array(IndicatorRefSchema),
    techniques: z.array(NamedRefSchema),
    internalNote: z.string().nullable().optional().meta({ description: "Staff only." }),
    version: z.number().int(),
  })
  .meta({ id: "TimelineEvent", description: "An event as lists carry it." });

export const TimelineEventDetailSchema = TimelineEventSchema.extend({
  incidentId: z.string(),
  description: z.string().nullable().meta({ description: "Markdown as written." }),
  updatedBy: NamedRefSchema.nullable().optional().meta({ description: "Staff only." }),
  createdAt: isoInstant(),
  updatedAt: isoInstant(),
}).meta({ id: "TimelineEventDetail", description: "One event in full." });

export const TimelineEventPageSchema = z
  .object({
    items: z.array(TimelineEventSchema),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: "TimelineEventPage" });

const BucketCountsSchema = z.object({ adversary: z.number().int(), response: z.number().int() });

export const TimelineBucketsSchema = z
  .object({
    from: isoInstant().nullable(),
    to: isoInstant().nullable(),
    bucketSeconds: z.number().int().nullable(),
    max: z.number().int(),
    buckets: z.array(
      z.object({
        start: isoInstant(),
        adversary: z.number().int(),
        response: z.number().int(),
        phases: z.partialRecord(PhaseLabelSchema, BucketCountsSchema),
      }),
    ),
    total: BucketCountsSchema,
  })
  .meta({ id: "TimelineBuckets" });

const MilestoneAlternativeSchema = z.object({
  occurredAt: isoInstant(),
  occurredUntil: isoInstant().nullable(),
  precision: PrecisionSchema,
  source: z.string(),
  note: z.string().nullable(),
});

/** A milestone as the incident overview and the dashboard carry it (timeline/milestones.ts, as JSON). */
export const MilestoneSchema = z
  .object({
    kind: MilestoneKindSchema,
    eventId: z.string(),
    title: z.string(),
    occurredAt: isoInstant(),
    occurredUntil: isoInstant().nullable(),
    precision: PrecisionSchema,
    source: z.string(),
    basis: z.string(),
    alternatives: z.array(MilestoneAlternativeSchema),
  })
  .meta({ id: "Milestone" });

export const MilestonesSchema = z
  .record(MilestoneKindSchema, MilestoneSchema.nullable())
  .meta({ id: "Milestones" });

export const KeyDurationSchema = z
  .object({
    name: KeyDurationNameSchema,
    from: MilestoneKindSchema,
    to: MilestoneKindSchema,
    ms: z.number(),
    alternatives: z.array(
      z.object({ ms: z.number(), changed: z.enum(["from", "to"]), alternative: MilestoneAlternativeSchema }),
    ),
  })
  .meta({ id: "KeyDuration" });

export type ResponseSchemaChecks = AllTrue<
  [
    Matches<typeof TimelineEventSchema, TimelineEventDto>,
    Matches<typeof TimelineEventDetailSchema, TimelineEventDetailDto>,
    Matches<typeof TimelineBucketsSchema, TimelineBucketsDto>,
    Matches<typeof MilestoneSchema, Milestone>,
    Matches<typeof KeyDurationSchema, KeyDuration>,
  ]
>;
