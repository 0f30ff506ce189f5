// The query of GET /api/v1/incidents/{incident}/search.
import { z } from "zod";

export const SEARCH_QUERY_MAX_LENGTH = 200;

export const SearchQuerySchema = z.object({
  q: z
    .string({ error: "q is required: the words or the indicator to look for" })
    .trim()
    .min(1, "q is required: the words or the indicator to look for")
    .max(SEARCH_QUERY_MAX_LENGTH, `q must be at most ${SEARCH_QUERY_MAX_LENGTH} characters`),
});

export type SearchQuery = z.infer<typeof SearchQuerySchema>;
