// The readable API reference: the OpenAPI document's operations grouped by tag, each with its method,
// path, summary, parameters, request body and answers, and the named schemas at the end.
import { Badge, type Tone } from "../ui/badge";
import { Card, CardHeader } from "../ui/card";
import { SchemaView, TypeLabel, schemaAnchor, type JsonSchema } from "./schema-view";

interface Parameter {
  $ref?: string;
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
}

interface Response {
  $ref?: string;
  description: string;
  content?: Record<string, { schema?: JsonSchema }>;
}

interface Operation {
  operationId: string;
  tags?: string[];
  summary?: string;
  description?: string;
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { description?: string; content: Record<string, { schema?: JsonSchema }> };
  responses: Record<string, Response>;
}

export interface ApiDocument {
  info: { title: string; version: string; description?: string };
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components?: {
    schemas?: Record<string, JsonSchema>;
    parameters?: Record<string, Parameter>;
    responses?: Record<string, Response>;
  };
}

const METHOD_TONES: Record<string, Tone> = {
  GET: "blue",
  POST: "green",
  PUT: "amber",
  PATCH: "amber",
  DELETE: "red",
};

function resolve<T extends { $ref?: string }>(doc: ApiDocument, value: T): T {
  if (!value.$ref) return value;
  const [, , kind, name] = value.$ref.split("/");
  const table = (doc.components as Record<string, Record<string, unknown>> | undefined)?.[kind ?? ""];
  return (table?.[name ?? ""] as T | undefined) ?? value;
}

