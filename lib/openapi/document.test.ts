// Holds the OpenAPI document to the route files (every route and method, the same query and body
// schemas) and checks it is a well-formed OpenAPI 3.1 document whose schemas compile as JSON Schema 2020-12.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./document.ts";
import { API_METHODS, API_OPERATIONS } from "./operations.ts";
import { createDocumentValidator, escapePointer, resolvePointer } from "./validator.ts";

const root = path.resolve(import.meta.dirname, "../..");
const document = JSON.parse(JSON.stringify(buildOpenApiDocument())) as {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, OperationObject>>;
  components: Record<string, Record<string, unknown>>;
};

interface OperationObject {
  operationId: string;
  tags: string[];
  parameters?: Array<{ in?: string; name?: string; required?: boolean; schema?: unknown; $ref?: string }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }>;
}

/** `app/api/v1/incidents/[incident]/events/[id]/route.ts` → `/api/v1/incidents/{incident}/events/{id}`. */
function templateOf(file: string): string {
  const dir = path.posix.dirname(file).replace(/^app/, "");
  return dir
    .split("/")
    .filter((segment) => !/^\(.*\)$/.test(segment))
    .map((segment) => (segment.startsWith("[") ? `{${segment.slice(1, -1)}}` : segment))
    .join("/");
}

function exportedMethods(text: string): string[] {
  const verbs = API_METHODS.join("|");
  const methods = new Set<string>();
  for (const match of text.matchAll(
    new RegExp(`export\\s+(?:const|let|var|async\\s+function|function)\\s+(${verbs}|HEAD|OPTIONS)\\b`, "g"),
  )) {
    methods.add(match[1] as string);
  }
  for (const match of text.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of (match[1] as string).split(",")) {
      const exported =
        part
          .trim()
          .split(/\s+as\s+/)
          .pop()
          ?.trim() ?? "";
      if (new RegExp(`^(${verbs}|HEAD|OPTIONS)$`).test(exported)) methods.add(exported);
    }
  }
  return [...methods].sort();
}

/** Every (route file, method) under app/api/v1, except the catch-all that answers unknown addresses. */
function discoverApiRoutes() {
  return readdirSync(path.join(root, "app/api/v1"), { recursive: true, encoding: "utf8" })
    .map((relative) => `app/api/v1/${relative.split(path.sep).join("/")}`)
    .filter((file) => /(^|\/)route\.ts$/.test(file) && !file.includes("[..."))
    .sort()
    .flatMap((file) => {
      const text = readFileSync(path.join(root, file), "utf8");
      return exportedMethods(text).map((method) => ({ file, method, path: templateOf(file), text }));
    });
}

const routes = discoverApiRoutes();

