// The one place that proves "every mutation writes exactly one audit entry, in its own transaction"
// for all of them. It finds the domain's mutating modules itself (every commands.ts, and every module
// that writes audit entries or rows), and fails when one exports a function this file does not list:
// a new command must come with its case here, or with a reason in NOT_MUTATIONS.
//
// For each command it runs a success against a scratch incident and checks that exactly one new entry
// exists, with the right action, record, incident and actor, written by the same transaction as the
// record itself (the rows share Postgres's `xmin`); then failures (validation, stale version, unknown
// record) and checks that they wrote none.
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../auth/actor.ts";
import { db } from "../../db/client.ts";
import { requireDatabaseUrl } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { CreateFindingSchema, UpdateFindingSchema } from "../../validation/findings.ts";
import {
  CreateIndicatorSchema,
  CreateSightingSchema,
  UpdateIndicatorSchema,
} from "../../validation/indicators.ts";
import {
  BulkNotificationSchema,
  CreateOrganizationSchema,
  NotificationMoveSchema,
  NotificationRegimeSchema,
  PortalNotificationSchema,
  UpdateOrganizationSchema,
} from "../../validation/organizations.ts";
import { CreateEventSchema, UpdateEventSchema, type CreateEventInput } from "../../validation/timeline.ts";
import { createFinding, updateFinding } from "../findings/commands.ts";
import { createIndicator, deleteIndicator, reportSighting, updateIndicator } from "../indicators/commands.ts";
import { importIndicators } from "../indicators/import.ts";
import {
  createOrganization,
  recordNotificationMove,
  recordNotificationMoveInTransaction,
  recordNotificationMoves,
  updateNotificationRegime,
  updateOrganization,
} from "../organizations/commands.ts";
import { acknowledgeNotification, confirmRemediation, recordPortalNotification } from "../portal/commands.ts";
import {
  createTimelineEvent,
  createTimelineEventInTransaction,
  deleteTimelineEvent,
  deleteTimelineEventInTransaction,
  updateTimelineEvent,
  updateTimelineEventInTransaction,
} from "../timeline/commands.ts";
import { CreateApiTokenSchema } from "../../validation/tokens.ts";
import { createApiToken, revokeApiToken } from "../tokens/commands.ts";
import {
  changeOwnPassword,
  createUserAsAdmin,
  resetUserPassword,
  updateUser,
} from "../users/admin-commands.ts";
import { createUser, createUserInNewTransaction } from "../users/commands.ts";
import {
  ChangeOwnPasswordSchema,
  CreateUserRequestSchema,
  PasswordResetSchema,
  UpdateUserSchema,
} from "../users/validation.ts";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const DOMAIN = path.join(ROOT, "lib/domain");
const run = randomUUID().slice(0, 8);
const SOURCE = "https://www.cisa.gov/news-events/cybersecurity-advisories/aa23-193a";
const UNKNOWN_ORG = "00000000-0000-4000-8000-00000000a11c";

// ---------------------------------------------------------------- which functions must be covered

