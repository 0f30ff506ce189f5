import { Skeleton } from "@/components/ui/skeleton";

// In the (list) group, like the indicators' skeleton, so a later page under findings/ with its own
// access check is not wrapped by it (README Decisions 12 and 30).
export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="space-y-4">
      <span className="sr-only">Loading findings…</span>
      <Skeleton className="h-6 w-32" />
      <div className="flex flex-wrap gap-3">
        <Skeleton className="h-9 w-56" />
        <Skeleton className="h-9 w-32" />
        <Skeleton className="h-9 w-32" />
      </div>
      {Array.from({ length: 4 }, (_, i) => (
        <Skeleton key={i} className="h-36" />
      ))}
    </div>
  );
}
