// Uploaded files for imports: the format from the query or Content-Type, and the body as a byte
// stream that stops with 413 once it passes the limit (a missing or false Content-Length is no way round it).
import type { NextRequest } from "next/server";
import { AppError } from "../errors.ts";
import type { ImportFormat } from "../validation/indicators.ts";

export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;

const tooLarge = () =>
  new AppError(
    "payload_too_large",
    `The upload is larger than the ${MAX_IMPORT_BYTES / 1024 / 1024} MB limit: split the file and import the parts.`,
    413,
  );

/** The import format: `format=` wins; otherwise the Content-Type names it. */
export function importFormatOf(req: NextRequest, fromQuery: ImportFormat | undefined): ImportFormat {
  if (fromQuery) return fromQuery;
  const type = (req.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "text/plain") return "text";
  if (type === "text/csv" || type === "application/csv") return "csv";
  if (type === "application/stix+json" || type === "application/json") return "stix";
  throw new AppError(
    "unsupported_media_type",
    "Send pasted text as text/plain, a CSV as text/csv, or a STIX 2.1 bundle as application/stix+json (or name it with format=text|csv|stix).",
    415,
  );
}

/** The request body as bytes, refused with 413 above the limit. */
export async function* limitedBody(
  req: NextRequest,
  maxBytes = MAX_IMPORT_BYTES,
): AsyncGenerator<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge();
  if (!req.body) return;
  let total = 0;
  const reader = req.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      total += value.byteLength;
      if (total > maxBytes) throw tooLarge();
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
