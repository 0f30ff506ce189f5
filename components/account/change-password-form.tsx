"use client";

// The user's own password change: current, new and repeated. The server checks the rules (length, the
// common-password lists, the email's name part) and answers per field; afterwards the browser signs in
// again with the new password, because the change ended every session, this one included.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { apiFetch } from "@/lib/api-client";
import { errorText, fieldErrorsOf } from "../indicators/indicator-display";
import { Button } from "../ui/button";
import { Field } from "../ui/field";
import { FormMessage, inputClass } from "../ui/modal-dialog";
import { useHydrated } from "../ui/use-hydrated";
import { signInWithCredentials } from "./credentials-sign-in";
import { NewPasswordField } from "./new-password-field";

export function ChangePasswordForm({
  email,
  rules,
  required,
}: {
  email: string;
  rules: string;
  required: boolean;
}) {
  const router = useRouter();
  const hydrated = useHydrated();
  const [done, setDone] = useState(false);
  const change = useMutation({
    mutationFn: async (body: { currentPassword: string; newPassword: string; confirmPassword: string }) => {
      await apiFetch("/api/v1/account/password", { method: "POST", json: body });
      const again = await signInWithCredentials(email, body.newPassword);
      return again.ok;
    },
    onSuccess: (signedInAgain) => {
      setDone(true);
      router.replace(signedInAgain ? "/" : "/login");
      router.refresh();
    },
  });
  const errors = fieldErrorsOf(change.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    change.mutate({
      currentPassword: String(form.get("currentPassword") ?? ""),
      newPassword: String(form.get("newPassword") ?? ""),
      confirmPassword: String(form.get("confirmPassword") ?? ""),
    });
  }

  if (done) {
    return (
      <p role="status" className="text-sm">
        Your password was changed. Opening Dwell…
      </p>
    );
  }

  return (
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Change password">
      {change.error ? (
        <FormMessage message={errorText(change.error, "The password could not be changed.")} />
      ) : null}
      {/* For password managers: the account whose password this is. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <Field
        label={required ? "Temporary password" : "Current password"}
        name="currentPassword"
        errors={errors}
      >
        {(props) => (
          <input
            {...props}
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            required
            className={inputClass}
          />
        )}
      </Field>
      <NewPasswordField label="New password" name="newPassword" errors={errors} hint={rules} />
      <NewPasswordField label="Repeat the new password" name="confirmPassword" errors={errors} />
      <Button type="submit" disabled={change.isPending || !hydrated} className="w-full">
        {change.isPending ? "Saving…" : "Change password"}
      </Button>
    </form>
  );
}
