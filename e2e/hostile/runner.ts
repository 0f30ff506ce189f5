// Sends one hostile case through a transport (in-process route handlers, or HTTP against `next start`)
// and checks the answer: never 5xx, never a stack trace, errors in the spec's shape, and a success
// stored exactly what was sent (after the documented normalization), with nothing invalid anywhere.
import { z } from "zod";
import {
  fillPlaceholders,
  type HostileCase,
  type HostileWorld,
  type LiveState,
  type Principal,
  type TargetName,
} from "./endpoints.ts";

export interface SentRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  principal: Principal;
}

export interface Answer {
  status: number;
  contentType: string | null;
  text: string;
}

export interface Transport {
  send(request: SentRequest): Promise<Answer>;
  /** Called before a case that addresses `target` (e.g. to put the agency's notification back into a state it may move). */
  prepare?(target: TargetName, world: HostileWorld): Promise<void>;
}

/** What a run saw, per endpoint: statuses by generator, for the report. */
export type Tally = Map<string, Map<string, number>>;

export class HostileFailure extends Error {
  override name = "HostileFailure";
}

const ErrorShape = z.strictObject({
  error: z.strictObject({
    code: z.string().regex(/^[a-z_]+$/),
    message: z.string().min(1),
    details: z
      .array(
        z.strictObject({
          field: z.string().optional(),
          line: z.number().optional(),
          value: z.string().optional(),
          message: z.string(),
        }),
      )
      .optional(),
    requestId: z.string().min(1),
  }),
});

/** Signs of an internal error leaking out: stack frames, source paths, engine error names. */
const LEAKS: readonly RegExp[] = [
  /\bat (?:async )?[\w$.<>[\] ]+ \((?:file:\/\/|node:|\/)[^)]*\)/,
  /\bat (?:file:\/\/|node:internal|\/)[^\s]+:\d+:\d+/,
  /[\w-]+\.(?:ts|tsx|js|mjs|cjs):\d+:\d+/,
  /node_modules[/\\]/,
  /\/(?:work|home|app|srv|tmp)\/[\w.-]+\//,
  /\.next[/\\]server/,
  /webpack-internal:/,
  /\b(?:TypeError|ReferenceError|RangeError|SyntaxError|EvalError|URIError): /,
  /PrismaClient\w*Error|Invalid `\w+\.\w+\(\)` invocation|prisma\.\w+\./,
  /\bERROR: +[a-z ]+(?:syntax|violates|relation|column)\b/,
  /invalid input syntax for type|unterminated quoted string|duplicate key value violates/,
];

/** The first leak in `text` that the request did not itself contain (error messages may echo input). */
export function findLeak(text: string, sent: string): string | null {
  for (const pattern of LEAKS) {
    const match = pattern.exec(text);
    if (match && !pattern.test(sent)) return `${pattern} matched ${JSON.stringify(match[0])}`;
  }
  return null;
}

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const DANGEROUS_KEYS = new Set(["__proto__", "constructor", "prototype", "polluted"]);

/** Where an answer quotes what was refused (an import's bad line, a bulk entry's bad field): not stored. */
const ECHO = /\.(?:errors|details)\.\d+\.value$/;

/** Problems with a stored (answered) JSON value: invalid text, prototype keys, unsafe HTML. */
export function storedProblems(value: unknown, path = "$"): string[] {
  if (typeof value === "string") {
    if (ECHO.test(path)) return [];
    const problems: string[] = [];
    if (CONTROL.test(value)) problems.push(`${path} contains a control character`);
    if (LONE_SURROGATE.test(value)) problems.push(`${path} contains a lone surrogate`);
    if (/html$/i.test(path)) problems.push(...unsafeHtml(value).map((p) => `${path}: ${p}`));
    return problems;
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => storedProblems(item, `${path}.${index}`));
  if (value !== null && typeof value === "object") {
    if (Object.getPrototypeOf(value) !== Object.prototype) return [`${path} has a changed prototype`];
    return Object.keys(value).flatMap((key) => [
      ...(DANGEROUS_KEYS.has(key) ? [`${path} has the key ${key}`] : []),
      ...storedProblems((value as Record<string, unknown>)[key], `${path}.${key}`),
    ]);
  }
  return [];
}

