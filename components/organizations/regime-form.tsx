"use client";

// Changing the incident's notification deadline (e.g. 72 → 24 hours); every clock follows at once.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { apiFetch, ApiError } from "@/lib/api-client";
import { Button } from "../ui/button";

export function RegimeForm({
  incident,
  hours,
  version,
}: {
  incident: string;
  hours: number;
  version: number;
}) {
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: (value: number) =>
      apiFetch(`/api/v1/incidents/${encodeURIComponent(incident)}/notification-regime`, {
        method: "PUT",
        json: { hours: value, version },
      }),
    onSuccess: () => {
      setMessage(null);
      router.refresh();
    },
    onError: (error) =>
      setMessage(error instanceof ApiError ? error.message : "The deadline could not be changed."),
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    mutation.mutate(Number(new FormData(event.currentTarget).get("hours")));
  }
  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-2">
      <label className="text-sm font-medium">
        Deadline in hours
        <input
          type="number"
          name="hours"
          min={1}
          max={8760}
          defaultValue={hours}
          className="mt-1 block w-28 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-950"
        />
      </label>
      <Button type="submit" variant="secondary" disabled={mutation.isPending}>
        Change
      </Button>
      {message ? (
        <p role="alert" className="w-full text-xs font-medium text-red-700 dark:text-red-300">
          {message}
        </p>
      ) : null}
    </form>
  );
}
