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

export const queryKeys = {
  incident: (incident: string) => ["incident", incident] as const,
  events: (incident: string) => ["incident", incident, "events"] as const,
  eventList: (incident: string, filters: EventFilters) => ["incident", incident, "events", "list", filters] as const,
  event: (incident: string, id: string) => ["incident", incident, "events", "one", id] as const,
  buckets: (incident: string, range: { from?: string; to?: string; lane?: string; phase?: string }) =>
    ["incident", incident, "buckets", range] as const,
  metrics: (incident: string) => ["incident", incident, "metrics"] as const,
};
