import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="space-y-4">
      <span className="sr-only">Loading the import…</span>
      <Skeleton className="h-8 w-1/3" />
      <Skeleton className="h-9 w-80" />
      <Skeleton className="h-64" />
    </div>
  );
}
