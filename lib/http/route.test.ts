import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { publicRoute } from "./route.ts";

const context = { params: Promise.resolve({}) };

function request(headers: Record<string, string> = {}): NextRequest {
  return new NextRequest("http://127.0.0.1:3000/api/v1/example", { headers });
}

function expectApiHeaders(response: Response): void {
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  expect(response.headers.get("x-frame-options")).toBe("DENY");
  const policy = response.headers.get("content-security-policy") ?? "";
  expect(policy).toContain("default-src 'none'");
  expect(policy).toContain("frame-ancestors 'none'");
}

describe("the API route wrapper's headers (the proxy does not run for the API)", () => {
  it("answers with the security headers and keeps a plain client request id", async () => {
    const route = publicRoute(async () => ({ ok: true }));
    const response = await route(request({ "x-request-id": "support-ticket-4711" }), context);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(response.headers.get("x-request-id")).toBe("support-ticket-4711");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expectApiHeaders(response);
  });

  it("replaces a request id that could forge log content with a new UUID", async () => {
    const route = publicRoute(async ({ requestId }) => ({ requestId }));
    const response = await route(request({ "x-request-id": 'x","level":"error' }), context);
    const id = response.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(await response.json()).toEqual({ requestId: id });
  });

  it("puts the headers on a Response the handler built itself and on typed errors", async () => {
    const download = publicRoute(
      async () => new Response("a,b\n", { headers: { "content-type": "text/csv" } }),
    );
    const file = await download(request(), context);
    expect(file.headers.get("content-type")).toBe("text/csv");
    expectApiHeaders(file);

    const refused = publicRoute(async () => {
      throw new AppError("cross_site", "Requests from another site are refused.", 403);
    });
    const answer = await refused(request(), context);
    expect(answer.status).toBe(403);
    const body = (await answer.json()) as { error: { code: string; requestId: string } };
    expect(body.error.code).toBe("cross_site");
    expect(body.error.requestId).toBe(answer.headers.get("x-request-id"));
    expectApiHeaders(answer);
  });
});
