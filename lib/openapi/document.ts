// Builds the OpenAPI 3.1 document from the registry (operations.ts) with zod-openapi: request schemas
// are the routes' own zod schemas (rendered as what a client sends), responses the schemas in
// lib/validation/responses (checked against the DTO types at compile time).
import { z } from "zod";
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiOverride,
  type ZodOpenApiResponseObject,
} from "zod-openapi";
import { ErrorResponseSchema } from "../validation/responses/common.ts";
import { API_TAGS, type ApiOperation, type ErrorStatus } from "./operations.ts";
import { API_OPERATIONS } from "./operations.ts";

export const API_VERSION = "1.0.0";

const ERROR_TEXT: Record<ErrorStatus, { id: string; description: string }> = {
  400: {
    id: "BadRequest",
    description:
      "A query parameter is not valid (`invalid_input`; `details` names it), or a write's JSON syntax (`invalid_json`) or Idempotency-Key header is not.",
  },
  401: { id: "Unauthenticated", description: "No valid session cookie or API token (`unauthenticated`)." },
  403: {
    id: "Forbidden",
    description:
      "The caller's role may not do this (`forbidden`), a cross-site request (`cross_site`), a form or text body on a JSON route (`cross_site_body`), or a read-only token.",
  },
  404: {
    id: "NotFound",
    description:
      "No such record, or one of another organization: both answer alike so its existence is not revealed (`not_found`).",
  },
  409: { id: "Conflict", description: "The request conflicts with the record's current state (`conflict`)." },
  413: {
    id: "PayloadTooLarge",
    description: "The body is over the limit: 1 MB of JSON, 32 MB for imports (`payload_too_large`).",
  },
  415: {
    id: "UnsupportedMediaType",
    description: "The Content-Type is not one this route takes (`unsupported_media_type`).",
  },
  422: {
    id: "InvalidInput",
    description:
      "The body does not validate (`invalid_input`; `details` names each field), or an Idempotency-Key was reused with another request.",
  },
  429: { id: "TooManyRequests", description: "Too many attempts; try again later (`rate_limited`)." },
  500: {
    id: "InternalError",
    description: "Something unexpected failed; quote the `requestId` (`internal`).",
  },
  503: {
    id: "Unavailable",
    description:
      "The database is not reachable or too slow right now (`database_unavailable`, `database_timeout`).",
  },
};

/** The refusals a route can give, from what it does (auth, query, body, versions) plus its extras. */
export function errorStatuses(op: ApiOperation): ErrorStatus[] {
  const statuses = new Set<ErrorStatus>(op.extraErrors ?? []);
  if (op.query || op.mutation) statuses.add(400);
  if (!op.isPublic) {
    statuses.add(401);
    statuses.add(403);
    statuses.add(503);
  }
  if (op.path.includes("{")) statuses.add(404);
  if (op.conflicts) statuses.add(409);
  if (op.body || op.upload) {
    statuses.add(413);
    statuses.add(415);
    statuses.add(422);
  }
  if (op.mutation?.idempotencyKey) statuses.add(422);
  statuses.add(500);
  return [...statuses].sort((a, b) => a - b);
}

const PATH_PARAM_TEXT: Record<string, string> = {
  incident: "The incident's id or slug (for example `storm-0558`).",
  events: "The timeline event's id.",
  organizations: "The affected organization's id.",
  indicators: "The indicator's id.",
  findings: "The finding's id.",
  users: "The user's id.",
  tokens: "The API token's id.",
};

function pathParams(path: string): z.ZodObject | undefined {
  const segments = path.split("/");
  const shape: Record<string, z.ZodType> = {};
  segments.forEach((segment, index) => {
    const name = /^\{(.+)\}$/.exec(segment)?.[1];
    if (!name) return;
    const owner = name === "incident" ? "incident" : (segments[index - 1] ?? "");
    shape[name] = z
      .string()
      .min(1)
      .meta({ description: PATH_PARAM_TEXT[owner] ?? `The ${name}.` });
  });
  return Object.keys(shape).length > 0 ? z.object(shape) : undefined;
}

const IdempotencyKeyHeader = z.object({
  "Idempotency-Key": z
    .string()
    .min(1)
    .max(200)
    .optional()
    .meta({
      description:
        "Makes a retry safe: the same key with the same request replays the first answer with one effect; with another request it gets 422. Per user.",
      param: { id: "IdempotencyKey" },
    }),
});

