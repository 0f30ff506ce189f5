"use client";

// Recording a notification move: what it moved to, when it really happened (may be earlier than now),
// how, and on what evidence. The server checks the move is allowed and names the allowed ones if not.
import { useState, type FormEvent } from "react";
import { NOTIFICATION_CHANNEL_LABELS } from "@/lib/domain/organizations/notification-states";
import { Button } from "../ui/button";
import { Field } from "../ui/field";
import { FormMessage, inputClass } from "../ui/modal-dialog";

export interface MoveFormValues {
  to: string;
  at: string;
  channel?: string;
  note?: string;
  evidence?: string;
}

function nowUtcLocal(): string {
  return new Date().toISOString().slice(0, 16);
}

export function MoveForm({
  allowed,
  onSubmit,
  pending,
  message,
  fieldErrors,
  submitLabel = "Record move",
}: {
  allowed: readonly string[];
  onSubmit: (values: MoveFormValues) => void;
  pending: boolean;
  message: string | null;
  fieldErrors: Record<string, string>;
  submitLabel?: string;
}) {
  const [to, setTo] = useState(allowed[0] ?? "");
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const when = text("at");
    onSubmit({
      to,
      // datetime-local has no zone: the label says UTC, so it is sent as UTC.
      at: when ? `${when}:00Z` : "",
      channel: text("channel") || undefined,
      note: text("note") || undefined,
      evidence: text("evidence") || undefined,
    });
  }
  if (allowed.length === 0) {
    return <p className="text-sm">This notification is closed: no further move is possible.</p>;
  }
  return (
    <form onSubmit={submit} noValidate className="space-y-3">
      <FormMessage message={message} />
      <Field label="Move to" name="to" errors={fieldErrors}>
        {(p) => (
          <select {...p} name="to" value={to} onChange={(e) => setTo(e.target.value)} className={inputClass}>
            {allowed.map((state) => (
              <option key={state} value={state}>
                {state}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="When it happened (UTC)" name="at" errors={fieldErrors}>
        {(p) => (
          <input {...p} type="datetime-local" name="at" defaultValue={nowUtcLocal()} className={inputClass} />
        )}
      </Field>
      <Field label="Channel" name="channel" errors={fieldErrors}>
        {(p) => (
          <select {...p} name="channel" defaultValue="email" className={inputClass}>
            {NOTIFICATION_CHANNEL_LABELS.map((channel) => (
              <option key={channel} value={channel}>
                {channel}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Note" name="note" errors={fieldErrors}>
        {(p) => <textarea {...p} name="note" rows={2} className={inputClass} />}
      </Field>
      <Field label="Evidence reference" name="evidence" errors={fieldErrors}>
        {(p) => (
          <input
            {...p}
            name="evidence"
            placeholder="e.g. ticket INC-1234, message id"
            className={inputClass}
          />
        )}
      </Field>
      <div className="flex justify-end">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : submitLabel}
        </Button>
      </div>
    </form>
  );
}
