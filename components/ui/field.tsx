// A labelled form field whose error and hint are tied to the control with aria-describedby, outside
// the label so they never become part of the field's name. `Field` takes any control as a render prop;
// `InputField`, `TextareaField` and `SelectField` are the common controls already wired and styled.
import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "react";
import { cn } from "./cn";

export type FieldErrors = Record<string, string>;

/** The look of every text input, select and textarea (red border while aria-invalid). */
export const inputClass =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm aria-[invalid=true]:border-red-600 dark:border-slate-700 dark:bg-slate-950 dark:aria-[invalid=true]:border-red-400";

export function Field({
  label,
  name,
  errors,
  hint,
  children,
}: {
  label: string;
  name: string;
  errors: FieldErrors;
  hint?: string;
  children: (props: { id: string; "aria-invalid": boolean; "aria-describedby"?: string }) => ReactNode;
}) {
  const id = useId();
  const error = errors[name];
  const describedBy =
    [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {children({ id, "aria-invalid": Boolean(error), "aria-describedby": describedBy })}
      {hint ? (
        <p id={`${id}-hint`} className="mt-0.5 text-xs text-slate-600 dark:text-slate-400">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="mt-0.5 text-xs font-medium text-red-700 dark:text-red-300">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * What the wired controls take besides their element's own attributes. `name` is the control's form
 * name and, unless `errorKey` says otherwise, the key of its error in `errors`; `className` is added
 * to `inputClass`.
 */
type FieldProps<Attributes> = Omit<Attributes, "id" | "name" | "className" | "children"> & {
  label: string;
  name: string;
  errors: FieldErrors;
  hint?: string;
  errorKey?: string;
  className?: string;
};

/** Splits a wired field's props into those of its `Field` and those of its control. */
function split<Attributes>({
  label,
  name,
  errors,
  hint,
  errorKey,
  className,
  ...control
}: FieldProps<Attributes>) {
  const field = { label, name: errorKey ?? name, errors, hint };
  return [field, { ...control, name, className: cn(inputClass, className) }] as const;
}

export function InputField(props: FieldProps<InputHTMLAttributes<HTMLInputElement>>) {
  const [field, control] = split(props);
  return <Field {...field}>{(aria) => <input {...aria} {...control} />}</Field>;
}

export function TextareaField(props: FieldProps<TextareaHTMLAttributes<HTMLTextAreaElement>>) {
  const [field, control] = split(props);
  return <Field {...field}>{(aria) => <textarea {...aria} {...control} />}</Field>;
}

/** A choice of a select: a plain string is both its value and its label. */
export type SelectOption = string | { value: string; label: string; disabled?: boolean };

/** The options of a select, after an optional first one with the empty value ("Any type"). */
export function SelectOptions({ options, empty }: { options: readonly SelectOption[]; empty?: string }) {
  return (
    <>
      {empty === undefined ? null : <option value="">{empty}</option>}
      {options.map((option) =>
        typeof option === "string" ? (
          <option key={option} value={option}>
            {option}
          </option>
        ) : (
          <option key={option.value} value={option.value} disabled={option.disabled}>
            {option.label}
          </option>
        ),
      )}
    </>
  );
}

export function SelectField({
  options,
  empty,
  ...props
}: FieldProps<SelectHTMLAttributes<HTMLSelectElement>> & {
  options: readonly SelectOption[];
  empty?: string;
}) {
  const [field, control] = split(props);
  return (
    <Field {...field}>
      {(aria) => (
        <select {...aria} {...control}>
          <SelectOptions options={options} empty={empty} />
        </select>
      )}
    </Field>
  );
}
