// Keyset cursors: an opaque, URL-safe encoding of the last row's sort key.
import { z } from "zod";
import { AppError } from "../errors.ts";

const TimeCursorSchema = z.tuple([z.iso.datetime(), z.uuid()]);

export function encodeTimeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString("base64url");
}

export function decodeTimeCursor(cursor: string): { at: Date; id: string } {
  try {
    const parsed = TimeCursorSchema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return { at: new Date(parsed[0]), id: parsed[1] };
  } catch {
    throw new AppError(
      "invalid_cursor",
      "cursor is not valid: pass the nextCursor of a previous page unchanged.",
      400,
      [{ field: "cursor", message: "not a cursor this API issued" }],
    );
  }
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
