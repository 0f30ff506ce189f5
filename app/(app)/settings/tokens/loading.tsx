import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="space-y-4">
      <span className="sr-only">Loading API tokens…</span>
      <Skeleton className="h-6 w-40" />
      <Skeleton className="h-40" />
      {Array.from({ length: 3 }, (_, i) => (
        <Skeleton key={i} className="h-12" />
      ))}
    </div>
  );
}
