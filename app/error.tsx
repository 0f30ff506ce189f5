"use client";

import { Button } from "@/components/ui/button";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto max-w-lg px-4 py-24 text-center" role="alert">
      <h1 className="text-2xl font-semibold">This page could not be shown</h1>
      <p className="mt-2 text-slate-600 dark:text-slate-400">
        Something went wrong on our side. Try again; if it keeps happening, report it with the reference
        {error.digest ? ` ${error.digest}` : " shown in the server log"}.
      </p>
      <div className="mt-6">
        <Button onClick={reset}>Try again</Button>
      </div>
    </main>
  );
}
