// zod schemas for the timeline chart (buckets) and the metrics endpoint, shared by pages and API routes.
import { z } from "zod";
import { EventListQuerySchema } from "./timeline.ts";

export const MAX_TIMELINE_BUCKETS = 1000;

// Postgres timestamps end at year 294276 and JavaScript dates at 275760; incident timelines live
// well inside 1..9999, so anything outside is a typo, answered as one rather than as a 500.
const withinCalendar = (date: Date) => date.getUTCFullYear() >= 1 && date.getUTCFullYear() <= 9999;

export const TimelineBucketQuerySchema = EventListQuerySchema.pick({
  lane: true,
  phase: true,
  from: true,
  to: true,
})
  .extend({
    max: z.coerce
      .number({ error: "max must be a number" })
      .int("max must be a whole number")
      .min(1, "max must be at least 1")
      .max(MAX_TIMELINE_BUCKETS, `max must be at most ${MAX_TIMELINE_BUCKETS}`)
      .default(MAX_TIMELINE_BUCKETS),
  })
  .superRefine((query, ctx) => {
    for (const field of ["from", "to"] as const) {
      const value = query[field];
      if (value && !withinCalendar(value)) {
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: `${field} must be between the years 1 and 9999`,
        });
      }
    }
    if (query.from && query.to && query.from > query.to) {
      ctx.addIssue({ code: "custom", path: ["from"], message: "from must not be later than to" });
    }
  });

export type TimelineBucketQuery = z.infer<typeof TimelineBucketQuerySchema>;
