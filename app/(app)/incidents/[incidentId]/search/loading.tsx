import { Skeleton } from "@/components/ui/skeleton";

// A leaf: nothing below search/ needs a different access check (README Decision 12).
export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="space-y-4">
      <span className="sr-only">Searching…</span>
      <Skeleton className="h-6 w-24" />
      <Skeleton className="h-10" />
      {Array.from({ length: 4 }, (_, i) => (
        <Skeleton key={i} className="h-24" />
      ))}
    </div>
  );
}
