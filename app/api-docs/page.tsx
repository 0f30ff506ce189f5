// The API reference, readable: rendered on the server from the same OpenAPI document as
// /api/v1/openapi.json. Public, like the document: it describes the API and shows no data.
import type { Metadata } from "next";
import Link from "next/link";
import { ApiReference, type ApiDocument } from "@/components/api-docs/api-reference";
import { ThemeToggle } from "@/components/ui/theme-toggle";
import { getOpenApiDocument } from "@/lib/openapi/document";

export const metadata: Metadata = { title: "API reference" };

export default function ApiDocsPage() {
  const doc = JSON.parse(JSON.stringify(getOpenApiDocument())) as ApiDocument;
  return (
    <>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-sm dark:focus:bg-slate-900"
      >
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-3 px-4 py-2.5">
          <div className="flex items-center gap-6">
            <Link href="/" className="text-lg font-semibold tracking-tight no-underline">
              Dwell
            </Link>
            <span className="text-sm text-slate-600 dark:text-slate-400">API reference</span>
          </div>
          <ThemeToggle />
        </div>
      </header>
      <main id="main" className="mx-auto max-w-7xl px-4 py-6">
        <h1 className="mb-4 text-2xl font-semibold tracking-tight">API reference</h1>
        <ApiReference doc={doc} />
      </main>
    </>
  );
}