/** Modules that mutate: every commands.ts, and any module that writes audit entries or rows. */
const WRITES =
  /recordAudit\w*\(|\b(?:tx|db\(\)|client|prisma)\s*\.\s*[a-zA-Z]+\s*\.\s*(?:create|createMany|createManyAndReturn|update|updateMany|upsert|delete|deleteMany)\(|\$executeRaw`\s*(?:INSERT|UPDATE|DELETE)/;

function mutatingModules(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) {
        if (entry.name === "commands.ts" || WRITES.test(readFileSync(full, "utf8"))) {
          found.push(path.relative(ROOT, full));
        }
      }
    }
  };
  walk(DOMAIN);
  return found.sort();
}

/**
 * Exported functions of mutating modules that are not mutations of incident data, each with why. Every
 * other exported function must have a case in CASES.
 */
const NOT_MUTATIONS: Record<string, string> = {
  "lib/domain/audit/record.ts#recordAudit": "the audit writer itself",
  "lib/domain/audit/record.ts#recordAuditSql": "the audit writer itself, for plain pg transactions",
  "lib/domain/audit/record.ts#deferAuditEntries":
    "the audit writer itself: queues a transaction's entries and writes them just before commit",
  "lib/domain/audit/record.ts#toAuditJson": "pure helper",
  "lib/domain/audit/record.ts#hashAuditEntry": "pure helper",
  "lib/domain/mutation.ts#runMutation": "the transaction runner every command uses",
  "lib/domain/mutation.ts#requestHash": "pure helper",
  "lib/domain/users/commands.ts#describeIssues": "pure helper",
  "lib/domain/seed/demo.ts#seedDemoData":
    "bootstraps a database: one incident.seed entry plus one user.create per demo account (lib/domain/seed/demo.int.test.ts)",
  "lib/domain/users/authentication.ts#verifyCredentials":
    "sign-in: stamps lastSignInAt, a session fact rather than a change to a record (not audited)",
  "lib/domain/users/authentication.ts#loadSessionActor": "reads the session's user",
  "lib/domain/users/authentication.ts#attemptSignIn":
    "sign-in: counts the attempt (rate limit) and stamps lastSignInAt, session facts (not audited)",
  "lib/domain/users/admin-commands.ts#withoutSecrets": "pure helper",
  "lib/domain/users/admin-commands.ts#generateTemporaryPassword": "pure helper",
  "lib/domain/users/rate-limit.ts#normalizeAttemptEmail": "pure helper",
  "lib/domain/users/rate-limit.ts#rateLimitMessage": "pure helper",
  "lib/domain/users/rate-limit.ts#signInRetryAfter": "reads the sign-in attempts",
  "lib/domain/users/rate-limit.ts#reserveSignInAttempt":
    "sign-in rate limiting: bookkeeping of attempts (not audited)",
  "lib/domain/users/rate-limit.ts#markSignInSucceeded":
    "sign-in rate limiting: bookkeeping of attempts (not audited)",
  "lib/domain/users/rate-limit.ts#pruneLoginAttempts":
    "sign-in rate limiting: drops expired attempts (not audited)",
  "lib/domain/tokens/commands.ts#mayCreateWritableToken": "pure helper",
  "lib/domain/tokens/authentication.ts#authenticateApiToken":
    "reads the token behind a request; stamps lastUsedAt at most once a minute, a usage fact (not audited)",
  "lib/domain/users/sessions.ts#endSessions":
    "sign-out: moves the user's session version on, a session fact rather than a change to a record (not audited)",
};

// ---------------------------------------------------------------- scratch data

let incidentId: string;
let responder: Actor;
let admin: Actor;
let agencyState: Actor;
let stateOrgId: string;
let commerceOrgId: string;

async function makeUser(role: Actor["role"], organizationId: string | null = null): Promise<Actor> {
  const email = `${role}-${randomUUID().slice(0, 8)}@every-mutation.example`;
  const name = `${role} ${run}`;
  const user = await db().user.create({
    data: { email, name, role, organizationId, passwordHash: "unused" },
  });
  return { userId: user.id, email, name, role, organizationId, readOnly: false };
}

const eventInput = (overrides: Partial<CreateEventInput> = {}) =>
  CreateEventSchema.parse({
    occurredAt: "2023-06-16",
    precision: "day",
    lane: "response",
    phase: "investigation",
    title: `Event ${randomUUID().slice(0, 8)}`,
    source: SOURCE,
    ...overrides,
  });

/**
 * Entries written by set-up steps (creating the record a case then changes) are remembered here by id,
 * and the checks leave them out.
 */
const setUpEntries = new Set<bigint>();

async function setUp<T>(work: () => Promise<T>): Promise<T> {
  const before = await lastAuditId();
  const result = await work();
  for (const entry of await entriesAfter(before)) setUpEntries.add(entry.id);
  return result;
}

/** Entries after `before` that no set-up step wrote. */
async function commandEntries(before: bigint) {
  const entries = (await entriesAfter(before)).filter((e) => !setUpEntries.has(e.id));
  setUpEntries.clear();
  return entries;
}

function newEvent(): Promise<{ id: string; version: number }> {
  return setUp(async () => {
    const result = await createTimelineEvent(responder, incidentId, eventInput(), { requestId: null });
    return result.body as { id: string; version: number };
  });
}

/** Writes one (its entry counts: for the create cases themselves). */
async function makeOrganization(): Promise<{ id: string; version: number; name: string }> {
  const result = await createOrganization(
    responder,
    incidentId,
    CreateOrganizationSchema.parse({
      name: `Org ${randomUUID().slice(0, 8)}`,
      kind: "private sector",
      country: "US",
    }),
    { requestId: null },
  );
  return result.body as { id: string; version: number; name: string };
}

const newOrganization = () => setUp(makeOrganization);

let ipCounter = 10;
const nextIp = () => `198.51.100.${(ipCounter += 1)}`;

/** Writes one (its entry counts: for the create cases themselves). */
async function makeIndicator(): Promise<{ id: string; version: number; value: string }> {
  const result = await createIndicator(
    responder,
    incidentId,
    CreateIndicatorSchema.parse({ type: "ipv4", value: nextIp() }),
    { requestId: null },
  );
  return result.body as { id: string; version: number; value: string };
}

const newIndicator = () => setUp(makeIndicator);

/** Writes one (its entry counts: for the create cases themselves). */
async function makeFinding(): Promise<{ id: string; version: number }> {
  const result = await createFinding(
    responder,
    incidentId,
    CreateFindingSchema.parse({
      title: `Finding ${run}`,
      body: "Because.",
      severity: "low",
      confidence: "low",
    }),
    { requestId: null },
  );
  return result.body as { id: string; version: number };
}

const newFinding = () => setUp(makeFinding);

/** An organization moved to `notified`, so its agency user may acknowledge. */
async function notifiedOrganization(): Promise<{ id: string; version: number; agency: Actor }> {
  const organization = await newOrganization();
  await setUp(() =>
    recordNotificationMove(
      responder,
      incidentId,
      organization.id,
      NotificationMoveSchema.parse({
        to: "notified",
        at: new Date(Date.now() - 3_600_000).toISOString(),
        channel: "email",
        version: organization.version,
      }),
      { requestId: null },
    ),
  );
  return {
    id: organization.id,
    version: organization.version + 1,
    agency: await makeUser("agency", organization.id),
  };
}

async function lastAuditId(): Promise<bigint> {
  const last = await db().auditEntry.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
  return last?.id ?? 0n;
}

const entriesAfter = (id: bigint) =>
  db().auditEntry.findMany({ where: { id: { gt: id } }, orderBy: { id: "asc" } });

/** Postgres's id of the transaction that last wrote a row. */
async function writerOf(table: string, id: string | bigint): Promise<string | null> {
  const rows = await db().$queryRawUnsafe<{ xmin: string }[]>(
    `SELECT xmin::text AS xmin FROM "${table}" WHERE id::text = $1`,
    String(id),
  );
  return rows[0]?.xmin ?? null;
}

// ---------------------------------------------------------------- the cases

interface Written {
  action: string;
  entityType: string;
  /** Omitted when the command makes the id up (an import's). */
  entityId?: string;
  incidentId: string | null;
  actorId: string | null;
  /** A row the same transaction wrote (table and id), compared by xmin; omitted for deletions. */
  row?: { table: string; id: string };
}

interface Failure {
  why: string;
  status: number;
  attempt: () => Promise<unknown>;
}

interface Case {
  /** Runs the mutation once, successfully, and says what it must have written. */
  succeed: () => Promise<Written>;
  failures: Failure[];
  /** How many entries a success writes, when not one (a bulk request: one per move that succeeded). */
  entries?: number;
}

const staleEvent = async (attempt: (event: { id: string; version: number }) => Promise<unknown>) =>
  attempt(await newEvent());

const CASES: Record<string, Case> = {
  // ------------------------------------------------ timeline
  "lib/domain/timeline/commands.ts#createTimelineEvent": {
    succeed: async () => {
      const result = await createTimelineEvent(responder, incidentId, eventInput(), { requestId: "r" });
      const id = (result.body as { id: string }).id;
      return {
        action: "event.create",
        entityType: "event",
        entityId: id,
        incidentId,
        actorId: responder.userId,
        row: { table: "timeline_event", id },
      };
    },
    failures: [
      {
        why: "a link to an unknown organization (422)",
        status: 422,
        attempt: () =>
          createTimelineEvent(responder, incidentId, eventInput({ organizationIds: [UNKNOWN_ORG] }), {
            requestId: null,
          }),
      },
      {
        why: "an agency user (403)",
        status: 403,
        attempt: () => createTimelineEvent(agencyState, incidentId, eventInput(), { requestId: null }),
      },
    ],
  },
  "lib/domain/timeline/commands.ts#createTimelineEventInTransaction": {
    succeed: async () => {
      const result = await db().$transaction((tx) =>
        createTimelineEventInTransaction(tx, responder, incidentId, eventInput(), null),
      );
      return {
        action: "event.create",
        entityType: "event",
        entityId: result.body.id,
        incidentId,
        actorId: responder.userId,
        row: { table: "timeline_event", id: result.body.id },
      };
    },
    failures: [
      {
        why: "the caller's transaction rolls back after it (the entry goes with the event)",
        status: 418,
        attempt: () =>
          db().$transaction(async (tx) => {
            await createTimelineEventInTransaction(tx, responder, incidentId, eventInput(), null);
            throw new AppError("rolled_back", "The caller failed after the create.", 418);
          }),
      },
    ],
  },
  "lib/domain/timeline/commands.ts#updateTimelineEvent": {
    succeed: async () => {
      const event = await newEvent();
      await updateTimelineEvent(
        responder,
        incidentId,
        event.id,
        UpdateEventSchema.parse({ title: `Renamed ${run}`, version: event.version }),
        { requestId: "r" },
      );
      return {
        action: "event.update",
        entityType: "event",
        entityId: event.id,
        incidentId,
        actorId: responder.userId,
        row: { table: "timeline_event", id: event.id },
      };
    },
    failures: [
      {
        why: "a stale version (409)",
        status: 409,
        attempt: () =>
          staleEvent((e) =>
            updateTimelineEvent(
              responder,
              incidentId,
              e.id,
              UpdateEventSchema.parse({ title: "x", version: e.version + 5 }),
              { requestId: null },
            ),
          ),
      },
      {
        why: "a link to an unknown organization (422)",
        status: 422,
        attempt: () =>
          staleEvent((e) =>
            updateTimelineEvent(
              responder,
              incidentId,
              e.id,
              UpdateEventSchema.parse({ organizationIds: [UNKNOWN_ORG], version: e.version }),
              { requestId: null },
            ),
          ),
      },
      {
        why: "an unknown event (404)",
        status: 404,
        attempt: () =>
          updateTimelineEvent(
            responder,
            incidentId,
            randomUUID(),
            UpdateEventSchema.parse({ title: "x", version: 1 }),
            { requestId: null },
          ),
      },
    ],
  },
  "lib/domain/timeline/commands.ts#updateTimelineEventInTransaction": {
    succeed: async () => {
      const event = await newEvent();
      await db().$transaction((tx) =>
        updateTimelineEventInTransaction(
          tx,
          responder,
          incidentId,
          event.id,
          UpdateEventSchema.parse({ title: `In tx ${run}`, version: event.version }),
          null,
        ),
      );
      return {
        action: "event.update",
        entityType: "event",
        entityId: event.id,
        incidentId,
        actorId: responder.userId,
        row: { table: "timeline_event", id: event.id },
      };
    },
    failures: [
      {
        why: "a stale version (409)",
        status: 409,
        attempt: () =>
          staleEvent((e) =>
            db().$transaction((tx) =>
              updateTimelineEventInTransaction(
                tx,
                responder,
                incidentId,
                e.id,
                UpdateEventSchema.parse({ title: "x", version: e.version + 1 }),
                null,
              ),
            ),
          ),
      },
    ],
  },
  "lib/domain/timeline/commands.ts#deleteTimelineEvent": {
    succeed: async () => {
      const event = await newEvent();
      await deleteTimelineEvent(responder, incidentId, event.id, { requestId: "r", version: event.version });
      expect(await db().timelineEvent.findUnique({ where: { id: event.id } })).toBeNull();
      return {
        action: "event.delete",
        entityType: "event",
        entityId: event.id,
        incidentId,
        actorId: responder.userId,
      };
    },
    failures: [
      {
        why: "a stale version (409)",
        status: 409,
        attempt: () =>
          staleEvent((e) =>
            deleteTimelineEvent(responder, incidentId, e.id, { requestId: null, version: e.version + 1 }),
          ),
      },
      {
        why: "an unknown event (404)",
        status: 404,
        attempt: () => deleteTimelineEvent(responder, incidentId, randomUUID(), { requestId: null }),
      },
    ],
  },
  "lib/domain/timeline/commands.ts#deleteTimelineEventInTransaction": {
    succeed: async () => {
      const event = await newEvent();
      await db().$transaction((tx) =>
        deleteTimelineEventInTransaction(tx, responder, incidentId, event.id, event.version, null),
      );
      return {
        action: "event.delete",
        entityType: "event",
        entityId: event.id,
        incidentId,
        actorId: responder.userId,
      };
    },
    failures: [
      {
        why: "the caller's transaction rolls back after it (the event and the entry stay as they were)",
        status: 418,
        attempt: () =>
          staleEvent((e) =>
            db().$transaction(async (tx) => {
              await deleteTimelineEventInTransaction(tx, responder, incidentId, e.id, e.version, null);
              throw new AppError("rolled_back", "The caller failed after the delete.", 418);
            }),
          ),
      },
    ],
  },

  // ------------------------------------------------ organizations
  "lib/domain/organizations/commands.ts#createOrganization": {
    succeed: async () => {
      const organization = await makeOrganization();
      return {
        action: "organization.create",
        entityType: "organization",
        entityId: organization.id,
        incidentId,
        actorId: responder.userId,
        row: { table: "affected_organization", id: organization.id },
      };
    },
    failures: [
      {
        why: "a name the incident already has (409)",
        status: 409,
        attempt: async () => {
          const existing = await newOrganization();
          return createOrganization(
            responder,
            incidentId,
            CreateOrganizationSchema.parse({
              name: existing.name.toUpperCase(),
              kind: "government",
              country: "US",
            }),
            { requestId: null },
          );
        },
      },
    ],
  },
  "lib/domain/organizations/commands.ts#updateOrganization": {
    succeed: async () => {
      const organization = await newOrganization();
      await updateOrganization(
        responder,
        incidentId,
        organization.id,
        UpdateOrganizationSchema.parse({ sector: "Energy", version: organization.version }),
        { requestId: "r" },
      );
      return {
        action: "organization.update",
        entityType: "organization",
        entityId: organization.id,
        incidentId,
        actorId: responder.userId,
        row: { table: "affected_organization", id: organization.id },
      };
    },
    failures: [
      {
        why: "a stale version (409)",
        status: 409,
        attempt: async () => {
          const o = await newOrganization();
          return updateOrganization(
            responder,
            incidentId,
            o.id,
            UpdateOrganizationSchema.parse({ sector: "x", version: o.version + 1 }),
            { requestId: null },
          );
        },
      },
      {
        why: "deriving access from a timeline without adversary events (422)",
        status: 422,
        attempt: async () => {
          const o = await newOrganization();
          return updateOrganization(
            responder,
            incidentId,
            o.id,
            UpdateOrganizationSchema.parse({ deriveAccessFromTimeline: true, version: o.version }),
            { requestId: null },
          );
        },
      },
    ],
  },
  "lib/domain/organizations/commands.ts#recordNotificationMove": {
    succeed: async () => {
      const o = await newOrganization();
      await recordNotificationMove(
        responder,
        incidentId,
        o.id,
        NotificationMoveSchema.parse({
          to: "notified",
          at: new Date(Date.now() - 60_000).toISOString(),
          channel: "email",
          version: o.version,
        }),
        { requestId: "r" },
      );
      return {
        action: "notification.move",
        entityType: "organization",
        entityId: o.id,
        incidentId,
        actorId: responder.userId,
        row: { table: "affected_organization", id: o.id },
      };
    },
    failures: [
      {
        why: "a move the state machine does not allow (422)",
        status: 422,
        attempt: async () => {
          const o = await newOrganization();
          return recordNotificationMove(
            responder,
            incidentId,
            o.id,
            NotificationMoveSchema.parse({ to: "closed", at: new Date().toISOString(), version: o.version }),
            { requestId: null },
          );
        },
      },
      {
        why: "a stale version (409)",
        status: 409,
        attempt: async () => {
          const o = await newOrganization();
          return recordNotificationMove(
            responder,
            incidentId,
            o.id,
            NotificationMoveSchema.parse({
              to: "notified",
              at: new Date().toISOString(),
              version: o.version + 1,
            }),
            { requestId: null },
          );
        },
      },
    ],
  },
  "lib/domain/organizations/commands.ts#recordNotificationMoveInTransaction": {
    succeed: async () => {
      const o = await newOrganization();
      const move = NotificationMoveSchema.parse({
        to: "notified",
        at: new Date(Date.now() - 60_000).toISOString(),
        version: o.version,
      });
      await db().$transaction((tx) =>
        recordNotificationMoveInTransaction(tx, responder, incidentId, o.id, move, {
          requestId: null,
          now: new Date(),
          as: "staff",
        }),
      );
      return {
        action: "notification.move",
        entityType: "organization",
        entityId: o.id,
        incidentId,
        actorId: responder.userId,
        row: { table: "affected_organization", id: o.id },
      };
    },
    failures: [
      {
        why: "an agency user moving another organization (404)",
        status: 404,
        attempt: async () => {
          const o = await newOrganization();
          const move = NotificationMoveSchema.parse({
            to: "acknowledged",
            at: new Date().toISOString(),
            version: o.version,
          });
          return db().$transaction((tx) =>
            recordNotificationMoveInTransaction(tx, agencyState, incidentId, o.id, move, {
              requestId: null,
              now: new Date(),
              as: "agency",
            }),
          );
        },
      },
    ],
  },
  "lib/domain/organizations/commands.ts#recordNotificationMoves": {
    // Two entries: one succeeds (one entry), one is stale (none). Each runs in its own transaction.
    entries: 1,
    succeed: async () => {
      const [good, stale] = [await newOrganization(), await newOrganization()];
      const at = new Date(Date.now() - 60_000).toISOString();
      const result = await recordNotificationMoves(
        responder,
        incidentId,
        BulkNotificationSchema.parse({
          moves: [
            { organizationId: good.id, to: "notified", at, version: good.version },
            { organizationId: stale.id, to: "notified", at, version: stale.version + 3 },
          ],
        }),
        { requestId: "r" },
      );
      expect((result.body as { results: { status: number }[] }).results.map((r) => r.status)).toEqual([
        200, 409,
      ]);
      return {
        action: "notification.move",
        entityType: "organization",
        entityId: good.id,
        incidentId,
        actorId: responder.userId,
        row: { table: "affected_organization", id: good.id },
      };
    },
    failures: [
      {
        why: "an agency user (403)",
        status: 403,
        attempt: () =>
          recordNotificationMoves(
            agencyState,
            incidentId,
            BulkNotificationSchema.parse({
              moves: [
                { organizationId: stateOrgId, to: "notified", at: new Date().toISOString(), version: 1 },
              ],
            }),
            { requestId: null },
          ),
      },
    ],
  },
  "lib/domain/organizations/commands.ts#updateNotificationRegime": {
    succeed: async () => {
      const incident = await db().incident.findUniqueOrThrow({
        where: { id: incidentId },
        select: { version: true },
      });
      await updateNotificationRegime(
        responder,
        incidentId,
        NotificationRegimeSchema.parse({ hours: 96, version: incident.version }),
        { requestId: "r" },
      );
      return {
        action: "incident.regime",
        entityType: "incident",
        entityId: incidentId,
        incidentId,
        actorId: responder.userId,
        row: { table: "incident", id: incidentId },
      };
    },
    failures: [
      {
        why: "a stale version (409)",
        status: 409,
        attempt: () =>
          updateNotificationRegime(
            responder,
            incidentId,
            NotificationRegimeSchema.parse({ hours: 24, version: 999_999 }),
            { requestId: null },
          ),
      },
    ],
  },

  // ------------------------------------------------ agency portal
  "lib/domain/portal/commands.ts#acknowledgeNotification": {
    succeed: async () => {
      const o = await notifiedOrganization();
      await acknowledgeNotification(o.agency, { note: null, version: o.version }, { requestId: "r" });
      return {
        action: "notification.move",
        entityType: "organization",
        entityId: o.id,
        incidentId,
        actorId: o.agency.userId,
        row: { table: "affected_organization", id: o.id },
      };
    },
    failures: [
      {
        why: "a stale version (409)",
        status: 409,
        attempt: async () => {
          const o = await notifiedOrganization();
          return acknowledgeNotification(
            o.agency,
            { note: null, version: o.version + 1 },
            { requestId: null },
          );
        },
      },
    ],
  },
  "lib/domain/portal/commands.ts#confirmRemediation": {
    succeed: async () => {
      const o = await notifiedOrganization();
      await setUp(() =>
        acknowledgeNotification(o.agency, { note: null, version: o.version }, { requestId: null }),
      );
      await confirmRemediation(
        o.agency,
        { note: "Keys rotated.", version: o.version + 1 },
        { requestId: "r" },
      );
      return {
        action: "notification.move",
        entityType: "organization",
        entityId: o.id,
        incidentId,
        actorId: o.agency.userId,
        row: { table: "affected_organization", id: o.id },
      };
    },
    failures: [
      {
        why: "remediated before acknowledged (422)",
        status: 422,
        attempt: async () => {
          const o = await notifiedOrganization();
          return confirmRemediation(o.agency, { note: null, version: o.version }, { requestId: null });
        },
      },
    ],
  },
  "lib/domain/portal/commands.ts#recordPortalNotification": {
    succeed: async () => {
      const o = await notifiedOrganization();
      await recordPortalNotification(
        o.agency,
        PortalNotificationSchema.parse({ to: "acknowledged", version: o.version }),
        { requestId: "r" },
      );
      return {
        action: "notification.move",
        entityType: "organization",
        entityId: o.id,
        incidentId,
        actorId: o.agency.userId,
        row: { table: "affected_organization", id: o.id },
      };
    },
    failures: [
      {
        why: "a staff user (403)",
        status: 403,
        attempt: () =>
          recordPortalNotification(
            responder,
            PortalNotificationSchema.parse({ to: "acknowledged", version: 1 }),
            { requestId: null },
          ),
      },
    ],
  },

  // ------------------------------------------------ indicators
  "lib/domain/indicators/commands.ts#createIndicator": {
    succeed: async () => {
      const indicator = await makeIndicator();
      return {
        action: "indicator.create",
        entityType: "indicator",
        entityId: indicator.id,
        incidentId,
        actorId: responder.userId,
        row: { table: "indicator", id: indicator.id },
      };
    },
    failures: [
      {
        why: "a link to an unknown organization (422)",
        status: 422,
        attempt: () =>
          createIndicator(
            responder,
            incidentId,
            CreateIndicatorSchema.parse({ type: "ipv4", value: nextIp(), organizationIds: [UNKNOWN_ORG] }),
            { requestId: null },
          ),
      },
      {
        why: "a re-add that changes nothing (200, nothing written)",
        status: 200,
        attempt: async () => {
          const existing = await newIndicator();
          return createIndicator(
            responder,
            incidentId,
            CreateIndicatorSchema.parse({ type: "ipv4", value: existing.value }),
            { requestId: null },
          );
        },
      },
    ],
  },
  "lib/domain/indicators/commands.ts#createIndicator (re-add that widens: indicator.merge)": {
    succeed: async () => {
      const existing = await newIndicator();
      await createIndicator(
        responder,
        incidentId,
        CreateIndicatorSchema.parse({
          type: "ipv4",
          value: existing.value,
          firstSeenAt: "2023-05-15T00:00:00Z",
        }),
        { requestId: "r" },
      );
      return {
        action: "indicator.merge",
        entityType: "indicator",
        entityId: existing.id,
        incidentId,
        actorId: responder.userId,
        row: { table: "indicator", id: existing.id },
      };
    },
    failures: [],
  },
  "lib/domain/indicators/commands.ts#updateIndicator": {
    succeed: async () => {
      const indicator = await newIndicator();
      await updateIndicator(
        responder,
        incidentId,
        indicator.id,
        UpdateIndicatorSchema.parse({ description: "C2 relay", version: indicator.version }),
        { requestId: "r" },
      );
      return {
        action: "indicator.update",
        entityType: "indicator",
        entityId: indicator.id,
        incidentId,
        actorId: responder.userId,
        row: { table: "indicator", id: indicator.id },
      };
    },
    failures: [
      {
        why: "a stale version (409)",
        status: 409,
        attempt: async () => {
          const i = await newIndicator();
          return updateIndicator(
            responder,
            incidentId,
            i.id,
            UpdateIndicatorSchema.parse({ description: "x", version: i.version + 1 }),
            { requestId: null },
          );
        },
      },
      {
        why: "the value of another indicator (409)",
        status: 409,
        attempt: async () => {
          const [a, b] = [await newIndicator(), await newIndicator()];
          return updateIndicator(
            responder,
            incidentId,
            a.id,
            UpdateIndicatorSchema.parse({ type: "ipv4", value: b.value, version: a.version }),
            { requestId: null },
          );
        },
      },
      {
        why: "last seen before first seen (422)",
        status: 422,
        attempt: async () => {
          const i = await newIndicator();
          await setUp(() =>
            updateIndicator(
              responder,
              incidentId,
              i.id,
              UpdateIndicatorSchema.parse({ firstSeenAt: "2023-06-01T00:00:00Z", version: i.version }),
              { requestId: null },
            ),
          );
          return updateIndicator(
            responder,
            incidentId,
            i.id,
            UpdateIndicatorSchema.parse({ lastSeenAt: "2023-05-01T00:00:00Z", version: i.version + 1 }),
            { requestId: null },
          );
        },
      },
    ],
  },
  "lib/domain/indicators/commands.ts#deleteIndicator": {
    succeed: async () => {
      const indicator = await newIndicator();
      await deleteIndicator(responder, incidentId, indicator.id, {
        requestId: "r",
        version: indicator.version,
      });
      expect(await db().indicator.findUnique({ where: { id: indicator.id } })).toBeNull();
      return {
        action: "indicator.delete",
        entityType: "indicator",
        entityId: indicator.id,
        incidentId,
        actorId: responder.userId,
      };
    },
    failures: [
      {
        why: "a stale version (409)",
        status: 409,
        attempt: async () => {
          const i = await newIndicator();
          return deleteIndicator(responder, incidentId, i.id, { requestId: null, version: i.version + 1 });
        },
      },
    ],
  },
  "lib/domain/indicators/commands.ts#reportSighting": {
    succeed: async () => {
      const indicator = await newIndicator();
      const result = await reportSighting(
        responder,
        incidentId,
        indicator.id,
        CreateSightingSchema.parse({ seenAt: "2023-06-20T10:00:00Z", organizationId: stateOrgId }),
        { requestId: "r" },
      );
      const id = (result.body as { id: string }).id;
      return {
        action: "sighting.create",
        entityType: "sighting",
        entityId: id,
        incidentId,
        actorId: responder.userId,
        row: { table: "sighting", id },
      };
    },
    failures: [
      {
        why: "staff without naming the organization (422)",
        status: 422,
        attempt: async () => {
          const i = await newIndicator();
          return reportSighting(
            responder,
            incidentId,
            i.id,
            CreateSightingSchema.parse({ seenAt: "2023-06-20T10:00:00Z" }),
            { requestId: null },
          );
        },
      },
      {
        why: "an agency user naming another organization (404)",
        status: 404,
        attempt: async () => {
          const i = await newIndicator();
          return reportSighting(
            agencyState,
            incidentId,
            i.id,
            CreateSightingSchema.parse({ seenAt: "2023-06-20T10:00:00Z", organizationId: commerceOrgId }),
            { requestId: null },
          );
        },
      },
    ],
  },
  "lib/domain/indicators/import.ts#importIndicators": {
    succeed: async () => {
      const value = nextIp();
      await importIndicators(responder, incidentId, lines(`${value}\n${nextIp()}\nnot an indicator\n`), {
        format: "text",
        dryRun: false,
        requestId: "r",
      });
      const row = await db().indicator.findFirstOrThrow({
        where: { incidentId, normalizedValue: value },
        select: { id: true },
      });
      return {
        action: "indicator.import",
        entityType: "import",
        incidentId,
        actorId: responder.userId,
        row: { table: "indicator", id: row.id },
      };
    },
    failures: [
      {
        why: "a dry run (200, nothing written)",
        status: 200,
        attempt: () =>
          importIndicators(responder, incidentId, lines(`${nextIp()}\n`), {
            format: "text",
            dryRun: true,
            requestId: null,
          }),
      },
      {
        why: "a file that is not a STIX bundle (422)",
        status: 422,
        attempt: () =>
          importIndicators(responder, incidentId, lines(`{"type":"nonsense"}`), {
            format: "stix",
            dryRun: false,
            requestId: null,
          }),
      },
      {
        why: "an executive (403)",
        status: 403,
        attempt: async () =>
          importIndicators({ ...responder, role: "executive" }, incidentId, lines("192.0.2.9\n"), {
            format: "text",
            dryRun: false,
            requestId: null,
          }),
      },
    ],
  },

  // ------------------------------------------------ findings
  "lib/domain/findings/commands.ts#createFinding": {
    succeed: async () => {
      const finding = await makeFinding();
      return {
        action: "finding.create",
        entityType: "finding",
        entityId: finding.id,
        incidentId,
        actorId: responder.userId,
        row: { table: "finding", id: finding.id },
      };
    },
    failures: [
      {
        why: "a link to an unknown organization (422)",
        status: 422,
        attempt: () =>
          createFinding(
            responder,
            incidentId,
            CreateFindingSchema.parse({
              title: "x",
              body: "y",
              severity: "low",
              confidence: "low",
              organizationIds: [UNKNOWN_ORG],
            }),
            { requestId: null },
          ),
      },
    ],
  },
  "lib/domain/findings/commands.ts#updateFinding": {
    succeed: async () => {
      const finding = await newFinding();
      await updateFinding(
        responder,
        incidentId,
        finding.id,
        UpdateFindingSchema.parse({ status: "confirmed", version: finding.version }),
        { requestId: "r" },
      );
      return {
        action: "finding.update",
        entityType: "finding",
        entityId: finding.id,
        incidentId,
        actorId: responder.userId,
        row: { table: "finding", id: finding.id },
      };
    },
    failures: [
      {
        why: "a stale version (409)",
        status: 409,
        attempt: async () => {
          const f = await newFinding();
          return updateFinding(
            responder,
            incidentId,
            f.id,
            UpdateFindingSchema.parse({ title: "x", version: f.version + 1 }),
            { requestId: null },
          );
        },
      },
    ],
  },

  // ------------------------------------------------ users
  "lib/domain/users/commands.ts#createUser": {
    succeed: async () => {
      const user = await db().$transaction((tx) =>
        createUser(
          tx,
          {
            email: `new-${randomUUID().slice(0, 8)}@every-mutation.example`,
            name: "New Agency User",
            role: "agency",
            organizationId: stateOrgId,
            password: strongPassword(),
          },
          { actorId: admin.userId, actorLabel: "admin" },
        ),
      );
      return {
        action: "user.create",
        entityType: "user",
        entityId: user.id,
        incidentId,
        actorId: admin.userId,
        row: { table: "app_user", id: user.id },
      };
    },
    failures: [
      {
        why: "an email already taken (409)",
        status: 409,
        attempt: () =>
          db().$transaction((tx) =>
            createUser(
              tx,
              { email: responder.email, name: "Again", role: "responder", password: strongPassword() },
              { actorId: admin.userId, actorLabel: "admin" },
            ),
          ),
      },
      {
        why: "an agency user without an organization (422)",
        status: 422,
        attempt: () =>
          db().$transaction((tx) =>
            createUser(
              tx,
              {
                email: `x-${run}@every-mutation.example`,
                name: "X",
                role: "agency",
                password: strongPassword(),
              },
              { actorId: admin.userId, actorLabel: "admin" },
            ),
          ),
      },
    ],
  },
  "lib/domain/users/commands.ts#createUserInNewTransaction": {
    succeed: async () => {
      const user = await createUserInNewTransaction(requireDatabaseUrl(), {
        email: `cli-${randomUUID().slice(0, 8)}@every-mutation.example`,
        name: "CLI Admin",
        role: "admin",
        password: strongPassword(),
      });
      return {
        action: "user.create",
        entityType: "user",
        entityId: user.id,
        incidentId: null,
        actorId: null,
        row: { table: "app_user", id: user.id },
      };
    },
    failures: [
      {
        why: "an email already taken (409)",
        status: 409,
        attempt: () =>
          createUserInNewTransaction(requireDatabaseUrl(), {
            email: admin.email,
            name: "Again",
            role: "admin",
            password: strongPassword(),
          }),
      },
    ],
  },

  // ------------------------------------------------ user administration and one's own password
  "lib/domain/users/admin-commands.ts#createUserAsAdmin": {
    succeed: async () => {
      const user = await makeAgencyUser();
      return {
        action: "user.create",
        entityType: "user",
        entityId: user.id,
        incidentId,
        actorId: admin.userId,
        row: { table: "app_user", id: user.id },
      };
    },
    failures: [
      {
        why: "a responder (403)",
        status: 403,
        attempt: () => createUserAsAdmin(responder, userRequest(), { requestId: null }),
      },
      {
        why: "an email already taken (409)",
        status: 409,
        attempt: () => createUserAsAdmin(admin, userRequest({ email: responder.email }), { requestId: null }),
      },
    ],
  },
  "lib/domain/users/admin-commands.ts#updateUser": {
    succeed: async () => {
      const user = await newAgencyUser();
      await updateUser(
        admin,
        user.id,
        UpdateUserSchema.parse({ name: "Renamed Agency User", updatedAt: await updatedAtOf(user.id) }),
        { requestId: "r" },
      );
      return {
        action: "user.update",
        entityType: "user",
        entityId: user.id,
        incidentId,
        actorId: admin.userId,
        row: { table: "app_user", id: user.id },
      };
    },
    failures: [
      {
        why: "a stale updatedAt (409)",
        status: 409,
        attempt: async () => {
          const user = await newAgencyUser();
          return updateUser(
            admin,
            user.id,
            UpdateUserSchema.parse({ name: "x", updatedAt: "2020-01-01T00:00:00.000Z" }),
            { requestId: null },
          );
        },
      },
      {
        why: "an admin disabling themself (409)",
        status: 409,
        attempt: async () =>
          updateUser(
            admin,
            admin.userId,
            UpdateUserSchema.parse({ disabled: true, updatedAt: await updatedAtOf(admin.userId) }),
            { requestId: null },
          ),
      },
      {
        why: "a change that changes nothing (200, nothing written)",
        status: 200,
        attempt: async () => {
          const user = await newAgencyUser();
          return updateUser(
            admin,
            user.id,
            UpdateUserSchema.parse({ name: user.name, updatedAt: await updatedAtOf(user.id) }),
            { requestId: null },
          );
        },
      },
    ],
  },
  "lib/domain/users/admin-commands.ts#updateUser (disable: user.disable)": {
    succeed: async () => {
      const user = await newAgencyUser();
      await updateUser(
        admin,
        user.id,
        UpdateUserSchema.parse({ disabled: true, updatedAt: await updatedAtOf(user.id) }),
        { requestId: "r" },
      );
      return {
        action: "user.disable",
        entityType: "user",
        entityId: user.id,
        incidentId,
        actorId: admin.userId,
        row: { table: "app_user", id: user.id },
      };
    },
    failures: [],
  },
  "lib/domain/users/admin-commands.ts#resetUserPassword": {
    succeed: async () => {
      const user = await newAgencyUser();
      await resetUserPassword(admin, user.id, PasswordResetSchema.parse({ generate: true }), {
        requestId: "r",
      });
      return {
        action: "user.password_reset",
        entityType: "user",
        entityId: user.id,
        incidentId,
        actorId: admin.userId,
        row: { table: "app_user", id: user.id },
      };
    },
    failures: [
      {
        why: "an admin resetting their own password (409)",
        status: 409,
        attempt: () =>
          resetUserPassword(admin, admin.userId, PasswordResetSchema.parse({ generate: true }), {
            requestId: null,
          }),
      },
    ],
  },
  "lib/domain/users/admin-commands.ts#changeOwnPassword": {
    succeed: async () => {
      const password = strongPassword();
      const user = await newAgencyUser(password);
      const self: Actor = {
        userId: user.id,
        email: user.email,
        name: user.name,
        role: "agency",
        organizationId: stateOrgId,
        readOnly: false,
      };
      const next = strongPassword();
      await changeOwnPassword(
        self,
        ChangeOwnPasswordSchema.parse({
          currentPassword: password,
          newPassword: next,
          confirmPassword: next,
        }),
        { requestId: "r", ip: "192.0.2.10" },
      );
      return {
        action: "user.password_change",
        entityType: "user",
        entityId: user.id,
        incidentId,
        actorId: user.id,
        row: { table: "app_user", id: user.id },
      };
    },
    failures: [
      {
        why: "a wrong current password (422)",
        status: 422,
        attempt: async () => {
          const user = await newAgencyUser();
          const self: Actor = {
            userId: user.id,
            email: user.email,
            name: user.name,
            role: "agency",
            organizationId: stateOrgId,
            readOnly: false,
          };
          const next = strongPassword();
          return changeOwnPassword(
            self,
            ChangeOwnPasswordSchema.parse({
              currentPassword: "not-the-password-at-all",
              newPassword: next,
              confirmPassword: next,
            }),
            { requestId: null, ip: "192.0.2.11" },
          );
        },
      },
    ],
  },

  // ------------------------------------------------ API tokens
  "lib/domain/tokens/commands.ts#createApiToken": {
    succeed: async () => {
      const token = await makeToken();
      return {
        action: "api_token.create",
        entityType: "api_token",
        entityId: token.id,
        incidentId: null,
        actorId: responder.userId,
        row: { table: "api_token", id: token.id },
      };
    },
    failures: [
      {
        why: "a name already used by an active token (409)",
        status: 409,
        attempt: async () => {
          const token = await setUp(makeToken);
          return createApiToken(responder, CreateApiTokenSchema.parse({ name: token.name }), {
            requestId: null,
          });
        },
      },
      {
        why: "a writable token for an executive (422)",
        status: 422,
        attempt: () =>
          createApiToken(
            { ...responder, role: "executive" },
            CreateApiTokenSchema.parse({ name: `exec ${randomUUID()}`, readOnly: false }),
            { requestId: null },
          ),
      },
    ],
  },
  "lib/domain/tokens/commands.ts#revokeApiToken": {
    succeed: async () => {
      const token = await setUp(makeToken);
      await revokeApiToken(responder, token.id, { requestId: "r" });
      return {
        action: "api_token.revoke",
        entityType: "api_token",
        entityId: token.id,
        incidentId: null,
        actorId: responder.userId,
        row: { table: "api_token", id: token.id },
      };
    },
    failures: [
      {
        why: "someone else's token (404)",
        status: 404,
        attempt: async () => {
          const token = await setUp(makeToken);
          return revokeApiToken(admin, token.id, { requestId: null });
        },
      },
      {
        why: "a token already revoked (200, nothing written)",
        status: 200,
        attempt: async () => {
          const token = await setUp(makeToken);
          await setUp(() => revokeApiToken(responder, token.id, { requestId: null }));
          return revokeApiToken(responder, token.id, { requestId: null });
        },
      },
    ],
  },
};

function strongPassword(): string {
  return `Quartz-${randomUUID()}-Harbor`;
}

function userRequest(overrides: Record<string, unknown> = {}) {
  return CreateUserRequestSchema.parse({
    email: `agency-${randomUUID().slice(0, 8)}@every-mutation.example`,
    name: "Agency User",
    role: "agency",
    organizationId: stateOrgId,
    password: strongPassword(),
    mustChangePassword: false,
    ...overrides,
  });
}

/** An agency user of State's, created by the admin (its entry counts: for the create case itself). */
async function makeAgencyUser(
  password = strongPassword(),
): Promise<{ id: string; email: string; name: string }> {
  const result = await createUserAsAdmin(admin, userRequest({ password }), { requestId: "r" });
  return result.body as { id: string; email: string; name: string };
}

const newAgencyUser = (password?: string) => setUp(() => makeAgencyUser(password));

async function updatedAtOf(userId: string): Promise<string> {
  const user = await db().user.findUniqueOrThrow({ where: { id: userId }, select: { updatedAt: true } });
  return user.updatedAt.toISOString();
}

async function makeToken(): Promise<{ id: string; name: string }> {
  const result = await createApiToken(
    responder,
    CreateApiTokenSchema.parse({ name: `token ${randomUUID().slice(0, 8)}` }),
    { requestId: "r" },
  );
  return result.body as { id: string; name: string };
}

async function* lines(text: string): AsyncGenerator<string> {
  yield text;
}

// ---------------------------------------------------------------- the tests

beforeAll(async () => {
  const incident = await db().incident.create({
    data: { slug: `every-mutation-${run}`, name: "Every mutation", publicSummary: "Test." },
  });
  incidentId = incident.id;
  responder = await makeUser("responder");
  admin = await makeUser("admin");
  // The incident's first event: moves may not be dated before it.
  await db().timelineEvent.create({
    data: {
      incidentId,
      occurredAt: new Date("2023-05-15T00:00:00Z"),
      precision: "day",
      lane: "adversary",
      phase: "initial_access",
      title: "First activity",
      source: SOURCE,
      verification: "primary",
      tlp: "CLEAR",
    },
  });
  const [state, commerce] = [await newOrganization(), await newOrganization()];
  stateOrgId = state.id;
  commerceOrgId = commerce.id;
  agencyState = await makeUser("agency", stateOrgId);
});

afterAll(async () => {
  await db().$disconnect();
});

const caseFunction = (name: string) => name.split(" ")[0] as string;

describe("the list of mutations", () => {
  it("covers every exported function of every mutating module (or says why it is not a mutation)", async () => {
    const modules = mutatingModules();
    // The ones this file knows must be among them, so the discovery itself cannot silently break.
    expect(modules).toEqual(
      expect.arrayContaining(["lib/domain/timeline/commands.ts", "lib/domain/indicators/import.ts"]),
    );
    const exported: string[] = [];
    for (const file of modules) {
      const mod = (await import(path.join(ROOT, file))) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) {
        if (typeof value === "function") exported.push(`${file}#${name}`);
      }
    }
    const covered = new Set([...Object.keys(CASES).map(caseFunction), ...Object.keys(NOT_MUTATIONS)]);
    const missing = exported.filter((name) => !covered.has(name));
    expect(
      missing,
      `exported functions of mutating modules without a case in ${path.basename(import.meta.filename)}`,
    ).toEqual([]);
    // And nothing listed here has disappeared (a renamed command must be renamed here too).
    const stale = [...covered].filter((name) => !exported.includes(name));
    expect(stale, "listed functions that no longer exist").toEqual([]);
  });
});

