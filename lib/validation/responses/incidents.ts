// Response schemas of the incident routes.
import { z } from "zod";
import type { IncidentOverview, IncidentSummary } from "../../domain/incidents/queries.ts";
import type { AllTrue, Matches } from "./check.ts";
import { isoInstant } from "./common.ts";
import { KeyDurationSchema, MilestonesSchema } from "./timeline.ts";

export const IncidentSummarySchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    actor: z.string().nullable(),
    publicSummary: z.string(),
    status: z.enum(["open", "closed"]),
    timeZone: z.string(),
    notificationDeadlineHours: z.number().int(),
    isDemo: z.boolean(),
    version: z.number().int(),
    createdAt: isoInstant(),
    updatedAt: isoInstant(),
  })
  .meta({ id: "IncidentSummary" });

export const IncidentOverviewSchema = IncidentSummarySchema.extend({
  milestones: MilestonesSchema,
  durations: z.array(KeyDurationSchema),
  counts: z.object({
    events: z.number().int(),
    organizations: z.number().int(),
    indicators: z.number().int(),
    findings: z.number().int(),
  }),
}).meta({ id: "IncidentOverview" });

export const IncidentListSchema = z
  .object({ items: z.array(IncidentSummarySchema), nextCursor: z.null() })
  .meta({ id: "IncidentList" });

export type ResponseSchemaChecks = AllTrue<
  [
    Matches<typeof IncidentSummarySchema, IncidentSummary>,
    Matches<typeof IncidentOverviewSchema, IncidentOverview>,
  ]
>;
