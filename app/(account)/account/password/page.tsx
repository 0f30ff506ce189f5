import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { getActor } from "@/lib/auth/session";
import { PASSWORD_RULES } from "@/lib/domain/users/vocabulary";

export const metadata: Metadata = { title: "Your password" };
export const dynamic = "force-dynamic";

export default async function AccountPasswordPage() {
  const actor = await getActor();
  if (!actor) redirect("/login");
  return (
    <div className="mx-auto max-w-md space-y-4">
      <h1 className="text-lg font-semibold">
        {actor.mustChangePassword ? "Choose a new password" : "Change your password"}
      </h1>
      {actor.mustChangePassword ? (
        <p
          role="status"
          className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
        >
          An administrator set your password. Choose your own before you continue: Dwell opens nothing else
          until you do.
        </p>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Signed in as {actor.email}. Changing your password signs you out everywhere else.
        </p>
      )}
      <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <ChangePasswordForm
          email={actor.email}
          rules={PASSWORD_RULES}
          required={Boolean(actor.mustChangePassword)}
        />
      </div>
    </div>
  );
}
