// Request ids: a client may propose one in `x-request-id` (short and plain); otherwise a new UUID.
// The proxy chooses it for pages, the route wrapper (lib/http/route.ts) for the API.
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;

/** The client's proposed id when it is short and plain, else a fresh UUID. */
export function chooseRequestId(proposed: string | null): string {
  return proposed && REQUEST_ID_PATTERN.test(proposed) ? proposed : crypto.randomUUID();
}
