"use client";

// The admin's user list: filter, page, create, edit role and binding, disable and enable, reset a
// password. Every change goes through /api/v1/users and answers per field; the row is replaced by
// what the server answered.
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ApiError, apiFetch } from "@/lib/api-client";
import type { BindableOrganization, UserDto, UserPage } from "@/lib/domain/users/dto";
import { ROLE_LABELS, ROLES, type UserRole } from "@/lib/domain/users/vocabulary";
import { errorText, fieldErrorsOf } from "../indicators/indicator-display";
import { EventDate } from "../timeline/event-date";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { TableHead } from "../ui/data-table";
import { EmptyState } from "../ui/empty-state";
import { NewPasswordField } from "../account/new-password-field";
import { InputField, SelectField, SelectOptions, inputClass } from "../ui/field";
import { FormMessage, ModalDialog } from "../ui/modal-dialog";

const USERS_API = "/api/v1/users";
const roleOptions = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));

type Dialog =
  | { kind: "create" }
  | { kind: "edit"; user: UserDto }
  | { kind: "status"; user: UserDto }
  | { kind: "reset"; user: UserDto };

interface Filters {
  q: string;
  role: string;
  status: string;
}

function query(filters: Filters, cursor?: string | null): string {
  const params = new URLSearchParams({ limit: "100" });
  if (filters.q.trim()) params.set("q", filters.q.trim());
  if (filters.role) params.set("role", filters.role);
  if (filters.status) params.set("status", filters.status);
  if (cursor) params.set("cursor", cursor);
  return `${USERS_API}?${params.toString()}`;
}

function When({ at }: { at: string | null }) {
  if (!at) return <span className="text-slate-500 dark:text-slate-400">never</span>;
  return <EventDate dating={{ occurredAt: at, precision: "minute" }} timeZone="UTC" />;
}

