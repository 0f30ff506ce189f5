// Browser-side calls to Dwell's own JSON API, turning the spec's error shape into an ApiError that
// carries the message and the per-field details.
export interface ApiErrorDetail {
  field?: string;
  line?: number;
  value?: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorDetail[] = [],
    readonly requestId?: string,
  ) {
    super(message);
  }
}

export async function apiFetch<T>(url: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  return (await apiRequest<T>(url, init)).body;
}

/** Like apiFetch, with the status too (e.g. 201 created versus 200 already there). */
export async function apiRequest<T>(
  url: string,
  init: RequestInit & { json?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const { json, headers, ...rest } = init;
  let response: Response;
  try {
    response = await fetch(url, {
      ...rest,
      headers: {
        accept: "application/json",
        ...(json !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      body: json !== undefined ? JSON.stringify(json) : rest.body,
    });
  } catch {
    throw new ApiError(0, "network", "Dwell could not be reached. Check your connection and try again.");
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    const error = (
      body as {
        error?: { code?: string; message?: string; details?: ApiErrorDetail[]; requestId?: string };
      } | null
    )?.error;
    throw new ApiError(
      response.status,
      error?.code ?? "http_error",
      error?.message ?? `The server answered ${response.status}.`,
      error?.details ?? [],
      error?.requestId,
    );
  }
  return { status: response.status, body: body as T };
}
