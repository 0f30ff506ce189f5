// The header row of a data table: one column header per label, scoped to its column. A column whose
// header is only for screen readers (a row's actions) names itself with `{ label, hidden: true }`.
export type Column = string | { label: string; hidden: true };

export function TableHead({
  columns,
  className,
  rowClassName,
  cellClassName,
}: {
  columns: readonly Column[];
  /** Classes of the <thead> (its colours and type). */
  className?: string;
  rowClassName?: string;
  /** Classes of every <th> (their padding). */
  cellClassName?: string;
}) {
  return (
    <thead className={className}>
      <tr className={rowClassName}>
        {columns.map((column) =>
          typeof column === "string" ? (
            <th key={column} scope="col" className={cellClassName}>
              {column}
            </th>
          ) : (
            <th key={column.label} scope="col" className={cellClassName}>
              <span className="sr-only">{column.label}</span>
            </th>
          ),
        )}
      </tr>
    </thead>
  );
}
