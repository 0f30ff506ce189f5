import type { Metadata } from "next";
import { UsersAdmin } from "@/components/admin/users-admin";
import { requireUser } from "@/lib/auth/session";
import { listBindableOrganizations, listUsers } from "@/lib/domain/users/queries";
import { PASSWORD_RULES } from "@/lib/domain/users/vocabulary";
import { UserListQuerySchema } from "@/lib/domain/users/validation";
import { loadOr404 } from "@/lib/http/page";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const actor = await requireUser();
  // Admins only: any other role gets the not-found page (README Decision 4).
  const [firstPage, organizations] = await loadOr404(() =>
    Promise.all([
      listUsers(actor, UserListQuerySchema.parse({ limit: "100" })),
      listBindableOrganizations(actor),
    ]),
  );
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-lg font-semibold">Users</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Who may sign in, with which role; agency users see one organization only. Times in UTC.
        </p>
      </div>
      <UsersAdmin
        initialPage={firstPage}
        organizations={organizations}
        selfId={actor.userId}
        passwordRules={PASSWORD_RULES}
      />
    </div>
  );
}
