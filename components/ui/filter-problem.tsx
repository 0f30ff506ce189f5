/** What a list page could not apply of the filters in its URL (see `checkPageFilters`). */
export function FilterProblem({ problem }: { problem: string | null }) {
  if (!problem) return null;
  return (
    <p
      role="alert"
      className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
    >
      Some filters were not applied: {problem}. Choose another value in the filters.
    </p>
  );
}
