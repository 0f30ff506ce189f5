// Response schema of an incident's audit trail.
import { z } from "zod";
import type { AuditEntryDto, AuditPage } from "../../domain/audit/dto.ts";
import type { AllTrue, Matches } from "./check.ts";
import { isoInstant } from "./common.ts";

export const AuditEntrySchema = z
  .object({
    id: z.string(),
    at: isoInstant(),
    actor: z.object({
      id: z.string().nullable().meta({ description: "Null for entries the system wrote (seed, CLI)." }),
      name: z.string().nullable(),
      label: z.string().meta({ description: "As recorded: `responder@dwell.example (responder)`." }),
    }),
    action: z.string(),
    entity: z.object({
      type: z.string(),
      id: z.string(),
      label: z.string().nullable(),
      exists: z.boolean(),
      link: z
        .object({ page: z.enum(["timeline", "findings", "indicators", "organizations"]), q: z.string() })
        .nullable(),
    }),
    kind: z.enum(["create", "update", "delete", "none"]),
    changes: z.array(
      z.object({ field: z.string(), before: z.string().nullable(), after: z.string().nullable() }),
    ),
    requestId: z.string().nullable(),
  })
  .meta({ id: "AuditEntry" });

export const AuditPageSchema = z
  .object({ items: z.array(AuditEntrySchema), nextCursor: z.string().nullable() })
  .meta({ id: "AuditPage" });

export type ResponseSchemaChecks = AllTrue<
  [Matches<typeof AuditEntrySchema, AuditEntryDto>, Matches<typeof AuditPageSchema, AuditPage>]
>;
