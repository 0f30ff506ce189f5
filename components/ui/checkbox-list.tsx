// A named group of checkboxes (links to pick several of), its error under the legend.
export function CheckboxList({
  legend,
  name,
  error,
  options,
  checked,
  monospace = false,
}: {
  legend: string;
  name: string;
  error?: string;
  options: { id: string; label: string }[];
  checked: ReadonlySet<string>;
  monospace?: boolean;
}) {
  return (
    <fieldset>
      <legend className="text-sm font-medium">{legend}</legend>
      {error ? <p className="text-xs font-medium text-red-700 dark:text-red-300">{error}</p> : null}
      <div className="mt-1 grid max-h-40 gap-1 overflow-y-auto rounded-md border border-slate-200 p-2 text-sm sm:grid-cols-2 dark:border-slate-800">
        {options.map((option) => (
          <label
            key={option.id}
            className={
              monospace ? "flex items-center gap-2 font-mono text-xs break-all" : "flex items-center gap-2"
            }
          >
            <input type="checkbox" name={name} value={option.id} defaultChecked={checked.has(option.id)} />
            {option.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
