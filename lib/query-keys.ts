// The one TanStack Query key factory: every client query and invalidation takes its key from here.
export interface EventFilters {
  lane?: string;
  phase?: string;
  q?: string;
  from?: string;
  to?: string;
  org?: string;
  indicator?: string;
  technique?: string;
}

/** Indicator list filters as they appear in the URL and the API's query string. */
export interface IndicatorFilters {
  type?: string;
  tlp?: string;
  q?: string;
  sort?: string;
}

/** Finding list filters as they appear in the URL and the API's query string. */
export interface FindingFilters {
  status?: string;
  severity?: string;
  q?: string;
}

export const queryKeys = {
  incident: (incident: string) => ["incident", incident] as const,
  events: (incident: string) => ["incident", incident, "events"] as const,
  eventList: (incident: string, filters: EventFilters) =>
    ["incident", incident, "events", "list", filters] as const,
  event: (incident: string, id: string) => ["incident", incident, "events", "one", id] as const,
  buckets: (incident: string, range: { from?: string; to?: string; lane?: string; phase?: string }) =>
    ["incident", incident, "buckets", range] as const,
  metrics: (incident: string) => ["incident", incident, "metrics"] as const,
  indicators: (incident: string) => ["incident", incident, "indicators"] as const,
  indicatorList: (incident: string, filters: IndicatorFilters) =>
    ["incident", incident, "indicators", "list", filters] as const,
  indicator: (incident: string, id: string) => ["incident", incident, "indicators", "one", id] as const,
  sightings: (incident: string, id: string) =>
    ["incident", incident, "indicators", "one", id, "sightings"] as const,
  findings: (incident: string) => ["incident", incident, "findings"] as const,
  findingList: (incident: string, filters: FindingFilters) =>
    ["incident", incident, "findings", "list", filters] as const,
  findingHistory: (incident: string, id: string) => ["incident", incident, "findings", "history", id] as const,
};