describe("every mutation writes exactly one audit entry in its own transaction", () => {
  for (const [name, testCase] of Object.entries(CASES)) {
    it(`${name}: one entry on success`, async () => {
      const before = await lastAuditId();
      const expected = await testCase.succeed();
      const entries = await commandEntries(before);
      expect(
        entries.map((e) => e.action),
        `entries written by ${name}`,
      ).toHaveLength(testCase.entries ?? 1);
      const entry = entries.at(-1)!;
      expect({
        action: entry.action,
        entityType: entry.entityType,
        incidentId: entry.incidentId,
        actorId: entry.actorId,
        ...(expected.entityId ? { entityId: entry.entityId } : {}),
      }).toEqual({
        action: expected.action,
        entityType: expected.entityType,
        incidentId: expected.incidentId,
        actorId: expected.actorId,
        ...(expected.entityId ? { entityId: expected.entityId } : {}),
      });
      if (expected.row) {
        const [auditWriter, rowWriter] = await Promise.all([
          writerOf("audit_entry", entry.id),
          writerOf(expected.row.table, expected.row.id),
        ]);
        expect(rowWriter, `the ${expected.row.table} row exists`).not.toBeNull();
        expect(auditWriter, "the entry and the record were written by the same transaction").toBe(rowWriter);
      }
    });

    for (const failure of testCase.failures) {
      it(`${name}: no entry for ${failure.why}`, async () => {
        const before = await lastAuditId();
        let status = 200;
        try {
          await failure.attempt();
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          status = error.status;
        }
        expect(status, failure.why).toBe(failure.status);
        expect(
          (await commandEntries(before)).map((e) => e.action),
          failure.why,
        ).toEqual([]);
      });
    }
  }
});
