// Response schemas of the executive dashboard routes.
import { z } from "zod";
import type { DashboardDto, IncidentDashboardDto } from "../../domain/dashboard/queries.ts";
import { FINDING_STATUSES } from "../../domain/findings/vocabulary.ts";
import type { AllTrue, Matches } from "./check.ts";
import { isoInstant } from "./common.ts";
import { IncidentSummarySchema } from "./incidents.ts";
import { NotificationOverviewSchema } from "./organizations.ts";
import { KeyDurationSchema, MilestonesSchema } from "./timeline.ts";

const PhaseWordSchema = z.enum([
  "activity",
  "detection",
  "containment",
  "mitigation",
  "notification",
  "post-incident",
]);

export const IncidentDashboardSchema = z
  .object({
    incident: IncidentSummarySchema,
    computedAt: isoInstant(),
    data: z.object({
      counts: z.object({
        events: z.number().int(),
        organizations: z.number().int(),
        indicators: z.number().int(),
        findings: z.number().int(),
        sourcedFigures: z.number().int(),
      }),
      lastChangeAt: isoInstant().nullable(),
    }),
    keyTimes: z.object({
      phase: z.object({
        current: PhaseWordSchema.nullable(),
        currentLabel: z.string(),
        steps: z.array(
          z.object({
            phase: PhaseWordSchema,
            label: z.string(),
            reachedAt: z.string().nullable(),
            precision: z.string().nullable(),
          }),
        ),
      }),
      milestones: MilestonesSchema,
      durations: z.array(KeyDurationSchema),
    }),
    notifications: NotificationOverviewSchema,
    indicatorsByType: z.array(z.object({ type: z.string(), count: z.number().int() })),
    eventsPerWeek: z.object({
      bucketSeconds: z.number().int().nullable(),
      buckets: z.array(
        z.object({ start: isoInstant(), adversary: z.number().int(), response: z.number().int() }),
      ),
      total: z.object({ adversary: z.number().int(), response: z.number().int() }),
    }),
    findingsByStatus: z.record(z.enum(FINDING_STATUSES), z.number().int()),
    sourcedFigures: z.array(
      z.object({
        key: z.string(),
        title: z.string(),
        figures: z.array(
          z.object({
            key: z.string(),
            label: z.string(),
            display: z.string(),
            value: z.string(),
            qualifier: z.string().nullable(),
            source: z.object({ name: z.string(), url: z.string() }),
            sourceDate: z
              .string()
              .nullable()
              .meta({ description: "YYYY-MM-DD or YYYY-MM; null when unknown." }),
            sourceDateBasis: z.enum(["recorded", "address"]).nullable(),
            note: z.string().nullable(),
          }),
        ),
        disagree: z.boolean(),
      }),
    ),
  })
  .meta({ id: "IncidentDashboard" });

export const DashboardSchema = z
  .object({ computedAt: isoInstant(), incidents: z.array(IncidentDashboardSchema) })
  .meta({ id: "Dashboard" });

export type ResponseSchemaChecks = AllTrue<
  [
    Matches<typeof IncidentDashboardSchema, IncidentDashboardDto>,
    Matches<typeof DashboardSchema, DashboardDto>,
  ]
>;
