// Loads the demo data (the Storm-0558 incident from data/storm-0558.json and the demo accounts) in one
// transaction. Idempotent: a second run finds the incident and the accounts and writes nothing.
import { createPrismaClient } from "../../db/client.ts";
import { recordAudit } from "../audit/record.ts";
import type { Tx } from "../tx.ts";
import { createUser, type AuditActor } from "../users/commands.ts";
import { buildDemoPlan, type DemoPlan } from "./demo-plan.ts";
import { COMMERCE_NAME, STATE_NAME } from "./demo-organizations.ts";
import { readAttackCatalog, readStormSource } from "./storm-0558-source.ts";

export const DEMO_PASSWORD = "dwell-demo-2023";
export const DEMO_INCIDENT_SLUG = "storm-0558";

export const DEMO_ACCOUNTS: ReadonlyArray<{
  email: string;
  name: string;
  role: "admin" | "responder" | "executive" | "agency";
  organization?: string;
}> = [
  { email: "admin@dwell.example", name: "Demo Admin", role: "admin" },
  { email: "responder@dwell.example", name: "Demo Responder", role: "responder" },
  { email: "executive@dwell.example", name: "Demo Executive", role: "executive" },
  {
    email: "state@agency.example",
    name: "Demo State Department contact",
    role: "agency",
    organization: STATE_NAME,
  },
  {
    email: "commerce@agency.example",
    name: "Demo Commerce Department contact",
    role: "agency",
    organization: COMMERCE_NAME,
  },
];

export interface SeedResult {
  incidentId: string;
  createdIncident: boolean;
  /** What the demo incident holds after the run (not what this run added), and the demo accounts present. */
  counts: { events: number; indicators: number; organizations: number; users: number };
}

const SEED_ACTOR: AuditActor = { actorId: null, actorLabel: "system (demo seed)" };

// Two seeds started at once would both find no incident; the second waits here and then finds it.
const SEED_LOCK = 7_305_013;

export async function seedDemoData(databaseUrl: string): Promise<SeedResult> {
  // Built and checked before connecting, so bad source data never leaves a half-open transaction behind.
  const plan = buildDemoPlan(readStormSource(), readAttackCatalog(), DEMO_INCIDENT_SLUG);
  const db = createPrismaClient(databaseUrl);
  try {
    return await db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK}::bigint)`;
        const existing = await tx.incident.findUnique({
          where: { slug: DEMO_INCIDENT_SLUG },
          select: { id: true },
        });
        const incidentId = existing?.id ?? (await insertDemoIncident(tx, plan));
        await ensureDemoAccounts(tx, incidentId);
        const [events, indicators, organizations, users] = await Promise.all([
          tx.timelineEvent.count({ where: { incidentId } }),
          tx.indicator.count({ where: { incidentId } }),
          tx.affectedOrganization.count({ where: { incidentId } }),
          tx.user.count({ where: { email: { in: DEMO_ACCOUNTS.map((account) => account.email) } } }),
        ]);
        return {
          incidentId,
          createdIncident: !existing,
          counts: { events, indicators, organizations, users },
        };
      },
      { timeout: 60_000 },
    );
  } finally {
    await db.$disconnect();
  }
}

async function insertDemoIncident(tx: Tx, plan: DemoPlan): Promise<string> {
  const incident = await tx.incident.create({ data: plan.incident, select: { id: true } });
  // Parents before the rows that point at them; each table in one statement.
  await tx.timelineEvent.createMany({ data: plan.events });
  await tx.indicator.createMany({ data: plan.indicators });
  await tx.affectedOrganization.createMany({ data: plan.organizations });
  await tx.eventAlternative.createMany({ data: plan.alternatives });
  await tx.eventOrganization.createMany({ data: plan.eventOrganizations });
  await tx.eventIndicator.createMany({ data: plan.eventIndicators });
  await tx.eventTechnique.createMany({ data: plan.eventTechniques });
  await tx.notificationMove.createMany({ data: plan.moves });
  await tx.incidentTechnique.createMany({ data: plan.incidentTechniques });
  await tx.sourcedFigure.createMany({ data: plan.figures });

  await recordAudit(tx, {
    incidentId: incident.id,
    ...SEED_ACTOR,
    action: "incident.seed",
    entityType: "incident",
    entityId: incident.id,
    after: {
      slug: plan.incident.slug,
      name: plan.incident.name,
      isDemo: true,
      source: "data/storm-0558.json",
      events: plan.events.length,
      eventAlternatives: plan.alternatives.length,
      indicators: plan.indicators.length,
      organizations: plan.organizations.length,
      notificationMoves: plan.moves.length,
      techniques: plan.incidentTechniques.length,
      figures: plan.figures.length,
    },
  });
  return incident.id;
}

/** Creates the demo accounts that are missing; an existing account is left exactly as it is. */
async function ensureDemoAccounts(tx: Tx, incidentId: string): Promise<void> {
  const present = await tx.user.findMany({
    where: { email: { in: DEMO_ACCOUNTS.map((account) => account.email) } },
    select: { email: true },
  });
  const presentEmails = new Set(present.map((user) => user.email));
  for (const account of DEMO_ACCOUNTS) {
    if (presentEmails.has(account.email)) continue;
    let organizationId: string | null = null;
    if (account.organization) {
      const organization = await tx.affectedOrganization.findUnique({
        where: { incidentId_name: { incidentId, name: account.organization } },
        select: { id: true },
      });
      // Renamed or removed since an earlier seed: the account has nothing to be bound to, so it is skipped
      // (the seed's counts show it missing) rather than failing the whole run.
      if (!organization) continue;
      organizationId = organization.id;
    }
    await createUser(
      tx,
      {
        email: account.email,
        name: account.name,
        role: account.role,
        organizationId,
        password: DEMO_PASSWORD,
      },
      SEED_ACTOR,
      { allowDemoPassword: true },
    );
  }
}
