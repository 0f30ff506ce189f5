// Observability: every request — page, API route, sign-in — leaves exactly one JSON log line with its
// request id, user, method, path, status and duration; the id is the one the client got in
// `x-request-id` (and in an error's body), and nothing secret (password, session cookie) is ever written.
// Runs its own `next start` so it can read the server's output.
import { expect, test } from "@playwright/test";
import {
  DEMO_PASSWORD,
  EVENTS_API,
  INCIDENT,
  signInDirect,
  startExtraServer,
  TIMELINE_PATH,
} from "./fixtures";

interface LogLine {
  time: string;
  level: string;
  message: string;
  requestId?: string;
  method?: string;
  route?: string;
  status?: number;
  userId?: string;
  durationMs?: number;
}

function requestLines(stdout: string): LogLine[] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as LogLine)
    .filter((line) => line.message === "request");
}

test("one log line per request, matched by the request id the client saw; no secrets", async ({
  browser,
}, testInfo) => {
  test.setTimeout(120_000);
  const server = await startExtraServer({ DWELL_LOG_LEVEL: "info" });
  const context = await browser.newContext({ baseURL: server.url });
  try {
    const page = await context.newPage();
    await signInDirect(page, "responder@dwell.example");
    const session = (await (await page.request.get("/api/auth/session")).json()) as { user: { id: string } };
    const userId = session.user.id;
    expect(userId).toMatch(/^[0-9a-f-]{36}$/);

    const seen: { id: string; status: number; route: string }[] = [];
    const pageResponse = await page.goto(TIMELINE_PATH);
    expect(pageResponse?.status()).toBe(200);
    seen.push({ id: (await pageResponse!.headerValue("x-request-id"))!, status: 200, route: TIMELINE_PATH });

    const list = await page.request.get(`${EVENTS_API}?limit=5`);
    expect(list.status()).toBe(200);
    seen.push({ id: list.headers()["x-request-id"]!, status: 200, route: EVENTS_API });

    // An error names the same id in its body as in its header.
    const missing = await page.request.get(
      `/api/v1/incidents/${INCIDENT}/events/00000000-0000-4000-8000-000000000000`,
    );
    expect(missing.status()).toBe(404);
    const body = (await missing.json()) as { error: { requestId: string } };
    expect(body.error.requestId).toBe(missing.headers()["x-request-id"]);
    seen.push({
      id: body.error.requestId,
      status: 404,
      route: `/api/v1/incidents/${INCIDENT}/events/00000000-0000-4000-8000-000000000000`,
    });

    // A client may bring its own id (a proxy in front, a support ticket): it is kept end to end.
    const traced = await page.request.get("/api/v1/incidents", {
      headers: { "x-request-id": "support-ticket-4711" },
    });
    expect(traced.headers()["x-request-id"]).toBe("support-ticket-4711");
    seen.push({ id: "support-ticket-4711", status: 200, route: "/api/v1/incidents" });
    // One that could forge log content is replaced.
    const forged = await page.request.get("/api/v1/incidents", {
      headers: { "x-request-id": 'x","level":"error' },
    });
    expect(forged.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);

    let lines: LogLine[] = [];
    await expect
      .poll(() => {
        lines = requestLines(server.stdout());
        return seen.every((s) => lines.some((l) => l.requestId === s.id));
      })
      .toBe(true);
    for (const s of seen) {
      const mine = lines.filter((l) => l.requestId === s.id);
      expect(mine, `log lines for ${s.route}`).toHaveLength(1);
      expect(mine[0]).toMatchObject({
        level: "info",
        method: "GET",
        route: s.route,
        status: s.status,
        userId,
      });
      expect(typeof mine[0]!.durationMs).toBe("number");
      expect(new Date(mine[0]!.time).getTime()).not.toBeNaN();
    }
    // The sign-in itself was logged (no user yet: the credentials are not a user until they check out).
    expect(lines.some((l) => l.route === "/api/auth/callback/credentials" && l.method === "POST")).toBe(true);

    const cookie = (await context.cookies()).find((c) => c.name.endsWith("next-auth.session-token"));
    expect(cookie, "a session cookie").toBeTruthy();
    const everything = server.output();
    expect(everything).not.toContain(DEMO_PASSWORD);
    expect(everything).not.toContain(cookie!.value);
  } finally {
    await context.close();
    await server.stop();
    await testInfo.attach("server output", { body: server.output(), contentType: "text/plain" });
  }
});
