"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { queryKeys } from "@/lib/query-keys";

export type StreamStatus = "connecting" | "live" | "reconnecting";

/**
 * Follows the incident's server-sent change events and refreshes what they touch: the event lists,
 * the chart buckets, and the server-rendered key times.
 */
export function useIncidentStream(incident: string): StreamStatus {
  const queryClient = useQueryClient();
  const router = useRouter();
  const [status, setStatus] = useState<StreamStatus>("connecting");

  useEffect(() => {
    const source = new EventSource(`/api/v1/incidents/${encodeURIComponent(incident)}/stream`);
    let refreshTimer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.events(incident) });
      void queryClient.invalidateQueries({ queryKey: ["incident", incident, "buckets"] });
      void queryClient.invalidateQueries({ queryKey: queryKeys.metrics(incident) });
      // Key times are rendered on the server; a burst of changes refreshes them once.
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => router.refresh(), 300);
    };
    let wasLive = false;
    source.addEventListener("ready", () => {
      setStatus("live");
      // After a reconnect, anything missed while away is fetched again.
      if (wasLive) refresh();
      wasLive = true;
    });
    source.addEventListener("change", refresh);
    source.onerror = () => setStatus("reconnecting");
    return () => {
      clearTimeout(refreshTimer);
      source.close();
    };
  }, [incident, queryClient, router]);

  return status;
}