function Markdownish({ text }: { text: string }) {
  // Descriptions use `code` spans only; show them as code, everything else as text.
  return (
    <>
      {text.split(/(`[^`]+`)/g).map((part, index) =>
        part.startsWith("`") && part.endsWith("`") ? (
          <code key={index} className="rounded bg-slate-100 px-1 font-mono text-[0.85em] dark:bg-slate-800">
            {part.slice(1, -1)}
          </code>
        ) : (
          <span key={index}>{part}</span>
        ),
      )}
    </>
  );
}

export function groupOperations(doc: ApiDocument) {
  const groups = new Map<string, { method: string; path: string; operation: Operation }[]>();
  for (const tag of doc.tags ?? []) groups.set(tag.name, []);
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const tag = operation.tags?.[0] ?? "Other";
      if (!groups.has(tag)) groups.set(tag, []);
      groups.get(tag)?.push({ method: method.toUpperCase(), path, operation });
    }
  }
  return [...groups.entries()].filter(([, operations]) => operations.length > 0);
}

export function ApiReference({ doc }: { doc: ApiDocument }) {
  const groups = groupOperations(doc);
  const tagText = new Map((doc.tags ?? []).map((tag) => [tag.name, tag.description]));
  const schemas = Object.entries(doc.components?.schemas ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="grid gap-6 lg:grid-cols-[14rem_1fr]">
      <nav aria-label="API sections" className="lg:sticky lg:top-4 lg:self-start">
        <ul className="space-y-1 text-sm">
          <li>
            <a href="#overview" className="hover:underline">
              Overview
            </a>
          </li>
          {groups.map(([tag, operations]) => (
            <li key={tag}>
              <a href={`#tag-${tag}`} className="hover:underline">
                {tag}
              </a>{" "}
              <span className="text-xs text-slate-500 dark:text-slate-400">({operations.length})</span>
            </li>
          ))}
          <li>
            <a href="#schemas" className="hover:underline">
              Schemas
            </a>
          </li>
        </ul>
      </nav>
      <div className="min-w-0 space-y-6">
        <Card aria-labelledby="overview">
          <CardHeader id="overview" title="Overview" description={`${doc.info.title} ${doc.info.version}`} />
          <div className="space-y-2 px-4 py-3 text-sm text-slate-700 dark:text-slate-300">
            {doc.info.description ? (
              <p>
                <Markdownish text={doc.info.description} />
              </p>
            ) : null}
            <p>
              Authenticate with the browser session (sign in at <a href="/login">/login</a>) or an API token
              sent as <code className="font-mono">Authorization: Bearer dwell_…</code>. Each operation lists
              the refusals it can give; every refusal has the same body:{" "}
              <code className="font-mono">{"{ error: { code, message, details?, requestId } }"}</code>.
            </p>
            <p>
              The machine-readable document (OpenAPI 3.1):{" "}
              <a href="/api/v1/openapi.json" className="font-mono">
                /api/v1/openapi.json
              </a>
              .
            </p>
          </div>
        </Card>
        {groups.map(([tag, operations]) => (
          <section key={tag} aria-labelledby={`tag-${tag}`} className="space-y-2">
            <h2 id={`tag-${tag}`} className="text-lg font-semibold">
              {tag}
            </h2>
            {tagText.get(tag) ? (
              <p className="text-sm text-slate-600 dark:text-slate-400">
                <Markdownish text={tagText.get(tag) ?? ""} />
              </p>
            ) : null}
            <ul className="space-y-2">
              {operations.map(({ method, path, operation }) => (
                <li key={`${method} ${path}`}>
                  <OperationView doc={doc} method={method} path={path} operation={operation} />
                </li>
              ))}
            </ul>
          </section>
        ))}
        <section aria-labelledby="schemas" className="space-y-2">
          <h2 id="schemas" className="text-lg font-semibold">
            Schemas
          </h2>
          <ul className="space-y-2">
            {schemas.map(([name, schema]) => (
              <li key={name}>
                <Card id={schemaAnchor(name)} aria-label={`Schema ${name}`} className="scroll-mt-4 px-4 py-3">
                  <h3 className="font-mono text-sm font-semibold">{name}</h3>
                  <div className="mt-1">
                    <SchemaView schema={schema} />
                  </div>
                </Card>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}

function OperationView({
  doc,
  method,
  path,
  operation,
}: {
  doc: ApiDocument;
  method: string;
  path: string;
  operation: Operation;
}) {
  const parameters = (operation.parameters ?? []).map((parameter) => resolve(doc, parameter));
  const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
  return (
    <details
      id={operation.operationId}
      className="group scroll-mt-4 rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <summary className="flex cursor-pointer flex-wrap items-center gap-2 px-4 py-2.5 text-sm">
        <Badge tone={METHOD_TONES[method] ?? "neutral"} className="w-16 justify-center font-mono">
          {method}
        </Badge>
        <code className="font-mono break-all">{path}</code>
        <span className="text-slate-600 dark:text-slate-400">{operation.summary}</span>
        {isPublic ? <Badge tone="neutral">public</Badge> : null}
      </summary>
      <div className="space-y-4 border-t border-slate-200 px-4 py-3 text-sm dark:border-slate-800">
        {operation.description ? (
          <p className="text-slate-700 dark:text-slate-300">
            <Markdownish text={operation.description} />
          </p>
        ) : null}
        <p className="text-xs text-slate-500 dark:text-slate-400">
          {isPublic ? "No sign-in needed." : "Session cookie or bearer token."} Operation id{" "}
          <code className="font-mono">{operation.operationId}</code>.
        </p>
        {parameters.length > 0 ? (
          <div>
            <h3 className="font-semibold">Parameters</h3>
            <div className="mt-1 overflow-x-auto">
              <table className="w-full text-left text-sm">
                <thead className="text-xs text-slate-500 dark:text-slate-400">
                  <tr>
                    <th scope="col" className="py-1 pr-3 font-medium">
                      Name
                    </th>
                    <th scope="col" className="py-1 pr-3 font-medium">
                      In
                    </th>
                    <th scope="col" className="py-1 pr-3 font-medium">
                      Type
                    </th>
                    <th scope="col" className="py-1 font-medium">
                      Description
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {parameters.map((parameter) => (
                    <tr
                      key={`${parameter.in} ${parameter.name}`}
                      className="border-t border-slate-100 align-top dark:border-slate-800"
                    >
                      <td className="py-1 pr-3">
                        <code className="font-mono font-medium">{parameter.name}</code>
                        {parameter.required ? (
                          <span className="ml-1 text-xs text-red-700 dark:text-red-400">required</span>
                        ) : null}
                      </td>
                      <td className="py-1 pr-3 text-slate-600 dark:text-slate-400">{parameter.in}</td>
                      <td className="py-1 pr-3">
                        {parameter.schema ? <SchemaView schema={parameter.schema} depth={1} /> : null}
                      </td>
                      <td className="py-1 text-slate-700 dark:text-slate-300">
                        {parameter.description ? <Markdownish text={parameter.description} /> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        ) : null}
        {operation.requestBody ? (
          <div>
            <h3 className="font-semibold">Request body</h3>
            {operation.requestBody.description ? (
              <p className="text-slate-700 dark:text-slate-300">{operation.requestBody.description}</p>
            ) : null}
            {Object.entries(operation.requestBody.content).map(([type, media]) => (
              <div key={type} className="mt-1">
                <code className="font-mono text-xs text-slate-500 dark:text-slate-400">{type}</code>
                {media.schema && media.schema.type !== "string" ? <SchemaView schema={media.schema} /> : null}
              </div>
            ))}
          </div>
        ) : null}
        <div>
          <h3 className="font-semibold">Responses</h3>
          <ul className="mt-1 space-y-2">
            {Object.entries(operation.responses).map(([status, raw]) => {
              const response = resolve(doc, raw);
              return (
                <li key={status}>
                  <Badge
                    tone={status.startsWith("2") ? "green" : status.startsWith("4") ? "amber" : "red"}
                    className="font-mono"
                  >
                    {status}
                  </Badge>{" "}
                  <span className="text-slate-700 dark:text-slate-300">
                    <Markdownish text={response.description} />
                  </span>
                  {Object.entries(response.content ?? {}).map(([type, media]) => (
                    <div key={type} className="mt-1 ml-4">
                      <code className="font-mono text-xs text-slate-500 dark:text-slate-400">{type}</code>{" "}
                      {media.schema ? (
                        status.startsWith("2") ? (
                          <SchemaView schema={media.schema} />
                        ) : (
                          <span className="text-sm">
                            <TypeLabel schema={media.schema} />
                          </span>
                        )
                      ) : null}
                    </div>
                  ))}
                </li>
              );
            })}
          </ul>
        </div>
      </div>
    </details>
  );
}