export function UsersAdmin({
  initialPage,
  organizations,
  selfId,
  passwordRules,
}: {
  initialPage: UserPage;
  organizations: BindableOrganization[];
  selfId: string;
  passwordRules: string;
}) {
  const [users, setUsers] = useState<UserDto[]>(initialPage.items);
  const [nextCursor, setNextCursor] = useState<string | null>(initialPage.nextCursor);
  const [filters, setFilters] = useState<Filters>({ q: "", role: "", status: "" });
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useMutation({
    mutationFn: (args: { filters: Filters; cursor?: string | null }) =>
      apiFetch<UserPage>(query(args.filters, args.cursor)),
    onSuccess: (page, args) => {
      setUsers((current) => (args.cursor ? [...current, ...page.items] : page.items));
      setNextCursor(page.nextCursor);
    },
  });

  function applyFilters(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = {
      q: String(form.get("q") ?? ""),
      role: String(form.get("role") ?? ""),
      status: String(form.get("status") ?? ""),
    };
    setFilters(next);
    load.mutate({ filters: next });
  }

  function replace(user: UserDto) {
    setUsers((current) => {
      const index = current.findIndex((u) => u.id === user.id);
      if (index === -1) return [user, ...current];
      return current.map((u) => (u.id === user.id ? user : u));
    });
  }

  const filtered = Boolean(filters.q || filters.role || filters.status);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <form onSubmit={applyFilters} className="flex flex-wrap items-end gap-3" aria-label="Filter users">
          <div>
            <label htmlFor="users-q" className="block text-sm font-medium">
              Search
            </label>
            <input id="users-q" name="q" type="search" placeholder="Email or name" className={inputClass} />
          </div>
          <div>
            <label htmlFor="users-role" className="block text-sm font-medium">
              Role
            </label>
            <select id="users-role" name="role" className={inputClass} defaultValue="">
              <SelectOptions empty="Any role" options={roleOptions} />
            </select>
          </div>
          <div>
            <label htmlFor="users-status" className="block text-sm font-medium">
              Status
            </label>
            <select id="users-status" name="status" className={inputClass} defaultValue="">
              <option value="">Enabled and disabled</option>
              <option value="enabled">Enabled</option>
              <option value="disabled">Disabled</option>
            </select>
          </div>
          <Button type="submit" variant="secondary" disabled={load.isPending}>
            {load.isPending ? "Filtering…" : "Filter"}
          </Button>
        </form>
        <Button onClick={() => setDialog({ kind: "create" })}>New user</Button>
      </div>

      {notice ? (
        <p
          role="status"
          className="rounded-md border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-900 dark:border-green-800 dark:bg-green-950 dark:text-green-200"
        >
          {notice}
        </p>
      ) : null}
      {load.error ? <FormMessage message={errorText(load.error, "The users could not be loaded.")} /> : null}

      {users.length === 0 ? (
        <EmptyState
          title={filtered ? "No user matches these filters" : "No users yet"}
          action={<Button onClick={() => setDialog({ kind: "create" })}>New user</Button>}
        >
          {filtered ? "Change or clear the filters to see more users." : "Create the first user with a role."}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
          <table className="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-800">
            <caption className="sr-only">Users</caption>
            <TableHead
              className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase dark:bg-slate-900 dark:text-slate-400"
              cellClassName="px-3 py-2"
              columns={[
                "User",
                "Role",
                "Organization",
                "Status",
                "Last sign-in",
                "Created",
                { label: "Actions", hidden: true },
              ]}
            />
            <tbody className="divide-y divide-slate-200 bg-white dark:divide-slate-800 dark:bg-slate-950">
              {users.map((user) => (
                <tr key={user.id} aria-label={user.email}>
                  <td className="px-3 py-2">
                    <span className="block font-medium">{user.name}</span>
                    <span className="block text-slate-600 dark:text-slate-400">{user.email}</span>
                  </td>
                  <td className="px-3 py-2">{ROLE_LABELS[user.role]}</td>
                  <td className="px-3 py-2">
                    {user.organization ? (
                      <>
                        {user.organization.name}
                        <span className="block text-xs text-slate-500 dark:text-slate-400">
                          {user.organization.incident.name}
                        </span>
                      </>
                    ) : (
                      <span className="text-slate-500 dark:text-slate-400">—</span>
                    )}
                  </td>
                  <td className="space-x-1 px-3 py-2">
                    {user.disabled ? <Badge tone="red">Disabled</Badge> : <Badge tone="green">Enabled</Badge>}
                    {user.mustChangePassword ? (
                      <Badge tone="amber" title="Must choose a new password at the next sign-in">
                        Must change password
                      </Badge>
                    ) : null}
                  </td>
                  <td className="px-3 py-2 text-xs whitespace-nowrap">
                    <When at={user.lastSignInAt} />
                  </td>
                  <td className="px-3 py-2 text-xs whitespace-nowrap">
                    <When at={user.createdAt} />
                  </td>
                  <td className="px-3 py-2 text-right whitespace-nowrap">
                    <Button
                      variant="ghost"
                      onClick={() => setDialog({ kind: "edit", user })}
                      aria-label={`Edit ${user.email}`}
                    >
                      Edit
                    </Button>
                    {user.id === selfId ? null : (
                      <>
                        <Button
                          variant="ghost"
                          onClick={() => setDialog({ kind: "status", user })}
                          aria-label={`${user.disabled ? "Enable" : "Disable"} ${user.email}`}
                        >
                          {user.disabled ? "Enable" : "Disable"}
                        </Button>
                        <Button
                          variant="ghost"
                          onClick={() => setDialog({ kind: "reset", user })}
                          aria-label={`Reset password of ${user.email}`}
                        >
                          Reset password
                        </Button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor ? (
        <Button
          variant="secondary"
          disabled={load.isPending}
          onClick={() => load.mutate({ filters, cursor: nextCursor })}
        >
          {load.isPending ? "Loading…" : "Load more users"}
        </Button>
      ) : null}

      {dialog?.kind === "create" ? (
        <UserForm
          user={null}
          organizations={organizations}
          passwordRules={passwordRules}
          onClose={() => setDialog(null)}
          onSaved={(user) => {
            replace(user);
            setDialog(null);
            setNotice(`Created ${user.email}.`);
          }}
        />
      ) : null}
      {dialog?.kind === "edit" ? (
        <UserForm
          user={dialog.user}
          organizations={organizations}
          passwordRules={passwordRules}
          isSelf={dialog.user.id === selfId}
          onClose={() => setDialog(null)}
          onSaved={(user) => {
            replace(user);
            setDialog(null);
            setNotice(`Saved ${user.email}.`);
          }}
        />
      ) : null}
      {dialog?.kind === "status" ? (
        <StatusDialog
          user={dialog.user}
          onClose={() => setDialog(null)}
          onSaved={(user) => {
            replace(user);
            setDialog(null);
            setNotice(`${user.disabled ? "Disabled" : "Enabled"} ${user.email}.`);
          }}
        />
      ) : null}
      {dialog?.kind === "reset" ? (
        <ResetDialog
          user={dialog.user}
          passwordRules={passwordRules}
          onClose={() => setDialog(null)}
          onSaved={(user) => replace(user)}
        />
      ) : null}
    </div>
  );
}

function UserForm({
  user,
  organizations,
  passwordRules,
  isSelf = false,
  onClose,
  onSaved,
}: {
  user: UserDto | null;
  organizations: BindableOrganization[];
  passwordRules: string;
  isSelf?: boolean;
  onClose: () => void;
  onSaved: (user: UserDto) => void;
}) {
  const [role, setRole] = useState<UserRole>(user?.role ?? "responder");
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      user
        ? apiFetch<UserDto>(`${USERS_API}/${user.id}`, {
            method: "PATCH",
            json: { ...body, updatedAt: user.updatedAt },
          })
        : apiFetch<UserDto>(USERS_API, { method: "POST", json: body }),
    onSuccess: onSaved,
  });
  const errors = fieldErrorsOf(save.error);
  const isConflict = save.error instanceof ApiError && save.error.status === 409;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const organizationId = role === "agency" ? String(form.get("organizationId") ?? "") || null : null;
    const fields: Record<string, unknown> = { name: String(form.get("name") ?? ""), role, organizationId };
    if (!user) {
      fields.email = String(form.get("email") ?? "");
      fields.password = String(form.get("password") ?? "");
      fields.mustChangePassword = form.get("mustChangePassword") === "on";
    }
    save.mutate(fields);
  }

  const title = user ? `Edit ${user.email}` : "New user";
  return (
    <ModalDialog
      title={title}
      description="Agency users see one affected organization only."
      onClose={onClose}
    >
      <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label={title}>
        {save.error ? (
          <FormMessage
            message={
              isConflict && !errors.email
                ? `${errorText(save.error, "")} Close this dialog and open it again to see the current user.`
                : errorText(save.error, "The user could not be saved.")
            }
          />
        ) : null}
        {user ? null : (
          <InputField label="Email" name="email" errors={errors} type="email" autoComplete="off" required />
        )}
        <InputField
          label="Name"
          name="name"
          errors={errors}
          required
          maxLength={200}
          defaultValue={user?.name}
        />
        <SelectField
          label="Role"
          name="role"
          errors={errors}
          hint={isSelf ? "Another admin can change your role." : undefined}
          value={role}
          disabled={isSelf}
          onChange={(event) => setRole(event.target.value as UserRole)}
          options={roleOptions}
        />
        {role === "agency" ? (
          <SelectField
            label="Organization"
            name="organizationId"
            errors={errors}
            hint={
              organizations.length === 0
                ? "No affected organization exists yet: add one to an incident first."
                : undefined
            }
            required
            defaultValue={user?.organization?.id ?? ""}
            options={[
              { value: "", label: "Choose the organization", disabled: true },
              ...organizations.map((org) => ({ value: org.id, label: `${org.name} (${org.incident.name})` })),
            ]}
          />
        ) : null}
        {user ? null : (
          <>
            <NewPasswordField label="Password" name="password" errors={errors} hint={passwordRules} />
            <label className="flex items-start gap-2 text-sm">
              <input type="checkbox" name="mustChangePassword" defaultChecked className="mt-1" />
              <span>Ask for a new password at the first sign-in (you know this one)</span>
            </label>
          </>
        )}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? "Saving…" : user ? "Save" : "Create user"}
          </Button>
        </div>
      </form>
    </ModalDialog>
  );
}

function StatusDialog({
  user,
  onClose,
  onSaved,
}: {
  user: UserDto;
  onClose: () => void;
  onSaved: (user: UserDto) => void;
}) {
  const disable = !user.disabled;
  const save = useMutation({
    mutationFn: () =>
      apiFetch<UserDto>(`${USERS_API}/${user.id}`, {
        method: "PATCH",
        json: { disabled: disable, updatedAt: user.updatedAt },
      }),
    onSuccess: onSaved,
  });
  const title = `${disable ? "Disable" : "Enable"} ${user.email}?`;
  return (
    <ModalDialog title={title} onClose={onClose}>
      <div className="space-y-4">
        {save.error ? (
          <FormMessage message={errorText(save.error, "The change could not be saved.")} />
        ) : null}
        <p className="text-sm">
          {disable
            ? "They can no longer sign in, and any open session stops working at its next request. You can enable them again later."
            : "They can sign in again with their current password."}
        </p>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => save.mutate()} disabled={save.isPending}>
            {save.isPending ? "Saving…" : disable ? "Disable user" : "Enable user"}
          </Button>
        </div>
      </div>
    </ModalDialog>
  );
}

