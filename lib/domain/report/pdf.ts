// Renders the report page to PDF with headless Chromium on the server, when the machine has one.
// The browser loads the page at the app's own origin with the requesting user's cookies, so the PDF
// shows exactly what that user's print view shows, under the same permission checks.
import { existsSync } from "node:fs";
import type { Actor } from "../../auth/actor.ts";
import { AppError } from "../../errors.ts";
import { findDashboardIncident } from "../dashboard/queries.ts";

export const CHROMIUM_PATH = "/usr/bin/chromium";
const RENDER_TIMEOUT_MS = 30_000;

export const PDF_UNAVAILABLE_MESSAGE =
  "PDF rendering needs Chromium on the server; use your browser's Print → Save as PDF.";

function unavailable(): AppError {
  return new AppError("pdf_unavailable", PDF_UNAVAILABLE_MESSAGE, 503);
}

type ChromiumLauncher = {
  launch(options: { executablePath: string; args: string[]; timeout: number }): Promise<{
    newContext(): Promise<{
      addCookies(cookies: Array<{ name: string; value: string; url: string }>): Promise<void>;
      newPage(): Promise<{
        goto(
          url: string,
          options: { waitUntil: "load"; timeout: number },
        ): Promise<{ status(): number } | null>;
        url(): string;
        emulateMedia(options: { media: "print" }): Promise<void>;
        pdf(options: {
          format: string;
          printBackground: boolean;
          margin: Record<string, string>;
        }): Promise<Buffer>;
      }>;
    }>;
    close(): Promise<void>;
  }>;
};

/** playwright-core (a dependency of @playwright/test), when installed; null otherwise. */
async function loadChromium(): Promise<ChromiumLauncher | null> {
  try {
    const name = "playwright-core";
    const loaded = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ name)) as {
      chromium?: ChromiumLauncher;
    };
    return loaded.chromium ?? null;
  } catch {
    return null;
  }
}

function parseCookies(header: string | null): Array<{ name: string; value: string }> {
  if (!header) return [];
  return header
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part.includes("="))
    .map((part) => {
      const index = part.indexOf("=");
      return { name: part.slice(0, index), value: part.slice(index + 1) };
    });
}

export interface ReportPdf {
  filename: string;
  bytes: Buffer;
}

/**
 * `origin` is the app's own (NEXTAUTH_URL's when set): never an address taken from the request alone
 * beyond that, so the server's browser only ever visits this app.
 */
export async function renderReportPdf(
  actor: Actor,
  ref: string,
  options: { origin: string; cookieHeader: string | null },
): Promise<ReportPdf> {
  const incident = await findDashboardIncident(actor, ref);
  // The PDF is the report page printed with the caller's session cookie; an API token opens no page.
  if (actor.tokenId) {
    throw new AppError(
      "session_required",
      "The PDF report is printed from the report page, which needs a browser session: download it while signed in, or read the same figures with your token from …/dashboard.",
      403,
    );
  }
  if (!existsSync(CHROMIUM_PATH)) throw unavailable();
  const chromium = await loadChromium();
  if (!chromium) throw unavailable();
  let browser: Awaited<ReturnType<ChromiumLauncher["launch"]>>;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: ["--no-sandbox"],
      timeout: RENDER_TIMEOUT_MS,
    });
  } catch {
    throw unavailable();
  }
  try {
    const context = await browser.newContext();
    const cookies = parseCookies(options.cookieHeader).map((cookie) => ({ ...cookie, url: options.origin }));
    if (cookies.length > 0) await context.addCookies(cookies);
    const page = await context.newPage();
    const response = await page.goto(
      `${options.origin}/incidents/${encodeURIComponent(incident.slug)}/report`,
      {
        waitUntil: "load",
        timeout: RENDER_TIMEOUT_MS,
      },
    );
    // A session that ended meanwhile lands on the sign-in page (200): that is not the report.
    const landed = new URL(page.url()).pathname;
    if (!response || response.status() !== 200 || !landed.endsWith("/report")) {
      throw new AppError("pdf_failed", "The report page could not be loaded for PDF rendering.", 502);
    }
    await page.emulateMedia({ media: "print" });
    const bytes = await page.pdf({
      format: "A4",
      printBackground: false,
      margin: { top: "15mm", bottom: "15mm", left: "12mm", right: "12mm" },
    });
    return { filename: `${incident.slug}-report.pdf`, bytes };
  } finally {
    await browser.close();
  }
}
