import { subscribeToIncidentChanges } from "@/lib/domain/changes";
import { findIncident } from "@/lib/domain/incidents/queries";
import { authedRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const HEARTBEAT_MS = 15_000;

/** Server-sent events: one `change` event per committed change of the incident. */
export const GET = authedRoute<{ incident: string }>(async ({ req, params, actor }) => {
  const incident = await findIncident(actor, params.incident);
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      const unsubscribe = await subscribeToIncidentChanges(actor, incident.id, (notice) =>
        send(`event: change\ndata: ${JSON.stringify(notice)}\n\n`),
      );
      const heartbeat = setInterval(() => send(`: heartbeat\n\n`), HEARTBEAT_MS);
      cleanup = () => {
        clearInterval(heartbeat);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // Already closed by the client going away.
        }
      };
      req.signal.addEventListener("abort", () => cleanup());
      // Tells the client the subscription is live, so it can refetch anything it may have missed.
      send(`retry: 2000\nevent: ready\ndata: {}\n\n`);
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
});
