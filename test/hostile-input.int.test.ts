// Hostile input, in process: every mutating /api/v1 endpoint registered in e2e/route-matrix.ts gets
// generated hostile requests through its real route handler (only the cookie jar is stubbed: each
// request carries a real next-auth session cookie), on incidents of its own in the integration
// database. No answer may be 5xx or leak internals, errors keep the spec's shape, every success stored
// exactly what was sent (after the documented normalization) and nothing invalid, and no prototype of
// the server gets polluted. `npm test` sends DWELL_HOSTILE_RUNS (default 250) per endpoint to stay
// within its time budget; `npm run test:hostile` sends the full 1,000 per endpoint.
// e2e/hostile-input.spec.ts repeats a sample over HTTP and renders what was stored in Chromium.
import { randomUUID } from "node:crypto";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CellContext } from "../e2e/route-matrix.ts";
import { ROUTES } from "../e2e/route-matrix.ts";
import {
  endpointKey,
  hasValidShape,
  hostileCases,
  mutatingEndpoints,
  type HostileWorld,
} from "../e2e/hostile/endpoints.ts";
import {
  HostileFailure,
  runHostileCase,
  type Answer,
  type SentRequest,
  type Tally,
  type Transport,
} from "../e2e/hostile/runner.ts";

const session = vi.hoisted(() => {
  // One log line per request would bury the report; unhandled errors (level error) still print.
  process.env.DWELL_LOG_LEVEL = "error";
  process.env.NEXTAUTH_SECRET ??= "hostile-input-test-secret-0123456789abcdef";
  return { cookie: null as string | null };
});

// The one stand-in: the request's cookies. Each request carries a real next-auth session cookie (made
// with next-auth's own encoder), so the route handlers establish the actor exactly as in production.
vi.mock("next/headers", async (importOriginal) => {
  const original = await importOriginal<Record<string, unknown>>();
  const all = () =>
    session.cookie === null ? [] : [{ name: "next-auth.session-token", value: session.cookie }];
  return {
    ...original,
    cookies: async () => ({
      getAll: all,
      get: (name: string) => all().find((cookie) => cookie.name === name),
      has: (name: string) => all().some((cookie) => cookie.name === name),
    }),
  };
});

const { db } = await import("../lib/db/client.ts");
const { NextRequest } = await import("next/server");
const { encode } = await import("next-auth/jwt");

const RUNS = Number(process.env.DWELL_HOSTILE_RUNS ?? 250);
const root = path.resolve(import.meta.dirname, "..");
const run = randomUUID().slice(0, 8);

type Handler = (
  req: InstanceType<typeof NextRequest>,
  context: { params: Promise<Record<string, string | string[]>> },
) => Promise<Response>;

/** Every API route file as a matcher, most specific first (static segments beat dynamic ones, catch-alls last). */
const routeTable = [...new Set(ROUTES.filter((r) => r.kind === "api").map((r) => r.file))]
  .map((file) => {
    const segments = file
      .replace(/^app/, "")
      .replace(/\/route\.ts$/, "")
      .split("/")
      .filter(Boolean);
    const names: string[] = [];
    let rank = 0;
    const pattern = segments
      .map((segment) => {
        const catchAll = /^\[\.\.\.(\w+)\]$/.exec(segment);
        if (catchAll) {
          names.push(`...${catchAll[1]}`);
          rank += 100;
          return "/(.+)";
        }
        const dynamic = /^\[(\w+)\]$/.exec(segment);
        if (dynamic) {
          names.push(dynamic[1]!);
          rank += 1;
          return "/([^/]+)";
        }
        return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
      })
      .join("");
    return { file, names, rank, regex: new RegExp(`^${pattern}$`) };
  })
  .sort((a, b) => a.rank - b.rank);

const modules = new Map<string, Record<string, Handler>>();

async function handlerFor(pathname: string, method: string) {
  for (const route of routeTable) {
    const match = route.regex.exec(pathname);
    if (!match) continue;
    let routeModule = modules.get(route.file);
    if (!routeModule) {
      routeModule = (await import(/* @vite-ignore */ path.join(root, route.file))) as Record<string, Handler>;
      modules.set(route.file, routeModule);
    }
    const params: Record<string, string | string[]> = {};
    route.names.forEach((name, index) => {
      const value = match[index + 1]!;
      if (name.startsWith("...")) params[name.slice(3)] = value.split("/").map(decodeURIComponent);
      else params[name] = decodeURIComponent(value);
    });
    const handler = routeModule[method];
    return handler ? { handler, params } : null;
  }
  return null;
}

