// Response schema of GET …/search.
import { z } from "zod";
import type { SearchResults } from "../../domain/search/dto.ts";
import type { AllTrue, Matches } from "./check.ts";

const SearchGroupSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      snippet: z.string(),
      detail: z.string().nullable(),
      exact: z.boolean().optional(),
    }),
  ),
  truncated: z.boolean().meta({ description: "More matched than the 20 returned." }),
});

export const SearchResultsSchema = z
  .object({
    q: z.string(),
    indicator: z.object({ type: z.string(), normalizedValue: z.string() }).nullable(),
    events: SearchGroupSchema,
    findings: SearchGroupSchema,
    indicators: SearchGroupSchema,
    organizations: SearchGroupSchema,
  })
  .meta({ id: "SearchResults" });

export type ResponseSchemaChecks = AllTrue<[Matches<typeof SearchResultsSchema, SearchResults>]>;
