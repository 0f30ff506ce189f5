// Uploads a body with XMLHttpRequest, which (unlike fetch) reports upload progress, and turns the
// answer into the same ApiError shape apiFetch uses.
import { ApiError, type ApiErrorDetail } from "@/lib/api-client";

export interface UploadProgress {
  loaded: number;
  total: number;
  /** True once every byte is sent: the server is now reading and checking the file. */
  sent: boolean;
}

export function uploadWithProgress<T>(
  url: string,
  body: Blob | string,
  contentType: string,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("content-type", contentType);
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.onprogress = (event) => {
      const total = event.lengthComputable ? event.total : typeof body === "string" ? body.length : body.size;
      onProgress({ loaded: event.loaded, total, sent: false });
    };
    xhr.upload.onload = () => {
      const total = typeof body === "string" ? body.length : body.size;
      onProgress({ loaded: total, total, sent: true });
    };
    xhr.onerror = () =>
      reject(
        new ApiError(0, "network", "The upload did not reach Dwell. Check your connection and try again."),
      );
    xhr.onabort = () => reject(new ApiError(0, "aborted", "The upload was cancelled."));
    xhr.onload = () => {
      let parsed: unknown = null;
      try {
        parsed = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        parsed = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(parsed as T);
        return;
      }
      const error = (
        parsed as {
          error?: { code?: string; message?: string; details?: ApiErrorDetail[]; requestId?: string };
        } | null
      )?.error;
      reject(
        new ApiError(
          xhr.status,
          error?.code ?? "http_error",
          error?.message ??
            (xhr.status === 413
              ? "The file is larger than the 32 MB limit. Split it and import the parts one by one."
              : `The server answered ${xhr.status}.`),
          error?.details ?? [],
          error?.requestId,
        ),
      );
    };
    signal?.addEventListener("abort", () => xhr.abort());
    xhr.send(body);
  });
}