describe("the OpenAPI document and the route files", () => {
  it("documents every route and method under /api/v1, and nothing else", () => {
    const served = routes.map((r) => `${r.method} ${r.path}`).sort();
    const documented = Object.entries(document.paths)
      .flatMap(([p, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${p}`))
      .sort();
    expect(served.length).toBeGreaterThan(30);
    expect(
      documented.filter((op) => !served.includes(op)),
      "documented but served by no route file",
    ).toEqual([]);
    expect(
      served.filter((op) => !documented.includes(op)),
      "served but not in lib/openapi/operations.ts",
    ).toEqual([]);
  });

  it("names each operation's route file", () => {
    for (const op of API_OPERATIONS) {
      const route = routes.find((r) => r.method === op.method && r.path === op.path);
      expect(route?.file, `${op.method} ${op.path}`).toBe(op.file);
    }
  });

  it("uses the very schemas the routes pass to parseQuery and mutationRoute", async () => {
    for (const route of routes) {
      const op = API_OPERATIONS.find((o) => o.method === route.method && o.path === route.path);
      if (!op) continue; // reported by the completeness test
      const handler = handlerSource(route.text, route.method);
      const queryNames = [...handler.matchAll(/parseQuery\(\s*\w+\s*,\s*(\w+)\s*\)/g)].map(
        (m) => m[1] as string,
      );
      const bodyName = /mutationRoute(?:<[^(]*>)?\(\s*(\w+)/.exec(handler)?.[1];
      const where = `${route.method} ${route.path}`;
      expect(queryNames.length, `${where}: parses more than one query schema`).toBeLessThanOrEqual(1);
      const queryName = queryNames[0];
      expect(op.query === undefined, `${where}: has a query schema`).toBe(queryName === undefined);
      if (queryName)
        expect(
          op.query === (await importedBy(route.text, queryName)),
          `${where}: query is ${queryName}`,
        ).toBe(true);
      const body = bodyName === "null" ? undefined : bodyName;
      expect(op.body === undefined, `${where}: has a body schema`).toBe(body === undefined);
      if (body)
        expect(op.body === (await importedBy(route.text, body)), `${where}: body is ${body}`).toBe(true);
      if (/mutationRoute|assertSameOrigin/.test(handler))
        expect(op.mutation, `${where}: is a mutation`).toBeDefined();
    }
  });
});

/** The object a route file imports under `name` (`import { name } from "@/lib/…"`). */
async function importedBy(text: string, name: string): Promise<unknown> {
  for (const match of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*"@\/([^"]+)"/g)) {
    const names = (match[1] as string).split(",").map((part) => part.trim().split(/\s+as\s+/));
    const found = names.find((parts) => (parts[1] ?? parts[0]) === name);
    if (!found) continue;
    const exports = (await import(path.join(root, `${match[2]}.ts`))) as Record<string, unknown>;
    return exports[found[0] as string];
  }
  throw new Error(`the route file does not import ${name} from @/…`);
}

/** The source of one exported handler: from `export const METHOD` to the next export (or the file's end). */
function handlerSource(text: string, method: string): string {
  const start = text.search(new RegExp(`export\\s+(?:const|async\\s+function|function)\\s+${method}\\b`));
  if (start < 0) return text; // exported by name at the end: the whole file is its handler
  const next = text.slice(start + 1).search(/\nexport\s/);
  return next < 0 ? text.slice(start) : text.slice(start, start + 1 + next);
}

describe("the OpenAPI document", () => {
  it("is an OpenAPI 3.1 document with unique operation ids and declared path parameters", () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info.title).toBeTruthy();
    expect(Object.keys(document.components.securitySchemes ?? {}).sort()).toEqual([
      "bearerToken",
      "sessionCookie",
    ]);
    const ids = new Set<string>();
    for (const [template, item] of Object.entries(document.paths)) {
      expect(template).toMatch(/^\/api\/v1\//);
      const placeholders = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      for (const [method, op] of Object.entries(item)) {
        expect(["get", "put", "post", "delete", "patch"]).toContain(method);
        expect(ids.has(op.operationId), `duplicate operationId ${op.operationId}`).toBe(false);
        ids.add(op.operationId);
        expect(op.tags.length).toBe(1);
        const params = (op.parameters ?? []).map((p) =>
          p.$ref ? (resolvePointer(document, p.$ref.slice(1)) as typeof p) : p,
        );
        const inPath = params.filter((p) => p.in === "path");
        expect(inPath.map((p) => p.name).sort(), `${method} ${template}: path parameters`).toEqual(
          placeholders,
        );
        expect(inPath.every((p) => p.required === true)).toBe(true);
        const statuses = Object.keys(op.responses);
        expect(
          statuses.some((s) => /^2\d\d$/.test(s)),
          `${method} ${template}: a success answer`,
        ).toBe(true);
        expect(statuses.every((s) => /^[2-5]\d\d$/.test(s))).toBe(true);
        if (method !== "get") expect(statuses).toContain("403");
      }
    }
  });

  it("describes every refusal with the error shape", () => {
    const validator = createDocumentValidator(document);
    for (const [template, item] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const status of Object.keys(op.responses).filter((s) => /^[45]/.test(s))) {
          const validate = validator.response(template, method, Number(status));
          const body = {
            error: { code: "not_found", message: "The incident was not found.", requestId: "r-1" },
          };
          expect(validate(body), `${method} ${template} ${status}`).toBe(true);
          expect(validate({ message: "not the shape" })).toBe(false);
        }
      }
    }
  });

  it("resolves every $ref", () => {
    const refs: string[] = [];
    const walk = (value: unknown) => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === "object") {
        for (const [key, inner] of Object.entries(value)) {
          if (key === "$ref" && typeof inner === "string") refs.push(inner);
          else walk(inner);
        }
      }
    };
    walk(document);
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of refs) {
      expect(ref.startsWith("#/"), ref).toBe(true);
      expect(resolvePointer(document, ref.slice(1)), ref).toBeDefined();
    }
  });

  it("compiles every schema in it as JSON Schema 2020-12 (Ajv, strict)", { timeout: 120_000 }, () => {
    const validator = createDocumentValidator(document);
    const pointers: string[] = [];
    for (const name of Object.keys(document.components.schemas ?? {})) {
      pointers.push(`/components/schemas/${escapePointer(name)}`);
    }
    const contentSchemas = (base: string, content: Record<string, unknown> | undefined) => {
      for (const type of Object.keys(content ?? {}))
        pointers.push(`${base}/content/${escapePointer(type)}/schema`);
    };
    for (const [name, response] of Object.entries(document.components.responses ?? {})) {
      contentSchemas(
        `/components/responses/${escapePointer(name)}`,
        (response as OperationObject["responses"][string]).content,
      );
    }
    for (const name of Object.keys(document.components.parameters ?? {})) {
      pointers.push(`/components/parameters/${escapePointer(name)}/schema`);
    }
    for (const [template, item] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const base = `/paths/${escapePointer(template)}/${method}`;
        op.parameters?.forEach((p, i) => {
          if (!p.$ref) pointers.push(`${base}/parameters/${i}/schema`);
        });
        if (op.requestBody) contentSchemas(`${base}/requestBody`, op.requestBody.content);
        for (const [status, response] of Object.entries(op.responses)) {
          if (!response.$ref) contentSchemas(`${base}/responses/${status}`, response.content);
        }
      }
    }
    expect(pointers.length).toBeGreaterThan(100);
    for (const pointer of pointers) {
      expect(resolvePointer(document, pointer), pointer).toBeDefined();
      expect(() => validator.schemaAt(pointer), pointer).not.toThrow();
    }
  });

  it("documents the import's media types and the Idempotency-Key on mutations", () => {
    const importOp = document.paths["/api/v1/incidents/{incident}/indicators/import"]?.post;
    expect(Object.keys(importOp?.requestBody?.content ?? {}).sort()).toEqual([
      "application/json",
      "application/stix+json",
      "text/csv",
      "text/plain",
    ]);
    const create = document.paths["/api/v1/incidents/{incident}/events"]?.post;
    expect(create?.parameters?.some((p) => p.$ref === "#/components/parameters/IdempotencyKey")).toBe(true);
    expect(create?.requestBody?.content["application/json"]).toBeDefined();
  });
});