/** The session cookie of each principal. */
const cookies: Record<SentRequest["principal"], string | null> = { staff: null, agency: null };
const users: Record<SentRequest["principal"], string> = { staff: "", agency: "" };

async function sessionCookie(userId: string): Promise<string> {
  const user = await db().user.findUniqueOrThrow({ where: { id: userId } });
  const secret = process.env.NEXTAUTH_SECRET!;
  return encode({
    token: {
      sub: user.id,
      email: user.email,
      role: user.role,
      organizationId: user.organizationId,
      sessionVersion: user.sessionVersion,
    },
    secret,
  });
}

/** Calls the route handler Next.js would call, with the principal's actor in place of a session cookie. */
const transport: Transport = {
  async send(request): Promise<Answer> {
    const url = new URL(request.path, "http://127.0.0.1:3000");
    const found = await handlerFor(url.pathname, request.method);
    if (!found) throw new Error(`no route handler for ${request.method} ${url.pathname}`);
    session.cookie = cookies[request.principal];
    const req = new NextRequest(url, {
      method: request.method,
      headers: request.headers,
      body: request.body === undefined || request.method === "GET" ? undefined : (request.body as BodyInit),
    });
    const response = await found.handler(req, { params: Promise.resolve(found.params) });
    return {
      status: response.status,
      contentType: response.headers.get("content-type"),
      text: await response.text(),
    };
  },
  async prepare(target, world) {
    // The agency may only acknowledge a notice and confirm remediation; put its organization back
    // into a state it may move from, so portal moves keep being accepted.
    if (target !== "agencyOrganization") return;
    await db().affectedOrganization.updateMany({
      where: {
        id: world.agencyOrganization,
        notificationState: { notIn: ["notified", "delivered", "acknowledged"] },
      },
      data: { notificationState: "notified" },
    });
  },
};

async function apiCreate(path: string, body: unknown): Promise<string> {
  const answer = await transport.send({
    method: "POST",
    path,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    principal: "staff",
  });
  if (answer.status !== 201) throw new Error(`POST ${path} answered ${answer.status}: ${answer.text}`);
  return (JSON.parse(answer.text) as { id: string }).id;
}

let world: HostileWorld;
const tally: Tally = new Map();
/** Per generator: cases and milliseconds, for DWELL_HOSTILE_REPORT. */
const timings = new Map<string, [number, number]>();
const prototypeBaseline = {
  object: Object.getOwnPropertyNames(Object.prototype).sort().join(),
  array: Object.getOwnPropertyNames(Array.prototype).sort().join(),
  fn: Object.getOwnPropertyNames(Function.prototype).sort().join(),
};

/** Prototype pollution, observed directly: the server's own prototypes must be as they started. */
function pollution(): string | null {
  const probe = {} as Record<string, unknown>;
  if (probe.polluted !== undefined || probe.isAdmin !== undefined)
    return "Object.prototype gained polluted/isAdmin";
  if (Object.getOwnPropertyNames(Object.prototype).sort().join() !== prototypeBaseline.object)
    return "Object.prototype changed";
  if (Object.getOwnPropertyNames(Array.prototype).sort().join() !== prototypeBaseline.array)
    return "Array.prototype changed";
  if (Object.getOwnPropertyNames(Function.prototype).sort().join() !== prototypeBaseline.fn)
    return "Function.prototype changed";
  return null;
}

