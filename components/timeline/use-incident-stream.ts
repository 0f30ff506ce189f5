"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import type { ChangeNotice } from "@/lib/domain/changes";
import { queryKeys } from "@/lib/query-keys";

export type StreamStatus = "connecting" | "live" | "reconnecting";

/**
 * Follows the incident's server-sent change events and refreshes what they touch: the event lists,
 * the chart buckets, one indicator's details, and the server-rendered key times. Long keyset lists
 * (indicators) decide for themselves how to catch up through `onChange`: refetching every loaded page
 * of a deep scroll on each notice would not scale. `onChange(null)` means notices may have been missed
 * (after a reconnect).
 */
export function useIncidentStream(
  incident: string,
  onChange?: (notice: ChangeNotice | null) => void,
): StreamStatus {
  const queryClient = useQueryClient();
  const router = useRouter();
  const [status, setStatus] = useState<StreamStatus>("connecting");
  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  }, [onChange]);

  useEffect(() => {
    const source = new EventSource(`/api/v1/incidents/${encodeURIComponent(incident)}/stream`);
    let refreshTimer: ReturnType<typeof setTimeout> | undefined;
    const refresh = (notice: ChangeNotice | null) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.events(incident) });
      void queryClient.invalidateQueries({ queryKey: ["incident", incident, "buckets"] });
      void queryClient.invalidateQueries({ queryKey: queryKeys.metrics(incident) });
      void queryClient.invalidateQueries({ queryKey: [...queryKeys.indicators(incident), "one"] });
      onChangeRef.current?.(notice);
      // Key times are rendered on the server; a burst of changes refreshes them once.
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => router.refresh(), 300);
    };
    let wasLive = false;
    source.addEventListener("ready", () => {
      setStatus("live");
      // After a reconnect, anything missed while away is fetched again.
      if (wasLive) refresh(null);
      wasLive = true;
    });
    source.addEventListener("change", (event: MessageEvent<string>) => {
      let notice: ChangeNotice | null = null;
      try {
        notice = JSON.parse(event.data) as ChangeNotice;
      } catch {
        notice = null;
      }
      refresh(notice);
    });
    source.onerror = () => setStatus("reconnecting");
    return () => {
      clearTimeout(refreshTimer);
      source.close();
    };
  }, [incident, queryClient, router]);

  return status;
}
