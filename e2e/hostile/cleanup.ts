// Puts the seeded incident back after the hostile-input spec: the API cannot delete findings,
// sightings, notification moves or organizations (by design), and the spec writes hundreds of records,
// so a snapshot of the incident's row ids is taken first and every row made since is removed with SQL
// afterwards (links and alternatives go with them by cascade). Audit entries stay, as in the other specs.
import {
  restoreOrganizations,
  snapshotOrganizations,
  withE2eClient,
  type OrganizationsSnapshot,
} from "../fixtures";

const TABLES = ["timeline_event", "indicator", "finding", "sighting"] as const;

export interface IncidentSnapshot {
  incidentId: string;
  incident: { hours: number; version: number; updatedAt: Date };
  ids: Record<(typeof TABLES)[number], string[]>;
  organizations: OrganizationsSnapshot;
}

export async function snapshotIncident(): Promise<IncidentSnapshot> {
  const organizations = await snapshotOrganizations();
  return withE2eClient(async (client) => {
    const incident = await client.query<{ hours: number; version: number; updatedAt: Date }>(
      `SELECT notification_deadline_hours AS hours, version, updated_at AS "updatedAt" FROM incident WHERE id = $1`,
      [organizations.incidentId],
    );
    const ids = {} as IncidentSnapshot["ids"];
    for (const table of TABLES) {
      const rows = await client.query<{ id: string }>(`SELECT id FROM ${table} WHERE incident_id = $1`, [
        organizations.incidentId,
      ]);
      ids[table] = rows.rows.map((row) => row.id);
    }
    return { incidentId: organizations.incidentId, incident: incident.rows[0]!, ids, organizations };
  });
}

/** Deletes every row of the incident made since the snapshot and restores what the spec changed. */
export async function restoreIncident(snapshot: IncidentSnapshot): Promise<void> {
  await withE2eClient(async (client) => {
    await client.query("BEGIN");
    try {
      for (const table of ["sighting", "finding", "indicator", "timeline_event"] as const) {
        await client.query(`DELETE FROM ${table} WHERE incident_id = $1 AND NOT (id = ANY($2::uuid[]))`, [
          snapshot.incidentId,
          snapshot.ids[table],
        ]);
      }
      await client.query(
        `UPDATE incident SET notification_deadline_hours = $2, version = $3, updated_at = $4
          WHERE id = $1 AND (version <> $3 OR notification_deadline_hours <> $2)`,
        [
          snapshot.incidentId,
          snapshot.incident.hours,
          snapshot.incident.version,
          snapshot.incident.updatedAt,
        ],
      );
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    }
  });
  await restoreOrganizations(snapshot.organizations);
}
