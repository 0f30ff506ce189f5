"use client";

// What an agency user can do with its own notice: acknowledge receipt, then confirm remediation.
// The organization comes from the session on the server; nothing here names it in the request.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { apiFetch, ApiError } from "@/lib/api-client";
import { Button } from "../ui/button";
import { FormMessage, inputClass } from "../ui/modal-dialog";

const ACTIONS: Partial<Record<string, { to: "acknowledged" | "remediated"; label: string; hint: string }>> = {
  notified: { to: "acknowledged", label: "Acknowledge receipt", hint: "Tells the response team your organization has received this notice." },
  delivered: { to: "acknowledged", label: "Acknowledge receipt", hint: "Tells the response team your organization has received this notice." },
  acknowledged: { to: "remediated", label: "Confirm remediation", hint: "Tells the response team your organization has finished remediating." },
};

export function PortalActions({ state, version }: { state: string; version: number }) {
  const router = useRouter();
  const noteId = useId();
  const [note, setNote] = useState("");
  const action = ACTIONS[state];
  const mutation = useMutation({
    mutationFn: () =>
      apiFetch("/api/v1/portal/notification", {
        method: "POST",
        json: { to: action?.to, note: note.trim() || undefined, version },
        headers: { "idempotency-key": crypto.randomUUID() },
      }),
    onSuccess: () => {
      setNote("");
      router.refresh();
    },
  });
  if (!action) return null;
  return (
    <div className="space-y-2 border-t border-slate-200 pt-3 dark:border-slate-800">
      <FormMessage message={mutation.error ? (mutation.error instanceof ApiError ? mutation.error.message : "That did not go through. Try again.") : null} />
      <label htmlFor={noteId} className="block text-sm font-medium">
        Note for the response team (optional)
      </label>
      <textarea id={noteId} rows={2} value={note} onChange={(e) => setNote(e.target.value)} maxLength={5000} className={inputClass} />
      <p className="text-xs text-slate-600 dark:text-slate-400">{action.hint}</p>
      <Button onClick={() => mutation.mutate()} disabled={mutation.isPending}>
        {mutation.isPending ? "Sending…" : action.label}
      </Button>
    </div>
  );
}
