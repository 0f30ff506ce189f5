// Validates JSON against the schemas of an OpenAPI 3.1 document with Ajv (JSON Schema 2020-12), the
// way a client generated from the document would: used by the tests, never by the app at run time.
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";

const BASE = "https://dwell.invalid/openapi.json";

/** The document's top-level words, which are not JSON Schema keywords. */
const DOCUMENT_KEYWORDS = [
  "openapi",
  "info",
  "tags",
  "paths",
  "components",
  "security",
  "servers",
  "webhooks",
  "jsonSchemaDialect",
  "externalDocs",
];

export const escapePointer = (segment: string) => segment.replace(/~/g, "~0").replace(/\//g, "~1");

export interface DocumentValidator {
  /** A validator for the schema at a JSON pointer of the document (`/components/schemas/Error`). */
  schemaAt(pointer: string): ValidateFunction;
  /** The validator for a JSON answer of an operation: its `status` (else `default`) response schema. */
  response(path: string, method: string, status: number): ValidateFunction;
}

export function createDocumentValidator(document: object): DocumentValidator {
  // strict: unknown keywords, formats or bad patterns inside a schema fail compilation. (`required` beside
  // `propertyNames`, as zod writes records with enum keys, is valid JSON Schema, so that lint is off.)
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
  for (const keyword of DOCUMENT_KEYWORDS) ajv.addKeyword({ keyword });
  // Formats are annotations here: zod also writes a `pattern` for every format it checks.
  for (const format of ["date-time", "date", "email", "uuid", "uri", "int64", "int32", "binary"]) {
    ajv.addFormat(format, true);
  }
  ajv.addSchema({ ...document, $id: BASE });
  const cache = new Map<string, ValidateFunction>();
  const schemaAt = (pointer: string) => {
    let validate = cache.get(pointer);
    if (!validate) {
      validate = ajv.compile({ $ref: `${BASE}#${pointer}` });
      cache.set(pointer, validate);
    }
    return validate;
  };
  return {
    schemaAt,
    response(path, method, status) {
      const operation = `/paths/${escapePointer(path)}/${method.toLowerCase()}`;
      const doc = document as {
        paths?: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
      };
      const responses = doc.paths?.[path]?.[method.toLowerCase()]?.responses ?? {};
      const key = String(status) in responses ? String(status) : "default";
      if (!(key in responses)) throw new Error(`${method} ${path} documents no ${status} answer`);
      let response = responses[key] as { $ref?: string };
      let pointer = `${operation}/responses/${key}`;
      if (response.$ref) {
        pointer = response.$ref.replace(/^#/, "");
        response = resolvePointer(document, pointer) as { $ref?: string };
      }
      return schemaAt(`${pointer}/content/application~1json/schema`);
    },
  };
}

/** The value at a JSON pointer (RFC 6901), or undefined. */
export function resolvePointer(document: unknown, pointer: string): unknown {
  let current: unknown = document;
  for (const raw of pointer.split("/").slice(1)) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (current === null || typeof current !== "object" || !(segment in current)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}