function ResetDialog({
  user,
  passwordRules,
  onClose,
  onSaved,
}: {
  user: UserDto;
  passwordRules: string;
  onClose: () => void;
  onSaved: (user: UserDto) => void;
}) {
  const [mode, setMode] = useState<"generate" | "choose">("generate");
  const reset = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      apiFetch<{ user: UserDto; temporaryPassword: string | null }>(
        `${USERS_API}/${user.id}/password-reset`,
        {
          method: "POST",
          json: body,
        },
      ),
    onSuccess: (answer) => onSaved(answer.user),
  });
  const errors = fieldErrorsOf(reset.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    reset.mutate(mode === "generate" ? { generate: true } : { password: String(form.get("password") ?? "") });
  }

  const title = `Reset the password of ${user.email}`;
  if (reset.data) {
    return (
      <ModalDialog title={title} onClose={onClose}>
        <div className="space-y-4 text-sm">
          <p role="status">
            The password was reset and {user.name}&apos;s sessions were ended. They must choose a new password
            when they next sign in.
          </p>
          {reset.data.temporaryPassword ? (
            <div>
              <p className="font-medium">
                Temporary password (shown once; give it to them over a trusted channel):
              </p>
              <output
                aria-label="Temporary password"
                className="mt-1 block rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-base select-all dark:border-slate-700 dark:bg-slate-950"
              >
                {reset.data.temporaryPassword}
              </output>
            </div>
          ) : null}
          <div className="flex justify-end">
            <Button onClick={onClose}>Done</Button>
          </div>
        </div>
      </ModalDialog>
    );
  }

  return (
    <ModalDialog
      title={title}
      description="Their sessions end now; they choose a new password at the next sign-in."
      onClose={onClose}
    >
      <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label={title}>
        {reset.error ? (
          <FormMessage message={errorText(reset.error, "The password could not be reset.")} />
        ) : null}
        <fieldset className="space-y-2 text-sm">
          <legend className="font-medium">Temporary password</legend>
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name="mode"
              checked={mode === "generate"}
              onChange={() => setMode("generate")}
            />
            Generate one (shown once)
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="mode" checked={mode === "choose"} onChange={() => setMode("choose")} />
            Set one myself
          </label>
        </fieldset>
        {mode === "choose" ? (
          <NewPasswordField label="Password" name="password" errors={errors} hint={passwordRules} />
        ) : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={reset.isPending}>
            {reset.isPending ? "Resetting…" : "Reset password"}
          </Button>
        </div>
      </form>
    </ModalDialog>
  );
}
