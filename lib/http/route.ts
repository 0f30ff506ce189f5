// The one route-handler wrapper: establishes the actor, parses input with the use case's zod schema,
// and maps typed errors to the spec's error shape with the request id. The request's log line is
// written by the HTTP server (lib/http/request-log.ts); this names its user.
import { NextResponse, type NextRequest } from "next/server";
import type { z } from "zod";
import type { Actor } from "../auth/actor.ts";
import { assertCan, type Permission } from "../auth/permissions.ts";
import { getApiActor } from "../auth/session.ts";
import { AppError, invalidInput, mapDatabaseError, unauthenticated, type ErrorDetail } from "../errors.ts";
import { log } from "../log.ts";
import { chooseRequestId } from "./request-id.ts";
import { noteRequestUser } from "./request-log.ts";
import { API_CONTENT_SECURITY_POLICY, STATIC_SECURITY_HEADERS } from "./security-headers.ts";
import type { IdempotencyRequest, MutationResult } from "../domain/mutation.ts";
import { assertNoPendingPasswordChange } from "../domain/users/pending-password-change.ts";

export interface RouteContext<P> {
  req: NextRequest;
  params: P;
  requestId: string;
}

export interface AuthedContext<P> extends RouteContext<P> {
  actor: Actor;
}

type Params = Record<string, string | string[]>;

function errorResponse(error: AppError, requestId: string): Response {
  const response = NextResponse.json(
    {
      error: {
        code: error.code,
        message: error.userMessage,
        ...(error.details ? { details: error.details } : {}),
        requestId,
      },
    },
    { status: error.status, headers: { "cache-control": "no-store" } },
  );
  return withApiHeaders(response, requestId);
}

/**
 * The headers every API answer carries: its request id and the security headers. The proxy does not
 * run for the API (see proxy.ts), so this is the only place that sets them.
 */
function withApiHeaders(response: Response, requestId: string): Response {
  response.headers.set("x-request-id", requestId);
  response.headers.set("Content-Security-Policy", API_CONTENT_SECURITY_POLICY);
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) response.headers.set(name, value);
  return response;
}

function wrap<P extends Params>(
  handler: (ctx: RouteContext<P>) => Promise<Response | unknown>,
): (req: NextRequest, context: { params: Promise<P> }) => Promise<Response> {
  return async (req, context) => {
    const requestId = chooseRequestId(req.headers.get("x-request-id"));
    try {
      const params = await context.params;
      const result = await handler({ req, params, requestId });
      const response =
        result instanceof Response
          ? result
          : NextResponse.json(result, { headers: { "cache-control": "no-store" } });
      return withApiHeaders(response, requestId);
    } catch (error) {
      const mapped = mapDatabaseError(error);
      if (mapped) return errorResponse(mapped, requestId);
      log("error", "unhandled error in route", {
        requestId,
        route: req.nextUrl.pathname,
        error:
          error instanceof Error
            ? { name: error.name, message: error.message, stack: error.stack }
            : String(error),
      });
      return errorResponse(
        new AppError(
          "internal",
          "Something went wrong on our side. Quote the request id if you report it.",
          500,
        ),
        requestId,
      );
    }
  };
}

/** A public route (health). */
export function publicRoute<P extends Params = Params>(
  handler: (ctx: RouteContext<P>) => Promise<Response | unknown>,
) {
  return wrap(handler);
}

/**
 * A route that needs an actor: the session cookie, or an API token (`Authorization: Bearer`) with
 * the same rules. Permission checks happen in lib/domain.
 */
export function authedRoute<P extends Params = Params>(
  handler: (ctx: AuthedContext<P>) => Promise<Response | unknown>,
) {
  return wrap<P>(async (ctx) => {
    const actor = await getApiActor(ctx.req.headers.get("authorization"));
    if (!actor) throw unauthenticated();
    noteRequestUser(actor.userId, actor.tokenId);
    assertNoPendingPasswordChange(actor, ctx.req.nextUrl.pathname);
    return handler({ ...ctx, actor });
  });
}

/** Parses query parameters with the use case's schema; errors name the parameter. */
export function parseQuery<S extends z.ZodType>(req: NextRequest, schema: S): z.infer<S> {
  const raw: Record<string, string> = {};
  req.nextUrl.searchParams.forEach((value, key) => {
    raw[key] = value;
  });
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw invalidInput(zodDetails(parsed.error), undefined, 400);
  return parsed.data;
}

export function zodDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.map((issue) => ({
    field: issue.path.join(".") || undefined,
    message: issue.message,
  }));
}

const MAX_JSON_BODY_BYTES = 1_048_576;

export interface MutationContext<P, I> extends AuthedContext<P> {
  input: I;
  /** Present when the client sent an Idempotency-Key; pass it to the domain command. */
  idempotency?: IdempotencyRequest;
}

