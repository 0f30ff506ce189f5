-- CreateIndex
CREATE INDEX "finding_incident_id_updated_at_idx" ON "finding"("incident_id", "updated_at");


-- ---------------------------------------------------------------- hand-written (`*_manual`)
-- Search across an incident (lib/domain/search): full-text over the readable text of events,
-- findings, indicators and organizations, and trigram similarity over their short names and values
-- (typos, partial words). Prisma cannot model expression GIN indexes nor the extension, hence
-- `_manual` (left out of the drift check, see README "Migrations"). The expressions must stay
-- identical to the ones in lib/domain/search/queries.ts, or the planner will not use them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX "timeline_event_search_manual" ON "timeline_event"
  USING gin (to_tsvector('simple', "title" || ' ' || coalesce("description", '')));
CREATE INDEX "timeline_event_title_trgm_manual" ON "timeline_event" USING gin ("title" gin_trgm_ops);

CREATE INDEX "finding_search_manual" ON "finding"
  USING gin (to_tsvector('simple', "title" || ' ' || "body"));
CREATE INDEX "finding_title_trgm_manual" ON "finding" USING gin ("title" gin_trgm_ops);

CREATE INDEX "indicator_search_manual" ON "indicator"
  USING gin (to_tsvector('simple', "value" || ' ' || coalesce("description", '')));
CREATE INDEX "indicator_normalized_value_trgm_manual" ON "indicator" USING gin ("normalized_value" gin_trgm_ops);

CREATE INDEX "affected_organization_search_manual" ON "affected_organization"
  USING gin (to_tsvector('simple', "name" || ' ' || coalesce("sector", '')));
CREATE INDEX "affected_organization_name_trgm_manual" ON "affected_organization" USING gin ("name" gin_trgm_ops);
