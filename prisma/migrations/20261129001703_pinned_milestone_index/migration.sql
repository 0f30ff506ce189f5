-- Pinned milestones are looked up on every incident overview and metrics request
-- (milestoneInputsForIncident: WHERE incident_id = $1 AND milestone IS NOT NULL). Without an index that is a
-- sequential scan of the whole timeline (30 ms at 100,000 events); with this one it is a probe of the few
-- pinned events. Partial, so the other events cost nothing to index; Prisma cannot express a partial index,
-- hence `_manual` (left out of the drift check, see README "Migrations").
CREATE INDEX "timeline_event_pinned_milestone_manual" ON "timeline_event" ("incident_id") WHERE "milestone" IS NOT NULL;