beforeAll(async () => {
  const incident = await db().incident.create({
    data: { slug: `hostile-${run}`, name: `Hostile input ${run}`, publicSummary: "Property test." },
  });
  // The agency's organization lives in an incident of its own, so the portal view it reads before
  // and after every move stays small while the main incident fills with hostile events.
  const portalIncident = await db().incident.create({
    data: { slug: `hostile-portal-${run}`, name: `Hostile portal ${run}`, publicSummary: "Property test." },
  });
  // An admin, so that admin-only endpoints (users, tokens) are reached too.
  const staff = await db().user.create({
    data: {
      email: `admin-${run}@hostile-test.example`,
      name: `Admin ${run}`,
      role: "admin",
      passwordHash: "unused",
    },
  });
  users.staff = staff.id;
  cookies.staff = await sessionCookie(staff.id);
  const api = `/api/v1/incidents/${incident.slug}`;
  const event = (title: string) => ({
    occurredAt: "2023-06-22",
    precision: "day",
    lane: "response",
    phase: "investigation",
    title,
    source: "https://www.cisa.gov/news-events/cybersecurity-advisories/aa23-193a",
    verification: "primary",
    tlp: "CLEAR",
  });
  const organization = (name: string) => ({
    name,
    kind: "government",
    country: "US",
    determinedAffectedAt: "2023-06-20",
  });
  const partial: Omit<HostileWorld, "incident" | "marker"> = {
    event: await apiCreate(`${api}/events`, event("hostile target")),
    eventToDelete: await apiCreate(`${api}/events`, event("hostile delete target")),
    organization: await apiCreate(`${api}/organizations`, organization("Hostile target")),
    moveOrganization: await apiCreate(`${api}/organizations`, organization("Hostile moves")),
    bulkOrganization: await apiCreate(`${api}/organizations`, organization("Hostile bulk moves")),
    agencyOrganization: await apiCreate(
      `/api/v1/incidents/${portalIncident.slug}/organizations`,
      organization("Hostile agency"),
    ),
    indicator: await apiCreate(`${api}/indicators`, { type: "ipv4", value: "198.51.100.200" }),
    indicatorToDelete: await apiCreate(`${api}/indicators`, { type: "ipv4", value: "198.51.100.201" }),
    finding: await apiCreate(`${api}/findings`, {
      title: "Hostile target",
      body: "Target.",
      severity: "low",
      confidence: "low",
    }),
  };
  world = { incident: incident.slug, marker: `hx${run}`, ...partial };
  const agency = await db().user.create({
    data: {
      email: `agency-${run}@hostile-test.example`,
      name: `Agency ${run}`,
      role: "agency",
      organizationId: world.agencyOrganization,
      passwordHash: "unused",
    },
  });
  users.agency = agency.id;
  cookies.agency = await sessionCookie(agency.id);
});

afterAll(async () => {
  const lines = [...tally].map(
    ([endpoint, counts]) =>
      `${endpoint}: ${[...counts.values()].reduce((a, b) => a + b, 0)} cases\n${[...counts]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, n]) => `    ${n} × ${key}`)
        .join("\n")}`,
  );
  if (process.env.DWELL_HOSTILE_REPORT) {
    console.log(lines.join("\n"));
    console.log(
      [...timings]
        .sort(([, a], [, b]) => b[1] - a[1])
        .map(([kind, [n, ms]]) => `${Math.round(ms)} ms in ${n} × ${kind} (${(ms / n).toFixed(1)} ms each)`)
        .join("\n"),
    );
  }
  await db().$disconnect();
});

const endpoints = mutatingEndpoints();

