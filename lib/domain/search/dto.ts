// What the incident search answers.
export type SearchKind = "events" | "findings" | "indicators" | "organizations";

export interface SearchHit {
  id: string;
  /** The event's, finding's or organization's title or name; the indicator's value. */
  title: string;
  /** A short excerpt of the text that matched (plain text). */
  snippet: string;
  /** Extra words shown beside the title: an indicator's type, a finding's status, an event's date. */
  detail: string | null;
  /** Whether the indicator's normalized value equals the (refanged, normalized) query. */
  exact?: boolean;
}

export interface SearchGroup {
  items: SearchHit[];
  /** More matched than the 20 returned. */
  truncated: boolean;
}

export interface SearchResults {
  q: string;
  /** The query as an indicator after refanging and normalizing, when it reads as one. */
  indicator: { type: string; normalizedValue: string } | null;
  events: SearchGroup;
  findings: SearchGroup;
  indicators: SearchGroup;
  organizations: SearchGroup;
}