/**
 * Refuses cross-site requests: a foreign or null Origin, or a browser saying the request is
 * cross-site. Requests without Origin (API clients with a bearer token, curl) pass.
 */
export function assertSameOrigin(req: NextRequest): void {
  const site = req.headers.get("sec-fetch-site");
  if (site === "cross-site") throw new AppError("cross_site", "Cross-site requests are refused.", 403);
  const origin = req.headers.get("origin");
  if (origin === null) return;
  if (origin === "null" || origin !== req.nextUrl.origin) {
    const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
    const proto = req.headers.get("x-forwarded-proto") ?? req.nextUrl.protocol.replace(":", "");
    if (origin === "null" || !host || origin !== `${proto}://${host}`) {
      throw new AppError("cross_site", "Requests from another site are refused.", 403);
    }
  }
}

/**
 * The body types an HTML form or a script's no-cors request may send to another site without asking
 * first. A JSON route never takes them, so they are refused as cross-site attempts, not as a mere
 * wrong format: whatever the Origin said, such a body changes nothing.
 */
const FORM_BODY_TYPE =
  /^\s*(?:text\/plain|application\/x-www-form-urlencoded|multipart\/form-data)\s*(?:;|$)/i;

async function readJsonBody(req: NextRequest): Promise<{ raw: string; value: unknown }> {
  const type = req.headers.get("content-type") ?? "";
  if (FORM_BODY_TYPE.test(type)) {
    throw new AppError(
      "cross_site_body",
      "A JSON route refuses form and text bodies, which any site can send: send the body as JSON with Content-Type: application/json.",
      403,
    );
  }
  if (!/^application\/json\b/i.test(type)) {
    throw new AppError(
      "unsupported_media_type",
      "Send the body as JSON with Content-Type: application/json.",
      415,
    );
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(type)?.[1];
  if (charset && charset.toLowerCase() !== "utf-8" && charset.toLowerCase() !== "utf8") {
    throw new AppError("unsupported_media_type", "Send the JSON body as UTF-8 (charset=utf-8).", 415);
  }
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_JSON_BODY_BYTES) {
    throw new AppError(
      "payload_too_large",
      `The body is larger than the ${MAX_JSON_BODY_BYTES / 1_048_576} MB limit.`,
      413,
    );
  }
  const bytes = new Uint8Array(await req.arrayBuffer());
  if (bytes.byteLength > MAX_JSON_BODY_BYTES) {
    throw new AppError(
      "payload_too_large",
      `The body is larger than the ${MAX_JSON_BODY_BYTES / 1_048_576} MB limit.`,
      413,
    );
  }
  let raw: string;
  try {
    // Fatal: invalid bytes are refused rather than stored as U+FFFD.
    raw = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("invalid_encoding", "The body is not valid UTF-8: send JSON encoded as UTF-8.", 400);
  }
  try {
    return { raw, value: raw.trim() === "" ? {} : (JSON.parse(raw) as unknown) };
  } catch {
    throw new AppError("invalid_json", "The body is not valid JSON.", 400);
  }
}

/**
 * A state-changing route: same-origin check, JSON body (≤ 1 MB) validated with the use case's zod
 * schema (errors name the field), and the Idempotency-Key handed to the domain command.
 */
export function mutationRoute<P extends Params, S extends z.ZodType>(
  schema: S | null,
  handler: (ctx: MutationContext<P, z.infer<S>>) => Promise<MutationResult>,
  /**
   * Checked before the body is read, so a role that may never do this gets 403 whatever it sent.
   * The domain command checks again: this is an early answer, not the boundary.
   */
  permission?: Permission,
) {
  return authedRoute<P>(async (ctx) => {
    assertSameOrigin(ctx.req);
    if (permission) assertCan(ctx.actor, permission);
    let raw = "";
    let input: unknown = undefined;
    if (schema) {
      const body = await readJsonBody(ctx.req);
      raw = body.raw;
      const parsed = schema.safeParse(body.value);
      if (!parsed.success) throw invalidInput(zodDetails(parsed.error));
      input = parsed.data;
    }
    const key = ctx.req.headers.get("idempotency-key")?.trim();
    if (key !== undefined && (key.length === 0 || key.length > 200)) {
      throw invalidInput(
        [{ field: "Idempotency-Key", message: "must be 1 to 200 characters" }],
        undefined,
        400,
      );
    }
    const idempotency = key
      ? {
          principalId: ctx.actor.userId,
          key,
          method: ctx.req.method,
          path: ctx.req.nextUrl.pathname,
          body: raw,
        }
      : undefined;
    const result = await handler({ ...ctx, input: input as z.infer<S>, idempotency });
    return NextResponse.json(result.body, {
      status: result.status,
      headers: { "cache-control": "no-store" },
    });
  });
}