describe("hostile input to every mutating endpoint (in process)", () => {
  // Found by the property once: invalid bytes were decoded to U+FFFD and stored. Now refused (400),
  // as the indicator import refuses a file that is not UTF-8.
  it("refuses a JSON body that is not UTF-8", async () => {
    const body = Buffer.concat([
      Buffer.from(
        '{"occurredAt":"2023-06-22","precision":"day","lane":"response","phase":"investigation","title":"bad ',
      ),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('","source":"CSRB report p. 1"}'),
    ]);
    const answer = await transport.send({
      method: "POST",
      path: `/api/v1/incidents/${world.incident}/events`,
      headers: { "content-type": "application/json" },
      body,
      principal: "staff",
    });
    expect(answer.status, answer.text).toBe(400);
  });

  // A body any site could send without a preflight is a cross-site attempt (403); other types are 415.
  it("refuses form and text bodies on a JSON route as cross-site, other wrong types as unsupported", async () => {
    const json =
      '{"occurredAt":"2023-06-22","precision":"day","lane":"response","phase":"investigation","title":"form body","source":"CSRB report p. 1"}';
    for (const [type, status, code] of [
      ["text/plain", 403, "cross_site_body"],
      ["text/plain; charset=utf-8", 403, "cross_site_body"],
      ["application/x-www-form-urlencoded", 403, "cross_site_body"],
      ["MULTIPART/FORM-DATA; boundary=x", 403, "cross_site_body"],
      ["application/xml", 415, "unsupported_media_type"],
      ["text/plainish", 415, "unsupported_media_type"],
    ] as const) {
      const answer = await transport.send({
        method: "POST",
        path: `/api/v1/incidents/${world.incident}/events`,
        headers: { "content-type": type },
        body: Buffer.from(json),
        principal: "staff",
      });
      expect(answer.status, `${type}: ${answer.text}`).toBe(status);
      expect((JSON.parse(answer.text) as { error: { code: string } }).error.code).toBe(code);
    }
  });

  // What the property found once, pinned down so it cannot come back unnoticed.
  it("answers 404, not 500, for an indicator id that is not a UUID", async () => {
    for (const [method, suffix, body] of [
      ["PATCH", "", '{"description":"x","version":1}'],
      ["DELETE", "?version=1", undefined],
      ["POST", "/sightings", `{"seenAt":"2023-06-20T10:00:00Z","organizationId":"${world.organization}"}`],
    ] as const) {
      const answer = await transport.send({
        method,
        path: `/api/v1/incidents/${world.incident}/indicators/'%20OR%201%3D1%20--${suffix}`,
        headers: { "content-type": "application/json" },
        body,
        principal: "staff",
      });
      expect(answer.status, `${method} ${answer.text}`).toBe(404);
    }
  });

  it("an import refuses a description with control characters and a source that is a script URL", async () => {
    const csv =
      'type,value,description,source\r\nipv4,198.51.100.31,"bell \u0007 here",\r\nipv4,198.51.100.32,fine,javascript:alert(1)\r\n';
    const answer = await transport.send({
      method: "POST",
      path: `/api/v1/incidents/${world.incident}/indicators/import`,
      headers: { "content-type": "text/csv" },
      body: csv,
      principal: "staff",
    });
    expect(answer.status, answer.text).toBe(201);
    const result = JSON.parse(answer.text) as {
      created: number;
      errors: { line: number; message: string }[];
    };
    expect(result.created).toBe(0);
    expect(result.errors.map((error) => error.line)).toEqual([2, 3]);
  });

  it("finds the mutating endpoints in the route matrix", () => {
    const keys = endpoints.map(endpointKey);
    expect(keys).toContain("POST app/api/v1/incidents/[incident]/events/route.ts");
    expect(keys).toContain("POST app/api/v1/portal/notification/route.ts");
    // Endpoints without a hand-written valid shape are still attacked (from the matrix's template).
    const generic = endpoints.filter((route) => !hasValidShape(route) && !route.file.includes("[...path]"));
    if (generic.length > 0)
      console.warn(`attacked from the matrix's template only: ${generic.map(endpointKey).join(", ")}`);
  });

  for (const route of endpoints) {
    it(
      `${route.method} ${route.url.split("?")[0]}: ${RUNS} hostile requests`,
      { timeout: 600_000 },
      async () => {
        // A case may have ended the sessions (a password change, a sign-out): each endpoint starts signed in.
        cookies.staff = await sessionCookie(users.staff);
        cookies.agency = await sessionCookie(users.agency);
        const ctx: CellContext = {
          principal: "admin",
          role: "admin",
          signedIn: true,
          target: "own",
          id: world.incident,
          world: {
            incident: { slug: world.incident, id: world.incident },
            organizations: {
              state: { id: world.organization, name: "Hostile target" },
              commerce: { id: world.moveOrganization, name: "Hostile moves" },
            },
            events: { state: world.event, commerce: world.event },
            indicators: { state: world.indicator, commerce: world.indicator },
            existingIndicator: { type: "ipv4", value: "198.51.100.200" },
            marker: world.marker,
          },
        };
        await fc.assert(
          fc.asyncProperty(hostileCases(route, world, ctx), async (c) => {
            const started = performance.now();
            try {
              await runHostileCase(transport, world, c, tally);
              const kind = c.kind.replace(/ \d+ deep$/, "");
              const spent = timings.get(kind) ?? [0, 0];
              timings.set(kind, [spent[0] + 1, spent[1] + performance.now() - started]);
            } catch (error) {
              if (error instanceof HostileFailure) throw error;
              throw new HostileFailure(
                `${c.kind}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
              );
            }
            const polluted = pollution();
            if (polluted) throw new HostileFailure(`prototype pollution after ${c.kind}: ${polluted}`);
          }),
          { numRuns: RUNS, endOnFailure: true },
        );
        // The endpoint still answers normally afterwards.
        const health = await transport.send({
          method: "GET",
          path: `/api/v1/incidents/${world.incident}/events?limit=1`,
          headers: {},
          principal: "staff",
        });
        expect(health.status).toBe(200);
      },
    );
  }
});
