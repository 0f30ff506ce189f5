// Search across one incident: events, findings, indicators and organizations, grouped by kind, at
// most 20 of each. Postgres full-text (`to_tsvector('simple', …)` with `websearch_to_tsquery`) finds
// words; trigram matching (pg_trgm: ILIKE and word similarity) finds parts of words and typos; and
// a query that reads as an indicator — defanged or not — is refanged and normalized with
// lib/indicators and matched exactly on `normalized_value`. The expressions below are those of the
// `*_manual` GIN indexes of migration `search_indexes`; keep them identical.
import type { Actor } from "../../auth/actor.ts";
import { assertCan } from "../../auth/permissions.ts";
import { db } from "../../db/client.ts";
import { detectIndicatorType, normalizeIndicator, refang } from "../../indicators/index.ts";
import { typeKey, typeWord, type IndicatorTypeKey } from "../indicators/queries.ts";
import type { SearchGroup, SearchHit, SearchResults } from "./dto.ts";

export const SEARCH_LIMIT = 20;

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The query as an indicator, when it reads as one once refanged. */
export function queryAsIndicator(q: string): { type: string; normalizedValue: string } | null {
  const refanged = refang(q.trim());
  if (refanged === "" || /\s/.test(refanged)) return null;
  const type = detectIndicatorType(refanged);
  if (!type) return null;
  const result = normalizeIndicator(type, refanged);
  return result.ok ? { type, normalizedValue: result.normalized } : null;
}

/** A plain-text excerpt of `text` around the first query word it contains (or its start). */
export function makeSnippet(text: string, terms: readonly string[], width = 160): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= width) return flat;
  const lower = flat.toLowerCase();
  const at = terms
    .map((term) => lower.indexOf(term.toLowerCase()))
    .filter((index) => index >= 0)
    .sort((a, b) => a - b)[0];
  const start = at === undefined ? 0 : Math.max(0, at - Math.floor(width / 3));
  const end = Math.min(flat.length, start + width);
  return `${start > 0 ? "…" : ""}${flat.slice(start, end).trim()}${end < flat.length ? "…" : ""}`;
}

function group(rows: SearchHit[]): SearchGroup {
  return { items: rows.slice(0, SEARCH_LIMIT), truncated: rows.length > SEARCH_LIMIT };
}

interface Row {
  id: string;
  title: string;
  text: string | null;
  detail: string | null;
  exact?: boolean;
}

/** Search the incident's records the actor may see. Staff only: agency users are refused (403). */
export async function searchIncident(
  actor: Actor,
  incidentId: string,
  rawQuery: string,
): Promise<SearchResults> {
  // Agency users may see only part of an incident, and never findings; search is for staff.
  assertCan(actor, "incident:read");
  const q = rawQuery.trim();
  const indicator = queryAsIndicator(q);
  // A defanged query (51.89.156[.]153) is searched as the text it stands for, too.
  const text = indicator ? refang(q) : q;
  const like = `%${escapeLike(text)}%`;
  const take = SEARCH_LIMIT + 1;
  const normalized = indicator?.normalizedValue ?? null;
  const normalizedType = indicator ? typeKey(indicator.type as Parameters<typeof typeKey>[0]) : null;

  const [events, findings, indicators, organizations] = await Promise.all([
    db().$queryRaw<Row[]>`
      SELECT id::text AS id, title, description AS text, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS detail
      FROM timeline_event
      WHERE incident_id = ${incidentId}::uuid
        AND (to_tsvector('simple', "title" || ' ' || coalesce("description", '')) @@ websearch_to_tsquery('simple', ${text})
             OR title ILIKE ${like} OR ${text} <% title)
      ORDER BY ts_rank(to_tsvector('simple', "title" || ' ' || coalesce("description", '')), websearch_to_tsquery('simple', ${text})) DESC,
               word_similarity(${text}, title) DESC, occurred_at, id
      LIMIT ${take}`,
    db().$queryRaw<Row[]>`
      SELECT id::text AS id, title, body AS text, status::text AS detail
      FROM finding
      WHERE incident_id = ${incidentId}::uuid
        AND (to_tsvector('simple', "title" || ' ' || "body") @@ websearch_to_tsquery('simple', ${text})
             OR title ILIKE ${like} OR ${text} <% title)
      ORDER BY ts_rank(to_tsvector('simple', "title" || ' ' || "body"), websearch_to_tsquery('simple', ${text})) DESC,
               word_similarity(${text}, title) DESC, updated_at DESC, id
      LIMIT ${take}`,
    db().$queryRaw<(Row & { type: IndicatorTypeKey })[]>`
      SELECT id::text AS id, value AS title, description AS text, type::text AS type,
             (normalized_value = ${normalized} AND type::text = ${normalizedType}) AS exact, NULL AS detail
      FROM indicator
      WHERE incident_id = ${incidentId}::uuid
        AND (normalized_value = ${normalized}
             OR to_tsvector('simple', "value" || ' ' || coalesce("description", '')) @@ websearch_to_tsquery('simple', ${text})
             OR normalized_value ILIKE ${like} OR ${text} <% normalized_value)
      ORDER BY (normalized_value = ${normalized}) DESC NULLS LAST,
               ts_rank(to_tsvector('simple', "value" || ' ' || coalesce("description", '')), websearch_to_tsquery('simple', ${text})) DESC,
               word_similarity(${text}, normalized_value) DESC, normalized_value, id
      LIMIT ${take}`,
    db().$queryRaw<Row[]>`
      SELECT id::text AS id, name AS title, sector AS text, kind::text AS detail
      FROM affected_organization
      WHERE incident_id = ${incidentId}::uuid
        AND (to_tsvector('simple', "name" || ' ' || coalesce("sector", '')) @@ websearch_to_tsquery('simple', ${text})
             OR name ILIKE ${like} OR ${text} <% name)
      ORDER BY ts_rank(to_tsvector('simple', "name" || ' ' || coalesce("sector", '')), websearch_to_tsquery('simple', ${text})) DESC,
               word_similarity(${text}, name) DESC, name, id
      LIMIT ${take}`,
  ]);

  const terms = [text, ...text.split(/\s+/).filter((word) => word.length > 1)];
  const hit = (row: Row, detail: string | null = row.detail): SearchHit => ({
    id: row.id,
    title: row.title,
    snippet: makeSnippet(row.text ?? "", terms),
    detail,
  });
  return {
    q,
    indicator,
    events: group(events.map((row) => hit(row))),
    findings: group(findings.map((row) => hit(row))),
    indicators: group(
      indicators.map((row) => ({ ...hit(row, typeWord(row.type)), exact: row.exact === true })),
    ),
    organizations: group(organizations.map((row) => hit(row, row.detail?.replace(/_/g, " ") ?? null))),
  };
}
