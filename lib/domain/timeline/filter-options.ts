// What the timeline's filters and event form can offer: the incident's organizations, indicators and
// the ATT&CK techniques in use, scoped like everything else.
import { db } from "../../db/client.ts";
import type { Actor } from "../../auth/actor.ts";
import { assertCan } from "../../auth/permissions.ts";
import { techniqueName } from "../attack/techniques.ts";
import { indicatorTypeLabel } from "../vocabulary.ts";

export interface TimelineFilterOptions {
  organizations: { id: string; name: string }[];
  indicators: { id: string; type: string; value: string }[];
  /** True when the incident has more indicators than the list carries. */
  indicatorsTruncated: boolean;
  techniques: { id: string; name: string }[];
}

const INDICATOR_OPTION_LIMIT = 500;

export async function listTimelineFilterOptions(
  actor: Actor,
  incidentId: string,
): Promise<TimelineFilterOptions> {
  assertCan(actor, "incident:read");
  const [organizations, indicators, eventTechniques, incidentTechniques] = await Promise.all([
    db().affectedOrganization.findMany({
      where: { incidentId },
      orderBy: { name: "asc" },
      select: { id: true, name: true },
    }),
    db().indicator.findMany({
      where: { incidentId },
      orderBy: [{ type: "asc" }, { normalizedValue: "asc" }],
      select: { id: true, type: true, value: true },
      take: INDICATOR_OPTION_LIMIT + 1,
    }),
    db().eventTechnique.findMany({
      where: { event: { incidentId } },
      distinct: ["techniqueId"],
      select: { techniqueId: true },
    }),
    db().incidentTechnique.findMany({ where: { incidentId }, select: { techniqueId: true } }),
  ]);
  const techniqueIds = [
    ...new Set([...eventTechniques, ...incidentTechniques].map((t) => t.techniqueId)),
  ].sort();
  return {
    organizations,
    indicators: indicators
      .slice(0, INDICATOR_OPTION_LIMIT)
      .map((i) => ({ id: i.id, type: indicatorTypeLabel(i.type), value: i.value })),
    indicatorsTruncated: indicators.length > INDICATOR_OPTION_LIMIT,
    techniques: techniqueIds.map((id) => ({ id, name: techniqueName(id) })),
  };
}
