"use client";

// Recording a notification move: what it moved to, when it really happened (may be earlier than now),
// how, and on what evidence. The server checks the move is allowed and names the allowed ones if not.
import { useState, type FormEvent } from "react";
import { NOTIFICATION_CHANNEL_LABELS } from "@/lib/domain/organizations/notification-states";
import { Button } from "../ui/button";
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
  const error = (name: string) =>
    fieldErrors[name] ? (
      <span className="mt-0.5 block text-xs font-medium text-red-700 dark:text-red-300">{fieldErrors[name]}</span>
    ) : null;
  return (
    <form onSubmit={submit} noValidate className="space-y-3">
      <FormMessage message={message} />
      <label className="block text-sm font-medium">
        Move to
        <select name="to" value={to} onChange={(e) => setTo(e.target.value)} className={inputClass} aria-invalid={Boolean(fieldErrors.to)}>
          {allowed.map((state) => (
            <option key={state} value={state}>
              {state}
            </option>
          ))}
        </select>
        {error("to")}
      </label>
      <label className="block text-sm font-medium">
        When it happened (UTC)
        <input type="datetime-local" name="at" defaultValue={nowUtcLocal()} className={inputClass} aria-invalid={Boolean(fieldErrors.at)} />
        {error("at")}
      </label>
      <label className="block text-sm font-medium">
        Channel
        <select name="channel" defaultValue="email" className={inputClass} aria-invalid={Boolean(fieldErrors.channel)}>
          {NOTIFICATION_CHANNEL_LABELS.map((channel) => (
            <option key={channel} value={channel}>
              {channel}
            </option>
          ))}
        </select>
        {error("channel")}
      </label>
      <label className="block text-sm font-medium">
        Note
        <textarea name="note" rows={2} className={inputClass} aria-invalid={Boolean(fieldErrors.note)} />
        {error("note")}
      </label>
      <label className="block text-sm font-medium">
        Evidence reference
        <input name="evidence" placeholder="e.g. ticket INC-1234, message id" className={inputClass} aria-invalid={Boolean(fieldErrors.evidence)} />
        {error("evidence")}
      </label>
      <div className="flex justify-end">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : submitLabel}
        </Button>
      </div>
    </form>
  );
}
