import type { Metadata } from "next";
import { ApiTokensManager } from "@/components/tokens/api-tokens-manager";
import { requireUser } from "@/lib/auth/session";
import { mayCreateWritableToken } from "@/lib/domain/tokens/commands";
import { listApiTokens } from "@/lib/domain/tokens/queries";
import { loadOr404 } from "@/lib/http/page";
import { ApiTokenListQuerySchema } from "@/lib/validation/tokens";

export const metadata: Metadata = { title: "API tokens" };

export default async function ApiTokensPage() {
  const actor = await requireUser();
  const firstPage = await loadOr404(() =>
    listApiTokens(actor, ApiTokenListQuerySchema.parse({ limit: "100" })),
  );
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-lg font-semibold">API tokens</h1>
        <p className="max-w-prose text-sm text-slate-600 dark:text-slate-400">
          Tokens let scripts and other tools use Dwell&apos;s API as you, with your role, sent as{" "}
          <code className="rounded bg-slate-100 px-1 dark:bg-slate-800">
            Authorization: Bearer &lt;token&gt;
          </code>
          . They do not open pages. Times in UTC.
        </p>
      </div>
      <ApiTokensManager initialPage={firstPage} readOnlyOnly={!mayCreateWritableToken(actor)} />
    </div>
  );
}
