// Every mutating API endpoint, read from the authorization matrix's registry (e2e/route-matrix.ts) so
// that a new one is attacked as soon as it is registered, and for each a fast-check arbitrary of
// hostile requests: structurally valid bodies whose strings carry hostile text (with what a success
// must have stored), and structurally hostile bodies (depth, prototype keys, wrong types, huge
// arrays, invalid UTF-8, non-JSON, wrong content types, hostile ids, queries and headers).
import fc from "fast-check";
import { ROUTES, type CellContext, type RouteEntry } from "../route-matrix.ts";
import {
  HOSTILE_IDS,
  INVALID_UTF8,
  NOT_JSON,
  PROTOTYPE_BODIES,
  WRONG_CONTENT_TYPES,
  deepJson,
  hostileString,
  hostileValue,
  invalidUtf8Body,
} from "./payloads.ts";

export const MUTATING_METHODS = ["POST", "PUT", "PATCH", "DELETE"] as const;

/** The mutating endpoints under /api/v1, as registered in the matrix (one per file and method). */
export function mutatingEndpoints(): RouteEntry[] {
  const seen = new Set<string>();
  return ROUTES.filter((route) => {
    if (route.kind !== "api" || !route.url.startsWith("/api/v1/")) return false;
    if (!(MUTATING_METHODS as readonly string[]).includes(route.method)) return false;
    const key = endpointKey(route);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export const endpointKey = (route: Pick<RouteEntry, "method" | "file">) => `${route.method} ${route.file}`;

/** Records the property test writes to; made by the runner before it starts (its own, never seeded ones). */
export interface HostileWorld {
  /** The incident's slug or id. */
  incident: string;
  /** Staff-side targets. */
  event: string;
  eventToDelete: string;
  organization: string;
  moveOrganization: string;
  bulkOrganization: string;
  indicator: string;
  indicatorToDelete: string;
  finding: string;
  /** The agency user's own organization (portal moves). */
  agencyOrganization: string;
  /** Marks titles and names, so a clean-up can find what the run made. */
  marker: string;
}

/** A record a case addresses (`incident` is the incident itself, for its version). */
export type TargetName = keyof Omit<HostileWorld, "marker">;
export type Principal = "staff" | "agency";

/** What the runner reads about a target just before sending a case. */
export interface LiveState {
  version: number;
  /** Organizations: the notification state. */
  state?: string;
  now: string;
}

/** Text fields are normalized as documented: trimmed; multi-line ones with \r\n → \n; "" means none. */
export const normalizeLine = (value: string): string => value.trim();
export const normalizeText = (value: string): string | null => {
  const text = value.replace(/\r\n?/g, "\n").trim();
  return text === "" ? null : text;
};

/** A value the API must answer after a 2xx: at `path` in what `readBack` returns, exactly `expected`. */
export interface StoredValue {
  path: string;
  expected: unknown;
}

export interface HostileCase {
  endpoint: string;
  /** Which generator made it (for the report). */
  kind: string;
  method: string;
  principal: Principal;
  /** The path with `{id}` already filled in, and the query string; `$ID` stands for the target's id. */
  path: string;
  target?: TargetName;
  headers: Record<string, string>;
  /** The body, built when sending (versions, states and "now" are read just before). */
  body?: (live: LiveState) => string | Uint8Array;
  /**
   * For structurally valid cases: where a success can be read back (`$ID` is the target, `$NEW` the
   * id the answer named), and the values that must be there.
   */
  readBack?: {
    path: string;
    principal?: Principal;
    /** Picks the record out of what the path answers; `created` is the id the write answered. */
    find?: (json: unknown, created?: string) => unknown;
    values: StoredValue[];
  };
  /** Only these statuses count as a success worth reading back (re-adds answer 200 and keep the old text). */
  readBackOn?: readonly number[];
  /** Whether a 2xx answer says the write happened (bulk moves answer 200 with one status per entry). */
  succeeded?: (json: unknown) => boolean;
}

const JSON_TYPE = { "content-type": "application/json" };
const INCIDENT_PATH = (world: HostileWorld) => `/api/v1/incidents/${world.incident}`;

/** Fills the `$VERSION`, `$NOW`, `$NEXT` and `$AGENCY_NEXT` placeholders of a JSON text when sending. */
export function fillPlaceholders(text: string, live: LiveState): string {
  return text
    .replaceAll('"$VERSION"', String(live.version))
    .replaceAll('"$NOW"', JSON.stringify(live.now))
    .replaceAll('"$NEXT"', JSON.stringify(nextStaffMove(live.state)))
    .replaceAll(
      '"$AGENCY_NEXT"',
      JSON.stringify(live.state === "acknowledged" ? "remediated" : "acknowledged"),
    );
}

const jsonBody = (value: unknown) => {
  const text = JSON.stringify(value);
  return (live: LiveState) => fillPlaceholders(text, live);
};

/** A move the staff may make next that can repeat for ever: pending → notified ⇄ failed. */
export function nextStaffMove(state: string | undefined): string {
  return state === "notified" ? "failed" : "notified";
}

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
const defined = (record: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));

/**
 * Expected values for the text fields that were sent: a required line is trimmed; an optional line
 * is trimmed, "" meaning none; a multi-line text also has its line endings made \n.
 */
function storedTexts(
  sent: Record<string, unknown>,
  fields: Record<string, "line" | "optionalLine" | "text">,
  prefix = "",
): StoredValue[] {
  return Object.entries(fields).flatMap(([field, kind]) => {
    const value = sent[field];
    if (typeof value !== "string") return [];
    const expected =
      kind === "line"
        ? normalizeLine(value)
        : kind === "optionalLine"
          ? normalizeLine(value) || null
          : normalizeText(value);
    return [{ path: `${prefix}${field}`, expected }];
  });
}

// ---------------------------------------------------------------- valid bodies with hostile strings

interface ValidShape {
  principal: Principal;
  target?: TargetName;
  /** A body that the endpoint accepts (placeholders allowed): the base of the structural attacks. */
  template: (world: HostileWorld) => Record<string, unknown>;
  /** A string field of the template that the structural attacks put raw bytes into. */
  textField?: string;
  query?: string;
  hostile: (world: HostileWorld) => fc.Arbitrary<Omit<HostileCase, "endpoint" | "method" | "principal">>;
}

const eventTemplate = (world: HostileWorld) => ({
  occurredAt: "2023-06-22",
  precision: "day",
  lane: "response",
  phase: "investigation",
  title: `hostile ${world.marker}`,
  source: "https://www.cisa.gov/news-events/cybersecurity-advisories/aa23-193a",
  verification: "primary",
  tlp: "CLEAR",
});

const EVENT_TEXT = { title: "line", description: "text", internalNote: "text" } as const;
const ORG_TEXT = { name: "line", sector: "optionalLine", internalNote: "text" } as const;
const INDICATOR_TEXT = { description: "text", internalNote: "text" } as const;
const FINDING_TEXT = { title: "line", body: "text" } as const;

/** A valid indicator value no seeded record has (documentation address space and a reserved domain). */
const indicatorValue = fc.oneof(
  fc
    .tuple(fc.constantFrom("198.51.100", "203.0.113"), fc.integer({ min: 1, max: 254 }))
    .map(([net, host]) => ({ type: "ipv4", value: `${net}.${host}` })),
  fc
    .stringMatching(/^[a-z][a-z0-9]{2,12}$/)
    .map((label) => ({ type: "domain", value: `${label}.hostile-input.com` })),
  fc.constantFrom(
    { type: "filename", value: "<img src=x onerror=alert(1)>.exe" },
    { type: "user-agent", value: "Mozilla/5.0 <script>alert(1)</script>" },
    { type: "url", value: "javascript:alert(1)" },
    { type: "uri-path", value: "/owa/'; DROP TABLE indicator;--" },
    { type: "other", value: "\u202Egnp.exe" },
  ),
);

const VALID: Record<string, ValidShape> = {
  "POST app/api/v1/incidents/[incident]/events/route.ts": {
    principal: "staff",
    template: eventTemplate,
    textField: "title",
    hostile: (world) =>
      fc
        .record({
          title: hostileString(),
          description: optional(hostileString()),
          internalNote: optional(hostileString()),
          altNote: optional(hostileString({ allowHuge: false })),
        })
        .map(({ altNote, ...texts }) => {
          const sent = defined(texts);
          const body = {
            ...eventTemplate(world),
            ...sent,
            ...(altNote === undefined
              ? {}
              : {
                  alternatives: [
                    { occurredAt: "2023-06-23", precision: "day", source: "CSRB report p. 1", note: altNote },
                  ],
                }),
          };
          return {
            kind: "valid event with hostile text",
            path: `${INCIDENT_PATH(world)}/events`,
            headers: JSON_TYPE,
            body: jsonBody(body),
            readBack: { path: `${INCIDENT_PATH(world)}/events/$NEW`, values: storedTexts(sent, EVENT_TEXT) },
          };
        }),
  },
  "PATCH app/api/v1/incidents/[incident]/events/[id]/route.ts": {
    principal: "staff",
    target: "event",
    template: () => ({ title: "hostile patch", version: "$VERSION" }),
    textField: "title",
    hostile: (world) =>
      fc
        .record({
          title: optional(hostileString()),
          description: optional(hostileString()),
          internalNote: optional(hostileString()),
        })
        .map((texts) => {
          const sent = defined(texts);
          return {
            kind: "valid event change with hostile text",
            path: `${INCIDENT_PATH(world)}/events/$ID`,
            target: "event" as const,
            headers: JSON_TYPE,
            body: jsonBody({ ...sent, version: "$VERSION" }),
            readBack: { path: `${INCIDENT_PATH(world)}/events/$ID`, values: storedTexts(sent, EVENT_TEXT) },
          };
        }),
  },
  "DELETE app/api/v1/incidents/[incident]/events/[id]/route.ts": {
    principal: "staff",
    target: "eventToDelete",
    template: () => ({}),
    hostile: (world) =>
      fc.oneof(hostileString({ allowHuge: false }), fc.constant("$VERSION")).map((version) => ({
        kind: "event delete with a hostile version",
        path: `${INCIDENT_PATH(world)}/events/$ID?version=${version === "$VERSION" ? "$VERSION" : encodeURIComponent(safeForUrl(version))}`,
        target: "eventToDelete" as const,
        headers: {},
      })),
  },
  "POST app/api/v1/incidents/[incident]/organizations/route.ts": {
    principal: "staff",
    template: (world) => ({ name: `hostile org ${world.marker}`, kind: "government", country: "US" }),
    textField: "name",
    hostile: (world) =>
      fc
        .record({
          name: hostileString(),
          sector: optional(hostileString()),
          internalNote: optional(hostileString()),
          suffix: fc.integer({ min: 0, max: 1_000_000_000 }),
        })
        .map(({ suffix, ...texts }) => {
          // A number keeps most names unique (names are unique per incident, case-insensitively).
          const sent = defined({ ...texts, name: `${texts.name} ${world.marker}-${suffix}` });
          return {
            kind: "valid organization with hostile text",
            path: `${INCIDENT_PATH(world)}/organizations`,
            headers: JSON_TYPE,
            body: jsonBody({ ...sent, kind: "government", country: "US" }),
            readBack: {
              path: `${INCIDENT_PATH(world)}/organizations/$NEW`,
              values: storedTexts(sent, ORG_TEXT),
            },
          };
        }),
  },
  "PATCH app/api/v1/incidents/[incident]/organizations/[id]/route.ts": {
    principal: "staff",
    target: "organization",
    template: () => ({ sector: "hostile", version: "$VERSION" }),
    textField: "sector",
    hostile: (world) =>
      fc
        .record({
          name: optional(hostileString().map((name) => `${name} ${world.marker}-patched`)),
          sector: optional(hostileString()),
          internalNote: optional(hostileString()),
        })
        .map((texts) => {
          const sent = defined(texts);
          return {
            kind: "valid organization change with hostile text",
            path: `${INCIDENT_PATH(world)}/organizations/$ID`,
            target: "organization" as const,
            headers: JSON_TYPE,
            body: jsonBody({ ...sent, version: "$VERSION" }),
            readBack: {
              path: `${INCIDENT_PATH(world)}/organizations/$ID`,
              values: storedTexts(sent, ORG_TEXT),
            },
          };
        }),
  },
  "POST app/api/v1/incidents/[incident]/organizations/[id]/notification/route.ts": {
    principal: "staff",
    target: "moveOrganization",
    template: () => ({ to: "$NEXT", at: "$NOW", channel: "email", note: "hostile", version: "$VERSION" }),
    textField: "note",
    hostile: (world) =>
      fc
        .record({
          note: optional(hostileString()),
          evidence: optional(hostileString()),
          channel: optional(hostileString()),
        })
        .map((texts) => {
          const sent = defined(texts);
          return {
            kind: "valid notification move with hostile text",
            path: `${INCIDENT_PATH(world)}/organizations/$ID/notification`,
            target: "moveOrganization" as const,
            headers: JSON_TYPE,
            body: jsonBody({ to: "$NEXT", at: "$NOW", channel: "email", ...sent, version: "$VERSION" }),
            readBack: {
              path: `${INCIDENT_PATH(world)}/organizations/$ID`,
              find: (json: unknown) => (json as { moves?: unknown[] }).moves?.at(-1),
              values: storedTexts(sent, { note: "text", evidence: "text" }),
            },
          };
        }),
  },
  "POST app/api/v1/incidents/[incident]/organizations/notifications/route.ts": {
    principal: "staff",
    target: "bulkOrganization",
    template: (world) => ({
      moves: [
        {
          organizationId: world.bulkOrganization,
          to: "$NEXT",
          at: "$NOW",
          note: "hostile",
          version: "$VERSION",
        },
      ],
    }),
    hostile: (world) =>
      fc
        .record({
          note: optional(hostileString()),
          evidence: optional(hostileString()),
          extra: fc.array(
            fc.dictionary(hostileString({ allowHuge: false }), hostileValue(), { maxKeys: 4 }),
            { maxLength: 3 },
          ),
        })
        .map(({ extra, ...texts }) => {
          const sent = defined(texts);
          return {
            kind: "valid bulk move with hostile text and hostile extra entries",
            path: `${INCIDENT_PATH(world)}/organizations/notifications`,
            target: "bulkOrganization" as const,
            headers: JSON_TYPE,
            body: jsonBody({
              moves: [
                {
                  organizationId: world.bulkOrganization,
                  to: "$NEXT",
                  at: "$NOW",
                  ...sent,
                  version: "$VERSION",
                },
                ...extra,
              ],
            }),
            succeeded: (json: unknown) => {
              const status = (json as { results?: { status?: number }[] }).results?.[0]?.status ?? 0;
              return status >= 200 && status < 300;
            },
            readBack: {
              path: `${INCIDENT_PATH(world)}/organizations/${world.bulkOrganization}`,
              find: (json: unknown) => (json as { moves?: unknown[] }).moves?.at(-1),
              values: storedTexts(sent, { note: "text", evidence: "text" }),
            },
          };
        }),
  },
  "PUT app/api/v1/incidents/[incident]/notification-regime/route.ts": {
    principal: "staff",
    target: "incident",
    template: () => ({ hours: 72, version: "$VERSION" }),
    hostile: (world) =>
      fc.oneof(fc.integer({ min: 1, max: 8760 }), hostileValue()).map((hours) => ({
        kind: "notification regime with hostile hours",
        path: `${INCIDENT_PATH(world)}/notification-regime`,
        target: "incident" as const,
        headers: JSON_TYPE,
        body: jsonBody({ hours, version: "$VERSION" }),
        readBack:
          typeof hours === "number" && Number.isInteger(hours) && hours >= 1 && hours <= 8760
            ? { path: INCIDENT_PATH(world), values: [{ path: "notificationDeadlineHours", expected: hours }] }
            : undefined,
      })),
  },
  "POST app/api/v1/incidents/[incident]/indicators/route.ts": {
    principal: "staff",
    template: () => ({ type: "ipv4", value: "198.51.100.77", description: "hostile" }),
    textField: "description",
    hostile: (world) =>
      fc
        .record({
          indicator: indicatorValue,
          description: optional(hostileString()),
          internalNote: optional(hostileString()),
          source: optional(hostileString({ allowHuge: false })),
          tlp: optional(fc.constantFrom("CLEAR", "GREEN", "AMBER", "RED", "<b>AMBER</b>", "clear\u0000")),
        })
        .map(({ indicator, tlp, source, ...texts }) => {
          const sent = defined(texts);
          return {
            kind: "valid indicator with hostile text",
            path: `${INCIDENT_PATH(world)}/indicators`,
            headers: JSON_TYPE,
            body: jsonBody(defined({ ...indicator, ...sent, tlp, source })),
            readBack: {
              path: `${INCIDENT_PATH(world)}/indicators/$NEW`,
              values: storedTexts(sent, INDICATOR_TEXT),
            },
            // A re-add (200) keeps the stored text.
            readBackOn: [201],
          };
        }),
  },
  "PATCH app/api/v1/incidents/[incident]/indicators/[id]/route.ts": {
    principal: "staff",
    target: "indicator",
    template: () => ({ description: "hostile", version: "$VERSION" }),
    textField: "description",
    hostile: (world) =>
      fc
        .record({ description: optional(hostileString()), internalNote: optional(hostileString()) })
        .map((texts) => {
          const sent = defined(texts);
          return {
            kind: "valid indicator change with hostile text",
            path: `${INCIDENT_PATH(world)}/indicators/$ID`,
            target: "indicator" as const,
            headers: JSON_TYPE,
            body: jsonBody({ ...sent, version: "$VERSION" }),
            readBack: {
              path: `${INCIDENT_PATH(world)}/indicators/$ID`,
              values: storedTexts(sent, INDICATOR_TEXT),
            },
          };
        }),
  },
  "DELETE app/api/v1/incidents/[incident]/indicators/[id]/route.ts": {
    principal: "staff",
    target: "indicatorToDelete",
    template: () => ({}),
    hostile: (world) =>
      fc.oneof(hostileString({ allowHuge: false }), fc.constant("$VERSION")).map((version) => ({
        kind: "indicator delete with a hostile version",
        path: `${INCIDENT_PATH(world)}/indicators/$ID?version=${version === "$VERSION" ? "$VERSION" : encodeURIComponent(safeForUrl(version))}`,
        target: "indicatorToDelete" as const,
        headers: {},
      })),
  },
  "POST app/api/v1/incidents/[incident]/indicators/import/route.ts": {
    principal: "staff",
    template: () => ({}),
    hostile: (world) =>
      fc
        .record({
          format: fc.constantFrom("text", "csv", "stix"),
          dryRun: fc.boolean(),
          rows: fc.array(fc.tuple(indicatorValue, hostileString({ allowHuge: false })), {
            minLength: 1,
            maxLength: 5,
          }),
          query: optional(
            fc.record({
              tlp: hostileString({ allowHuge: false }),
              confidence: hostileString({ allowHuge: false }),
              source: hostileString({ allowHuge: false }),
            }),
          ),
        })
        .map(({ format, dryRun, rows, query }) => {
          const params = new URLSearchParams({ dryRun: String(dryRun) });
          for (const [key, value] of Object.entries(query ?? {})) params.set(key, safeForUrl(value));
          return {
            kind: `import (${format}) with hostile text`,
            path: `${INCIDENT_PATH(world)}/indicators/import?${params.toString()}`,
            headers: { "content-type": IMPORT_TYPES[format] },
            body: () => importBody(format, rows),
            // Whatever an import stored must be valid: the runner checks every string of the list.
            readBack: { path: `${INCIDENT_PATH(world)}/indicators?limit=200&sort=updated`, values: [] },
          };
        }),
  },
  "POST app/api/v1/incidents/[incident]/indicators/[id]/sightings/route.ts": {
    principal: "staff",
    target: "indicator",
    template: (world) => ({
      seenAt: "2023-06-20T10:00:00Z",
      location: "hostile",
      organizationId: world.organization,
    }),
    textField: "location",
    hostile: (world) =>
      fc.record({ location: optional(hostileString()), note: optional(hostileString()) }).map((texts) => {
        const sent = defined(texts);
        return {
          kind: "valid sighting with hostile text",
          path: `${INCIDENT_PATH(world)}/indicators/$ID/sightings`,
          target: "indicator" as const,
          headers: JSON_TYPE,
          body: jsonBody({ seenAt: "2023-06-20T10:00:00Z", organizationId: world.organization, ...sent }),
          readBack: {
            path: `${INCIDENT_PATH(world)}/indicators/$ID/sightings`,
            find: (json: unknown, created?: string) =>
              (json as { id: string }[]).find((s) => s.id === created),
            values: storedTexts(sent, { location: "text", note: "text" }),
          },
        };
      }),
  },
  "POST app/api/v1/incidents/[incident]/findings/route.ts": {
    principal: "staff",
    template: () => ({ title: "hostile", body: "hostile", severity: "low", confidence: "low" }),
    textField: "body",
    hostile: (world) =>
      fc
        .record({
          title: hostileString(),
          body: hostileString(),
          evidence: optional(
            fc.record({
              description: hostileString({ allowHuge: false }),
              location: hostileString({ allowHuge: false }),
            }),
          ),
        })
        .map(({ evidence, ...texts }) => {
          const values = storedTexts(texts, FINDING_TEXT);
          if (evidence)
            values.push(...storedTexts(evidence, { description: "line", location: "line" }, "evidence.0."));
          return {
            kind: "valid finding with hostile text",
            path: `${INCIDENT_PATH(world)}/findings`,
            headers: JSON_TYPE,
            body: jsonBody({
              ...texts,
              severity: "high",
              confidence: "medium",
              ...(evidence ? { evidence: [evidence] } : {}),
            }),
            readBack: { path: `${INCIDENT_PATH(world)}/findings/$NEW`, values },
          };
        }),
  },
  "PATCH app/api/v1/incidents/[incident]/findings/[id]/route.ts": {
    principal: "staff",
    target: "finding",
    template: () => ({ title: "hostile", version: "$VERSION" }),
    textField: "title",
    hostile: (world) =>
      fc.record({ title: optional(hostileString()), body: optional(hostileString()) }).map((texts) => {
        const sent = defined(texts);
        return {
          kind: "valid finding change with hostile text",
          path: `${INCIDENT_PATH(world)}/findings/$ID`,
          target: "finding" as const,
          headers: JSON_TYPE,
          body: jsonBody({ ...sent, version: "$VERSION" }),
          readBack: { path: `${INCIDENT_PATH(world)}/findings/$ID`, values: storedTexts(sent, FINDING_TEXT) },
        };
      }),
  },
  "POST app/api/v1/portal/notification/route.ts": {
    principal: "agency",
    target: "agencyOrganization",
    template: () => ({ to: "$AGENCY_NEXT", note: "hostile", version: "$VERSION" }),
    textField: "note",
    hostile: () =>
      fc.record({ note: optional(hostileString()), at: optional(fc.constant("$NOW")) }).map((texts) => {
        const sent = defined(texts);
        return {
          kind: "valid portal move with hostile text",
          path: "/api/v1/portal/notification",
          target: "agencyOrganization" as const,
          headers: JSON_TYPE,
          body: jsonBody({ to: "$AGENCY_NEXT", ...sent, version: "$VERSION" }),
          readBack: {
            path: "/api/v1/portal",
            principal: "agency" as const,
            find: (json: unknown) => (json as { history?: unknown[] }).history?.at(-1),
            values: storedTexts(sent, { note: "text" }),
          },
        };
      }),
  },
};

const IMPORT_TYPES = { text: "text/plain", csv: "text/csv", stix: "application/stix+json" } as const;

/** A lone surrogate cannot travel in a URL (encodeURIComponent throws): it becomes U+FFFD here. */
export function safeForUrl(value: string): string {
  return value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

function csvCell(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}

function importBody(
  format: "text" | "csv" | "stix",
  rows: [{ type: string; value: string }, string][],
): string {
  if (format === "text")
    return rows.map(([indicator, text]) => `${text} ${indicator.value} ${text}`).join("\n");
  if (format === "csv") {
    return [
      "type,value,description,source",
      ...rows.map(([indicator, text]) =>
        [indicator.type, indicator.value, text, text].map(csvCell).join(","),
      ),
    ].join("\r\n");
  }
  return JSON.stringify({
    type: "bundle",
    id: "bundle--6f8a1c42-3a2b-4c8e-9d51-0e7f2d1b9a11",
    objects: rows.map(([indicator, text], index) => ({
      type: "indicator",
      spec_version: "2.1",
      id: `indicator--6f8a1c42-3a2b-4c8e-9d51-${String(index).padStart(12, "0")}`,
      created: "2023-07-11T00:00:00.000Z",
      modified: "2023-07-11T00:00:00.000Z",
      name: text,
      description: text,
      pattern:
        indicator.type === "ipv4"
          ? `[ipv4-addr:value = '${indicator.value}']`
          : `[domain-name:value = '${text.replaceAll("'", "\\'")}']`,
      pattern_type: "stix",
      valid_from: "2023-06-16T00:00:00Z",
      ["__proto__"]: { polluted: "yes" },
    })),
  });
}

// ---------------------------------------------------------------- structurally hostile requests

function structural(
  route: RouteEntry,
  world: HostileWorld,
  path: string,
  shape: ValidShape | undefined,
  template: Record<string, unknown>,
): fc.Arbitrary<Omit<HostileCase, "endpoint" | "method" | "principal">> {
  const target = shape?.target;
  const textField =
    shape?.textField ?? Object.keys(template).find((key) => typeof template[key] === "string") ?? "title";
  const keys = Object.keys(template).length > 0 ? Object.keys(template) : ["title"];
  const isImport = route.file.endsWith("indicators/import/route.ts");
  const json = (kind: string, text: string, headers: Record<string, string> = JSON_TYPE) => ({
    kind,
    path,
    target,
    headers: isImport && headers === JSON_TYPE ? { "content-type": "application/stix+json" } : headers,
    body: (live: LiveState) => fillPlaceholders(text, live),
  });
  const raw = (kind: string, text: string | Uint8Array, headers: Record<string, string> = JSON_TYPE) => ({
    kind,
    path,
    target,
    headers: isImport && headers === JSON_TYPE ? { "content-type": "application/stix+json" } : headers,
    body: () => text,
  });
  const idRoute = route.url.includes("{id}") && route.idIn === undefined;
  return fc.oneof(
    fc
      .constantFrom(1_000, 10_000)
      .chain((depth) =>
        fc
          .constantFrom<"array" | "object">("array", "object")
          .map((kind) => raw(`JSON nested ${depth} deep`, deepJson(depth, kind))),
      ),
    fc.constantFrom(...PROTOTYPE_BODIES(template)).map((text) => json("prototype keys", text)),
    fc
      .tuple(
        fc.constantFrom(...keys),
        fc.constantFrom<unknown>(null, 0, -1, 1.5, true, [], {}, [[]], { a: 1 }, "", 1e308, ["x"]),
      )
      .map(([key, value]) => json(`wrong type for ${key}`, JSON.stringify({ ...template, [key]: value }))),
    fc
      .constantFrom(
        { ...template, organizationIds: Array.from({ length: 50_000 }, () => "a") },
        { ...template, [keys[0] ?? "title"]: Array.from({ length: 100_000 }, () => 0) },
        { ...template, moves: Array.from({ length: 10_000 }, () => ({})) },
        Array.from({ length: 200_000 }, () => 1),
      )
      .map((value) => json("huge array", JSON.stringify(value))),
    fc
      .constantFrom(...INVALID_UTF8)
      .map((bytes) => raw("invalid UTF-8 in a string", invalidUtf8Body(template, textField, bytes))),
    fc.constantFrom(...INVALID_UTF8).map((bytes) => raw("invalid UTF-8 as the body", Buffer.from(bytes))),
    fc.constantFrom(...NOT_JSON).map((text) => raw("not JSON", text)),
    fc
      .constantFrom(...WRONG_CONTENT_TYPES)
      .map((type) =>
        json(`content type ${type}`, JSON.stringify(template), type === null ? {} : { "content-type": type }),
      ),
    fc.constant(json("body over 1 MB", JSON.stringify({ ...template, [textField]: "x".repeat(2_000_000) }))),
    fc.tuple(fc.constantFrom(...HOSTILE_IDS), fc.boolean()).map(([id, valid]) => ({
      ...json(idRoute ? "hostile id" : "hostile query", JSON.stringify(template)),
      path: idRoute
        ? path.replace("$ID", encodeURIComponent(id))
        : `${path}${path.includes("?") ? "&" : "?"}version=${encodeURIComponent(id)}`,
      target: valid ? target : undefined,
    })),
    fc
      .constantFrom(
        "",
        " ",
        "x".repeat(201),
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "\u00e9\u00ff",
        "key\tvalue",
      )
      .map((key) => ({
        ...json("hostile Idempotency-Key", JSON.stringify(template)),
        headers: { ...JSON_TYPE, "idempotency-key": key },
      })),
    fc.constantFrom("http://evil.example", "null", "https://127.0.0.1.evil.example").map((origin) => ({
      ...json("cross-site origin", JSON.stringify(template)),
      headers: { ...JSON_TYPE, origin },
    })),
  );
}

/**
 * The arbitrary of hostile requests for one endpoint. Endpoints without a hand-written valid shape
 * (a route registered after this file was written) are attacked with the matrix's own request body
 * as the template: its strings replaced by hostile ones, and every structural attack.
 */
export function hostileCases(
  route: RouteEntry,
  world: HostileWorld,
  ctx: CellContext,
): fc.Arbitrary<HostileCase> {
  const shape = VALID[endpointKey(route)];
  const path = route.url.split("?")[0]!.replace("{incident}", world.incident).replace("{id}", "$ID");
  const plan = route.request?.(ctx);
  const template = shape?.template(world) ?? (isRecord(plan?.json) ? plan.json : {});
  const valid = shape ? shape.hostile(world) : genericHostile(path, template, shape);
  const principal: Principal = shape?.principal ?? (route.file.includes("/portal/") ? "agency" : "staff");
  const fallbackTarget = route.url.includes("{id}") ? targetFor(route) : undefined;
  return fc
    .oneof(
      { weight: 3, arbitrary: valid },
      { weight: 2, arbitrary: structural(route, world, path, shape, template) },
    )
    .map((c) => ({
      ...c,
      target: c.target ?? (shape ? undefined : fallbackTarget),
      endpoint: endpointKey(route),
      method: route.method,
      principal,
    }));
}

/** Whether the endpoint has a hand-written valid shape (false: attacked from the matrix's template). */
export const hasValidShape = (route: RouteEntry) => endpointKey(route) in VALID;

function genericHostile(
  path: string,
  template: Record<string, unknown>,
  _shape: undefined | ValidShape,
): fc.Arbitrary<Omit<HostileCase, "endpoint" | "method" | "principal">> {
  const stringKeys = Object.keys(template).filter((key) => typeof template[key] === "string");
  return fc
    .record({
      values: fc.array(hostileString(), { minLength: stringKeys.length, maxLength: stringKeys.length }),
    })
    .map(({ values }) => {
      const body = { ...template };
      stringKeys.forEach((key, index) => (body[key] = values[index]));
      return { kind: "matrix template with hostile text", path, headers: JSON_TYPE, body: jsonBody(body) };
    });
}

function targetFor(route: RouteEntry): TargetName | undefined {
  if (route.id === "event") return "event";
  if (route.id === "indicator") return "indicator";
  if (route.id === "organization") return "organization";
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
