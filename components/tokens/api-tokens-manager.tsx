"use client";

// The settings page's tokens: a form to create one (its secret shown once, with a copy button), the
// list of one's tokens with their state, and revocation behind a confirmation.
import { useMutation } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { apiFetch } from "@/lib/api-client";
import type { ApiTokenDto, ApiTokenStatus, CreatedApiTokenDto } from "@/lib/domain/tokens/dto";
import { TOKEN_EXPIRY_CHOICES, TOKEN_NAME_MAX_LENGTH } from "@/lib/domain/tokens/vocabulary";
import type { Page } from "@/lib/domain/paging";
import { formatDating } from "@/lib/time/format";
import { ErrorNote, fieldErrorsOf } from "../indicators/indicator-display";
import { Badge, type Tone } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import { TableHead } from "../ui/data-table";
import { EmptyState } from "../ui/empty-state";
import { InputField, SelectField, inputClass } from "../ui/field";
import { ModalDialog } from "../ui/modal-dialog";

const TOKENS_API = "/api/v1/tokens";
const DAY_MS = 86_400_000;
const DEFAULT_EXPIRY_DAYS = "30";

const STATUS_TONES: Record<ApiTokenStatus, Tone> = { active: "green", expired: "amber", revoked: "neutral" };

function instant(iso: string | null, none: string) {
  if (!iso) return <span className="text-slate-500 dark:text-slate-400">{none}</span>;
  return <time dateTime={iso}>{formatDating({ occurredAt: iso, precision: "minute" }, "UTC")}</time>;
}

