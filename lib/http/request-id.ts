// Request ids: a client may propose one in `x-request-id` (short and plain); otherwise the proxy makes one.
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;
