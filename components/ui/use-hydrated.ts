"use client";

import { useSyncExternalStore } from "react";

const noSubscription = () => () => undefined;

/**
 * False in the server render and during hydration, true once React runs in the browser. Forms whose
 * submit handler carries a secret keep their button disabled until then, so a click that lands before
 * the script has loaded can never submit the form natively (a GET would put the password in the URL,
 * the browser history and the request log).
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}
