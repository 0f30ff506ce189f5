// Exporting an incident's indicators as a STIX 2.1 bundle or CSV, streamed in keyset batches. With
// an organization, only what that organization may see (the rule of lib/domain/visibility.ts); an
// agency user always gets its own organization's package.
import type { Actor } from "../../auth/actor.ts";
import { assertCan, can } from "../../auth/permissions.ts";
import { db } from "../../db/client.ts";
import type { IndicatorModel } from "../../db/generated/models/Indicator.ts";
import type { IndicatorTechniqueModel } from "../../db/generated/models/IndicatorTechnique.ts";
import { notFound } from "../../errors.ts";
import { writeCsvIndicators } from "../../interchange/csv-export.ts";
import type { ExportIndicator } from "../../interchange/records.ts";
import { writeStixBundle } from "../../interchange/stix-export.ts";
import type { ExportQuery } from "../../validation/indicators.ts";
import { agencyVisibleWhere } from "../visibility.ts";
import { typeWord } from "./queries.ts";

const BATCH = 2000;

type ExportRow = IndicatorModel & { techniques: IndicatorTechniqueModel[] };

export interface IndicatorExport {
  filename: string;
  contentType: string;
  /** The file as text chunks, read from the database batch by batch as they are consumed. */
  chunks: AsyncIterable<string>;
}

/** Which organization's view to export: staff may name any of the incident's (or none: all); an agency user only its own. */
async function audienceOf(
  actor: Actor,
  incidentId: string,
  organization: string | undefined,
): Promise<string | null> {
  if (can(actor, "incident:read")) {
    assertCan(actor, "interchange:export");
    if (!organization) return null;
    const found = await db().affectedOrganization.findFirst({
      where: { id: organization, incidentId },
      select: { id: true },
    });
    if (!found) throw notFound("The organization");
    return found.id;
  }
  assertCan(actor, "portal:read");
  // Another organization's id answers exactly like an unknown one.
  if (!actor.organizationId || (organization && organization !== actor.organizationId)) {
    throw notFound("The organization");
  }
  return actor.organizationId;
}

async function* exportRows(incidentId: string, audience: string | null): AsyncGenerator<ExportIndicator> {
  const scope = audience
    ? { incidentId, ...agencyVisibleWhere({ organizationId: audience }) }
    : { incidentId };
  let after: string | null = null;
  for (;;) {
    const rows: ExportRow[] = await db().indicator.findMany({
      where: after ? { AND: [scope, { id: { gt: after } }] } : scope,
      orderBy: { id: "asc" },
      take: BATCH,
      include: { techniques: { orderBy: { techniqueId: "asc" } } },
    });
    for (const row of rows) {
      yield {
        id: row.id,
        type: typeWord(row.type),
        value: row.value,
        normalized: row.normalizedValue,
        firstSeen: row.firstSeenAt,
        lastSeen: row.lastSeenAt,
        confidence: row.confidence,
        tlp: row.tlp,
        description: row.description,
        source: row.source,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
        techniqueIds: row.techniques.map((t) => t.techniqueId),
      };
    }
    const last: ExportRow | undefined = rows.at(-1);
    if (!last || rows.length < BATCH) return;
    after = last.id;
  }
}

export async function exportIndicators(
  actor: Actor,
  incident: { id: string; slug: string },
  query: ExportQuery,
): Promise<IndicatorExport> {
  const audience = await audienceOf(actor, incident.id, query.organization);
  const generatedAt = new Date();
  const stamp = generatedAt.toISOString().slice(0, 10);
  const suffix = audience ? `-org-${audience.slice(0, 8)}` : "";
  const rows = exportRows(incident.id, audience);
  if (query.format === "csv") {
    return {
      filename: `${incident.slug}-indicators${suffix}-${stamp}.csv`,
      contentType: "text/csv; charset=utf-8",
      chunks: writeCsvIndicators(rows),
    };
  }
  return {
    filename: `${incident.slug}-indicators${suffix}-${stamp}.stix.json`,
    contentType: "application/stix+json; charset=utf-8",
    chunks: writeStixBundle(rows, { incidentId: incident.id, generatedAt }),
  };
}