/** `GET /api/v1/incidents/{incident}/events` → `getIncidentEvents`. */
export function operationId(op: ApiOperation): string {
  const words = op.path
    .replace(/^\/api\/v1\//, "")
    .replace(/\.json$/, "Json")
    .split("/")
    .filter((segment) => !segment.startsWith("{"))
    .flatMap((segment) => segment.split("-"));
  const singular = (word: string, index: number) =>
    index < words.length - 1 || op.path.endsWith("}") ? word.replace(/ies$/, "y").replace(/s$/, "") : word;
  return (
    op.method.toLowerCase() +
    words
      .map((word, index) => {
        const w = singular(word, index);
        return w.charAt(0).toUpperCase() + w.slice(1);
      })
      .join("")
  );
}

type ResponseObject = ZodOpenApiResponseObject;

/** Every answer carries its request id (the one in the log line and in error bodies). */
const ResponseHeaders = z.object({
  "x-request-id": z.string().meta({
    description: "The request's id: the client's own `x-request-id` when sent, else a new UUID.",
    header: { id: "RequestId" },
  }),
});

/** One shared object per status, so zod-openapi writes each once under components.responses. */
function errorResponses(): Record<ErrorStatus, ResponseObject> {
  const entries = Object.entries(ERROR_TEXT).map(([status, text]) => [
    status,
    {
      id: text.id,
      description: text.description,
      headers: ResponseHeaders,
      content: { "application/json": { schema: ErrorResponseSchema } },
    },
  ]);
  return Object.fromEntries(entries) as Record<ErrorStatus, ResponseObject>;
}

function toOperation(
  op: ApiOperation,
  shared: Record<ErrorStatus, ResponseObject>,
): ZodOpenApiOperationObject {
  const path = pathParams(op.path);
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  for (const success of op.responses) {
    responses[String(success.status)] = {
      description: success.description,
      headers: ResponseHeaders,
      content: success.schema ? { "application/json": { schema: success.schema } } : success.content,
    };
  }
  for (const status of errorStatuses(op)) {
    responses[String(status)] =
      status === 409 && op.conflicts
        ? {
            description: `${op.conflicts.replace(/\.$/, "")} (\`conflict\`).`,
            headers: ResponseHeaders,
            content: { "application/json": { schema: ErrorResponseSchema } },
          }
        : shared[status];
  }
  const requestBody: ZodOpenApiOperationObject["requestBody"] = op.body
    ? { required: true, content: { "application/json": { schema: op.body } } }
    : op.upload
      ? {
          required: true,
          description: op.upload.description,
          content: Object.fromEntries(
            op.upload.contentTypes.map((type) => [type, { schema: { type: "string" } }]),
          ),
        }
      : undefined;
  return {
    operationId: operationId(op),
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    ...(op.isPublic ? { security: [] } : {}),
    requestParams: {
      ...(path ? { path } : {}),
      ...(op.query ? { query: op.query as z.ZodObject } : {}),
      ...(op.mutation?.idempotencyKey ? { header: IdempotencyKeyHeader } : {}),
    },
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

export function buildOpenApiDocument(operations: readonly ApiOperation[] = API_OPERATIONS) {
  const paths: ZodOpenApiPathsObject = {};
  const shared = errorResponses();
  for (const op of operations) {
    const item = (paths[op.path] ??= {});
    const method = op.method.toLowerCase() as "get" | "post" | "put" | "patch" | "delete";
    if (item[method]) throw new Error(`Two registry entries for ${op.method} ${op.path}`);
    item[method] = toOperation(op, shared);
  }
  return createDocument(
    {
      openapi: "3.1.0",
      info: {
        title: "Dwell API",
        version: API_VERSION,
        description:
          "JSON under /api/v1. Lists answer `{ items, nextCursor }` (pass `nextCursor` back as `cursor`); errors `{ error: { code, message, details?, requestId } }`. Mutations take JSON (≤ 1 MB), refuse cross-site requests and accept `Idempotency-Key`. `{incident}` is the incident's id or slug.",
      },
      tags: API_TAGS.map((tag) => ({ name: tag.name, description: tag.description })),
      security: [{ sessionCookie: [] }, { bearerToken: [] }],
      components: {
        securitySchemes: {
          sessionCookie: {
            type: "apiKey",
            in: "cookie",
            name: "next-auth.session-token",
            description:
              "The browser session from signing in at /login (`__Secure-next-auth.session-token` when the app is served over https).",
          },
          bearerToken: {
            type: "http",
            scheme: "bearer",
            description:
              "An API token (`dwell_…`), sent as `Authorization: Bearer <token>`; it acts with its owner's role.",
          },
        },
      },
      paths,
    },
    { override: showEnumWords },
  );
}

/**
 * A vocabulary field is `z.string().trim().toLowerCase().pipe(z.enum([...]))`: what a client sends is
 * a string (the input side of the pipe), but only the enum's words are accepted, so say so.
 */
const showEnumWords: ZodOpenApiOverride = ({ jsonSchema, zodSchema, io }) => {
  const def = zodSchema._zod.def as { type: string; out?: z.ZodType };
  const out = def.out?._zod.def as { type: string; entries?: Record<string, string> } | undefined;
  if (
    io === "input" &&
    def.type === "pipe" &&
    out?.type === "enum" &&
    out.entries &&
    jsonSchema.type === "string"
  ) {
    jsonSchema.enum = Object.values(out.entries);
  }
};

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;

let cached: OpenApiDocument | undefined;

/** The document for the running app: built once per process (the schemas do not change at run time). */
export function getOpenApiDocument(): OpenApiDocument {
  cached ??= buildOpenApiDocument();
  return cached;
}