export function ApiTokensManager({
  initialPage,
  readOnlyOnly,
}: {
  initialPage: Page<ApiTokenDto>;
  /** The actor's role may hold read-only tokens only (executives). */
  readOnlyOnly: boolean;
}) {
  const [tokens, setTokens] = useState<ApiTokenDto[]>(initialPage.items);
  const [nextCursor, setNextCursor] = useState<string | null>(initialPage.nextCursor);
  const [created, setCreated] = useState<CreatedApiTokenDto | null>(null);
  const [revoking, setRevoking] = useState<ApiTokenDto | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      apiFetch<CreatedApiTokenDto>(TOKENS_API, { method: "POST", json: body }),
    onSuccess: (token) => {
      const { secret: _secret, ...listed } = token;
      setTokens((list) => [listed, ...list.filter((t) => t.id !== token.id)]);
      setCreated(token);
      formRef.current?.reset();
    },
  });
  const errors = fieldErrorsOf(create.error);

  const more = useMutation({
    mutationFn: (cursor: string) =>
      apiFetch<Page<ApiTokenDto>>(`${TOKENS_API}?limit=100&cursor=${encodeURIComponent(cursor)}`),
    onSuccess: (page) => {
      setTokens((list) => [...list, ...page.items.filter((t) => !list.some((known) => known.id === t.id))]);
      setNextCursor(page.nextCursor);
    },
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const days = String(form.get("expiry") ?? "");
    setCreated(null);
    create.mutate({
      name: String(form.get("name") ?? ""),
      readOnly: readOnlyOnly || form.get("readOnly") === "on",
      expiresAt: days === "never" ? null : new Date(Date.now() + Number(days) * DAY_MS).toISOString(),
    });
  }

  return (
    <div className="space-y-6">
      <Card aria-labelledby="new-token-title">
        <CardHeader
          id="new-token-title"
          title="New token"
          description="Name it after the script or tool that will use it, so you know which one to revoke."
        />
        <form ref={formRef} onSubmit={onSubmit} className="space-y-4 px-4 py-4" aria-label="New token">
          {create.error && !Object.keys(errors).length ? (
            <ErrorNote error={create.error} fallback="The token could not be created." />
          ) : null}
          <div className="grid gap-4 sm:grid-cols-[2fr_1fr]">
            <InputField
              label="Name"
              name="name"
              errors={errors}
              hint="For example: SIEM export, nightly backup."
              required
              maxLength={TOKEN_NAME_MAX_LENGTH}
              autoComplete="off"
            />
            <SelectField
              label="Expires"
              name="expiry"
              errorKey="expiresAt"
              errors={errors}
              defaultValue={DEFAULT_EXPIRY_DAYS}
              options={[
                ...TOKEN_EXPIRY_CHOICES.map((choice) => ({
                  value: String(choice.days),
                  label: `in ${choice.label}`,
                })),
                { value: "never", label: "never (until revoked)" },
              ]}
            />
          </div>
          <div>
            <label className="inline-flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                name="readOnly"
                defaultChecked={readOnlyOnly}
                disabled={readOnlyOnly}
                aria-describedby="read-only-hint"
                className="h-4 w-4"
              />
              Read-only
            </label>
            <p id="read-only-hint" className="mt-0.5 text-xs text-slate-600 dark:text-slate-400">
              {readOnlyOnly
                ? "Your role may hold read-only tokens only: they read and export, and never change anything."
                : "A read-only token reads and exports but cannot change anything, whatever your role may do."}
            </p>
            {errors.readOnly ? (
              <p className="mt-0.5 text-xs font-medium text-red-700 dark:text-red-300">{errors.readOnly}</p>
            ) : null}
          </div>
          <div className="flex justify-end">
            <Button type="submit" disabled={create.isPending}>
              {create.isPending ? "Creating…" : "Create token"}
            </Button>
          </div>
        </form>
      </Card>

      {created ? <NewTokenSecret token={created} onDone={() => setCreated(null)} /> : null}

      <Card aria-labelledby="tokens-title">
        <CardHeader
          id="tokens-title"
          title="Your tokens"
          description="Revoked and expired tokens are refused at once; they stay listed for the record."
        />
        {tokens.length === 0 ? (
          <div className="p-4">
            <EmptyState title="No API tokens yet">
              Create one above to call Dwell&apos;s API from a script, with your role and access.
            </EmptyState>
          </div>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <TableHead
                className="border-b border-slate-200 text-xs text-slate-600 uppercase dark:border-slate-800 dark:text-slate-400"
                cellClassName="px-4 py-2 font-medium"
                columns={[
                  "Name",
                  "Token",
                  "Access",
                  "Created",
                  "Last used",
                  "Expires",
                  "Status",
                  { label: "Actions", hidden: true },
                ]}
              />
              <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
                {tokens.map((token) => (
                  <tr key={token.id} aria-label={`Token ${token.name}`}>
                    <td className="px-4 py-2 font-medium break-all">{token.name}</td>
                    <td className="px-4 py-2">
                      <code className="text-xs">{token.prefix}…</code>
                    </td>
                    <td className="px-4 py-2">{token.readOnly ? "Read-only" : "Read and write"}</td>
                    <td className="px-4 py-2 whitespace-nowrap">{instant(token.createdAt, "—")}</td>
                    <td className="px-4 py-2 whitespace-nowrap">{instant(token.lastUsedAt, "never")}</td>
                    <td className="px-4 py-2 whitespace-nowrap">{instant(token.expiresAt, "never")}</td>
                    <td className="px-4 py-2">
                      <Badge tone={STATUS_TONES[token.status]}>{token.status}</Badge>
                    </td>
                    <td className="px-4 py-2 text-right">
                      {token.status === "revoked" ? null : (
                        <Button
                          variant="secondary"
                          onClick={() => setRevoking(token)}
                          aria-label={`Revoke ${token.name}`}
                        >
                          Revoke
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {nextCursor ? (
          <div className="flex flex-col items-center gap-2 border-t border-slate-200 px-4 py-3 dark:border-slate-800">
            {more.error ? <ErrorNote error={more.error} fallback="More tokens could not be loaded." /> : null}
            <Button variant="secondary" disabled={more.isPending} onClick={() => more.mutate(nextCursor)}>
              {more.isPending ? "Loading…" : "Show more tokens"}
            </Button>
          </div>
        ) : null}
      </Card>

      {revoking ? (
        <RevokeTokenDialog
          token={revoking}
          onClose={() => setRevoking(null)}
          onRevoked={(token) => {
            setTokens((list) => list.map((t) => (t.id === token.id ? token : t)));
            setRevoking(null);
          }}
        />
      ) : null}
    </div>
  );
}

function NewTokenSecret({ token, onDone }: { token: CreatedApiTokenDto; onDone: () => void }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const secretRef = useRef<HTMLInputElement>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(token.secret);
      setCopied("yes");
    } catch {
      // No clipboard permission (or not a secure context): select it for Ctrl+C instead.
      secretRef.current?.select();
      setCopied("failed");
    }
  }

  return (
    <section
      aria-labelledby="created-token-title"
      className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 dark:border-amber-800 dark:bg-amber-950"
    >
      <h2 id="created-token-title" className="text-base font-semibold">
        Token “{token.name}” created
      </h2>
      <p role="alert" className="text-sm font-medium text-amber-900 dark:text-amber-200">
        Copy it now: it will not be shown again. Dwell keeps only a fingerprint of it, so a lost token cannot
        be recovered, only revoked and replaced.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor="created-token-secret" className="sr-only">
          New API token
        </label>
        <input
          ref={secretRef}
          id="created-token-secret"
          readOnly
          value={token.secret}
          onFocus={(event) => event.currentTarget.select()}
          className={`${inputClass} mt-0 max-w-xl flex-1 font-mono`}
        />
        <Button onClick={() => void copy()}>Copy</Button>
        <Button variant="secondary" onClick={onDone}>
          Done
        </Button>
      </div>
      <p aria-live="polite" className="text-xs text-slate-700 dark:text-slate-300">
        {copied === "yes"
          ? "Copied to the clipboard."
          : copied === "failed"
            ? "The clipboard is not available here: the token is selected, press Ctrl+C (⌘C) to copy it."
            : null}
      </p>
      <p className="text-xs text-slate-700 dark:text-slate-300">
        Use it as <code>Authorization: Bearer {token.prefix}…</code> on requests to <code>/api/v1</code>.
      </p>
    </section>
  );
}

function RevokeTokenDialog({
  token,
  onClose,
  onRevoked,
}: {
  token: ApiTokenDto;
  onClose: () => void;
  onRevoked: (token: ApiTokenDto) => void;
}) {
  const revoke = useMutation({
    mutationFn: () => apiFetch<ApiTokenDto>(`${TOKENS_API}/${token.id}`, { method: "DELETE" }),
    onSuccess: onRevoked,
  });
  return (
    <ModalDialog
      title={`Revoke “${token.name}”?`}
      description="Anything using this token is refused from its next request. This cannot be undone."
      onClose={onClose}
    >
      <div className="space-y-4">
        {revoke.error ? <ErrorNote error={revoke.error} fallback="The token could not be revoked." /> : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button disabled={revoke.isPending} onClick={() => revoke.mutate()}>
            {revoke.isPending ? "Revoking…" : "Revoke token"}
          </Button>
        </div>
      </div>
    </ModalDialog>
  );
}
