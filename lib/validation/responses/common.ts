// Shapes every API answer shares: the error body, list pages, ISO instants.
import { z } from "zod";
import type { ErrorDetail } from "../../errors.ts";
import type { AllTrue, Matches } from "./check.ts";

/** An instant as the API writes it: `Date.prototype.toISOString()` (UTC, milliseconds, `Z`). */
export const isoInstant = () => z.iso.datetime().meta({ description: "An instant in UTC (ISO 8601)." });

/** A reference to another record by id and name. */
export const NamedRefSchema = z.object({ id: z.string(), name: z.string() });
export const TitledRefSchema = z.object({ id: z.string(), title: z.string() });
export const IndicatorRefSchema = z.object({ id: z.string(), type: z.string(), value: z.string() });

export const ErrorDetailSchema = z
  .object({
    field: z.string().optional().meta({ description: "The field or parameter at fault." }),
    line: z.number().int().optional().meta({ description: "The line of an uploaded file." }),
    value: z.string().optional(),
    message: z.string(),
  })
  .meta({ id: "ErrorDetail" });

export const ErrorResponseSchema = z
  .object({
    error: z.object({
      code: z
        .string()
        .meta({ description: "A stable, machine-readable code such as `not_found` or `invalid_input`." }),
      message: z.string().meta({ description: "What went wrong, in words a person can act on." }),
      details: z.array(ErrorDetailSchema).optional(),
      requestId: z
        .string()
        .meta({ description: "Quote it when reporting a problem; also in `x-request-id`." }),
    }),
  })
  .meta({ id: "Error", description: "Every refusal and failure answers in this shape." });

/** A keyset-paged list: `nextCursor` is null on the last page. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: "Pass as `cursor` for the next page; null on the last." }),
  });
}

export const DeletedSchema = z.object({ id: z.string(), deleted: z.literal(true) }).meta({ id: "Deleted" });

export type ResponseSchemaChecks = AllTrue<[Matches<typeof ErrorDetailSchema, ErrorDetail>]>;
