"use client";
// A field for choosing a password (a new one, a temporary one): the rules as its hint, the browser told
// it is new (password managers offer to generate one), the length limits of the server's policy.
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@/lib/domain/users/vocabulary";
import { Field, type FieldErrors } from "../ui/field";
import { inputClass } from "../ui/modal-dialog";

export function NewPasswordField({
  label,
  name,
  errors,
  hint,
}: {
  label: string;
  name: string;
  errors: FieldErrors;
  hint?: string;
}) {
  return (
    <Field label={label} name={name} errors={errors} hint={hint}>
      {(props) => (
        <input
          {...props}
          name={name}
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN_LENGTH}
          maxLength={PASSWORD_MAX_LENGTH}
          className={inputClass}
        />
      )}
    </Field>
  );
}