/** Script in rendered HTML: script/style/iframe-like elements, event handler attributes, script URLs. */
export function unsafeHtml(html: string): string[] {
  const problems: string[] = [];
  for (const tag of html.match(/<[a-zA-Z][^>]*>/g) ?? []) {
    const name = /^<([a-zA-Z0-9-]+)/.exec(tag)?.[1]?.toLowerCase() ?? "";
    if (
      [
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "base",
        "form",
        "meta",
        "link",
        "img",
      ].includes(name)
    ) {
      if (name !== "img" || /\son\w+\s*=|src\s*=\s*["']?\s*(?:javascript|data|vbscript):/i.test(tag))
        problems.push(`element ${tag.slice(0, 80)}`);
    }
    if (/\son[a-z]+\s*=/i.test(tag)) problems.push(`event handler in ${tag.slice(0, 80)}`);
    if (/\b(?:href|src|action|formaction|xlink:href)\s*=\s*["']?\s*(?:javascript|vbscript|data):/i.test(tag))
      problems.push(`script URL in ${tag.slice(0, 80)}`);
  }
  return problems;
}

function get(value: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((current, key) => {
    if (current === null || current === undefined) return undefined;
    return (current as Record<string, unknown>)[key];
  }, value);
}

const describe = (c: HostileCase, request: SentRequest) => {
  const body =
    request.body === undefined
      ? ""
      : typeof request.body === "string"
        ? request.body.length > 300
          ? `${JSON.stringify(request.body.slice(0, 300))}… (${request.body.length} chars)`
          : JSON.stringify(request.body)
        : `<${request.body.byteLength} bytes: ${Buffer.from(request.body.slice(0, 80)).toString("hex")}>`;
  return `${c.kind}: ${request.method} ${request.path.slice(0, 200)} ${JSON.stringify(request.headers)} ${body}`;
};

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const TARGET_PATH: Record<TargetName, (world: HostileWorld, id: string) => string> = {
  incident: (world) => `/api/v1/incidents/${world.incident}`,
  event: (world, id) => `/api/v1/incidents/${world.incident}/events/${id}`,
  eventToDelete: (world, id) => `/api/v1/incidents/${world.incident}/events/${id}`,
  indicator: (world, id) => `/api/v1/incidents/${world.incident}/indicators/${id}`,
  indicatorToDelete: (world, id) => `/api/v1/incidents/${world.incident}/indicators/${id}`,
  organization: (world, id) => `/api/v1/incidents/${world.incident}/organizations/${id}`,
  moveOrganization: (world, id) => `/api/v1/incidents/${world.incident}/organizations/${id}`,
  bulkOrganization: (world, id) => `/api/v1/incidents/${world.incident}/organizations/${id}`,
  finding: (world, id) => `/api/v1/incidents/${world.incident}/findings/${id}`,
  agencyOrganization: () => "/api/v1/portal",
};

/** The target's version (and notification state) right now, read through the API. */
async function liveState(
  transport: Transport,
  world: HostileWorld,
  target: TargetName | undefined,
): Promise<LiveState> {
  const now = new Date().toISOString();
  if (!target) return { version: 1, now };
  const principal: Principal = target === "agencyOrganization" ? "agency" : "staff";
  const answer = await transport.send({
    method: "GET",
    path: TARGET_PATH[target](world, world[target]),
    headers: {},
    principal,
  });
  if (answer.status !== 200)
    throw new HostileFailure(`reading ${target} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  const json = parse(answer.text) as {
    version?: number;
    notificationState?: string;
    organization?: { version: number; notificationState: string };
  };
  const record = target === "agencyOrganization" ? json.organization : json;
  return { version: record?.version ?? 1, state: record?.notificationState, now };
}

let replenished = 0;

/** After a successful DELETE, a new record takes the deleted one's place so later cases reach a real one. */
async function replenish(
  transport: Transport,
  world: HostileWorld,
  target: "eventToDelete" | "indicatorToDelete",
) {
  replenished += 1;
  const body =
    target === "eventToDelete"
      ? {
          occurredAt: "2023-06-22",
          precision: "day",
          lane: "response",
          phase: "investigation",
          title: `hostile delete target ${world.marker}-${replenished}`,
          source: "https://www.cisa.gov/news-events/cybersecurity-advisories/aa23-193a",
          verification: "primary",
          tlp: "CLEAR",
        }
      : { type: "domain", value: `delete-${replenished}-${world.marker}.hostile-input.com` };
  const answer = await transport.send({
    method: "POST",
    path: `/api/v1/incidents/${world.incident}/${target === "eventToDelete" ? "events" : "indicators"}`,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    principal: "staff",
  });
  if (answer.status !== 201)
    throw new HostileFailure(
      `making a new ${target} answered ${answer.status}: ${answer.text.slice(0, 300)}`,
    );
  world[target] = (parse(answer.text) as { id: string }).id;
}

/** Sends the case and checks everything the property promises; throws HostileFailure with the request. */
export async function runHostileCase(
  transport: Transport,
  world: HostileWorld,
  c: HostileCase,
  tally?: Tally,
): Promise<Answer> {
  if (c.target) await transport.prepare?.(c.target, world);
  const live = await liveState(transport, world, c.target);
  const id = c.target ? world[c.target] : "00000000-0000-4000-8000-000000000000";
  const request: SentRequest = {
    method: c.method,
    path: c.path.replace("$ID", id).replace("$VERSION", String(live.version)),
    headers: c.headers,
    body: c.body?.(live),
    principal: c.principal,
  };
  const answer = await transport.send(request);
  const sentText =
    request.body === undefined
      ? request.path
      : `${request.path} ${typeof request.body === "string" ? request.body : Buffer.from(request.body).toString("latin1")}`;
  const fail = (problem: string): never => {
    throw new HostileFailure(
      `${problem}\n  request: ${describe(c, request)}\n  answer: ${answer.status} ${answer.text.slice(0, 500)}`,
    );
  };
  if (tally) {
    const byKind = tally.get(c.endpoint) ?? new Map<string, number>();
    const key = `${c.kind} → ${answer.status}`;
    byKind.set(key, (byKind.get(key) ?? 0) + 1);
    tally.set(c.endpoint, byKind);
  }

  if (answer.status >= 500) fail(`answered ${answer.status}`);
  const leak = findLeak(answer.text, sentText);
  if (leak) fail(`the answer leaks internals (${leak})`);
  const json = parse(answer.text);
  if (answer.status >= 400) {
    const shape = ErrorShape.safeParse(json);
    if (!shape.success)
      fail(
        `the error is not in the spec's shape (${shape.error.issues[0]?.message} at ${shape.error.issues[0]?.path.join(".")})`,
      );
    return answer;
  }
  // Dot segments ("..", ".") are resolved by the URL layer before any route runs: over HTTP, Next
  // answers with a redirect to the normalized path, so nothing was reached or stored.
  const dotSegment = /\/\.{1,2}(\/|\?|$)/.test(request.path);
  if (dotSegment && answer.status >= 300 && answer.status < 400) return answer;
  if (answer.status < 200 || answer.status >= 300) fail(`unexpected status ${answer.status}`);
  if (json === undefined) fail("a success that is not JSON");
  const problems = storedProblems(json);
  if (problems.length > 0) fail(`the answer carries invalid data: ${problems.slice(0, 3).join("; ")}`);

  if (c.method === "DELETE" && (c.target === "eventToDelete" || c.target === "indicatorToDelete")) {
    await replenish(transport, world, c.target);
  }
  const bulkErrors = ((json as { results?: { error?: unknown }[] }).results ?? []).flatMap(
    (result, index) => {
      if (result.error === undefined) return [];
      const shape = ErrorShape.shape.error.omit({ requestId: true }).safeParse(result.error);
      return shape.success ? [] : [`results.${index}.error is not in the spec's shape`];
    },
  );
  if (bulkErrors.length > 0) fail(bulkErrors.join("; "));
  const succeeded = c.succeeded?.(json) ?? true;
  if (succeeded && c.readBack && (c.readBackOn ?? [200, 201]).includes(answer.status)) {
    const created = (json as { id?: unknown }).id;
    const createdId = typeof created === "string" ? created : undefined;
    const path = c.readBack.path.replace("$ID", id).replace("$NEW", createdId ?? "$NEW");
    const back = await transport.send({
      method: "GET",
      path,
      headers: {},
      principal: c.readBack.principal ?? "staff",
    });
    if (back.status !== 200) fail(`reading back ${path} answered ${back.status}: ${back.text.slice(0, 300)}`);
    const stored = parse(back.text);
    const backProblems = storedProblems(stored);
    if (backProblems.length > 0) fail(`stored data is invalid: ${backProblems.slice(0, 3).join("; ")}`);
    const record = c.readBack.find ? c.readBack.find(stored, createdId) : stored;
    if (record === undefined) fail(`the stored record is not in ${path}`);
    for (const { path: field, expected } of c.readBack.values) {
      const actual = get(record, field);
      if (actual !== expected) {
        fail(
          `${field} did not round-trip: sent ${JSON.stringify(expected)?.slice(0, 200)}, stored ${JSON.stringify(actual)?.slice(0, 200)}`,
        );
      }
    }
  }
  return answer;
}

/** Placeholders in a template, for transports that send a template as it is. */
export { fillPlaceholders };
