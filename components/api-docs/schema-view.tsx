// A JSON Schema (as the OpenAPI document holds it) shown readably: types in words, object properties as
// a nested list with required marks and descriptions, named schemas as links to their own entry.
import type { ReactNode } from "react";

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  contentMediaType?: string;
};

const SAFE_INTEGER = 9_007_199_254_740_991;

export const schemaAnchor = (name: string) => `schema-${name}`;

export function refName(ref: string): string {
  return ref.split("/").pop() ?? ref;
}

function isNull(schema: JsonSchema): boolean {
  return schema.type === "null";
}

const count = (n: number, noun: string) => `${n.toLocaleString("en-US")} ${noun}${n === 1 ? "" : "s"}`;

/** The limits worth saying (zod's ±2^53 bounds on every integer are not). */
function constraints(schema: JsonSchema): string[] {
  const out: string[] = [];
  if (schema.minimum !== undefined && schema.minimum > -SAFE_INTEGER) out.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined && schema.maximum < SAFE_INTEGER) out.push(`≤ ${schema.maximum}`);
  if (schema.minLength) out.push(`at least ${count(schema.minLength, "character")}`);
  if (schema.maxLength !== undefined) out.push(`at most ${count(schema.maxLength, "character")}`);
  if (schema.minItems) out.push(`at least ${count(schema.minItems, "item")}`);
  if (schema.maxItems !== undefined) out.push(`at most ${count(schema.maxItems, "item")}`);
  if (schema.format) out.push(schema.format);
  if (schema.default !== undefined) out.push(`default ${JSON.stringify(schema.default)}`);
  return out;
}

/** A short inline name of the type: `string`, `Organization`, `array of Indicator`, `string or null`. */
export function TypeLabel({ schema }: { schema: JsonSchema }): ReactNode {
  if (schema.$ref) {
    const name = refName(schema.$ref);
    return (
      <a href={`#${schemaAnchor(name)}`} className="font-mono text-sky-700 underline dark:text-sky-400">
        {name}
      </a>
    );
  }
  const union = schema.anyOf ?? schema.oneOf;
  if (union) {
    return (
      <>
        {union.map((member, index) => (
          <span key={index}>
            {index > 0 ? " or " : null}
            <TypeLabel schema={member} />
          </span>
        ))}
      </>
    );
  }
  if (schema.const !== undefined) return <code>{JSON.stringify(schema.const)}</code>;
  if (schema.enum) {
    return (
      <span>
        one of{" "}
        {schema.enum.map((value, index) => (
          <span key={index}>
            {index > 0 ? ", " : null}
            <code className="rounded bg-slate-100 px-1 dark:bg-slate-800">{JSON.stringify(value)}</code>
          </span>
        ))}
      </span>
    );
  }
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.includes("array") && schema.items) {
    return (
      <span>
        array of <TypeLabel schema={schema.items} />
      </span>
    );
  }
  if (
    types.includes("object") &&
    !schema.properties &&
    schema.additionalProperties &&
    schema.additionalProperties !== true
  ) {
    return (
      <span>
        map
        {schema.propertyNames?.enum ? (
          <>
            {" "}
            by <TypeLabel schema={schema.propertyNames} />
          </>
        ) : null}{" "}
        to <TypeLabel schema={schema.additionalProperties} />
      </span>
    );
  }
  if (types.length === 0) return <span>any JSON</span>;
  return <span>{types.join(" or ")}</span>;
}

/** Whether the schema has parts worth listing below its label. */
function hasBody(schema: JsonSchema): boolean {
  if (schema.$ref) return false;
  if (schema.properties) return true;
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.some((member) => !isNull(member) && hasBody(member));
  if (schema.items) return hasBody(schema.items);
  if (schema.additionalProperties && schema.additionalProperties !== true)
    return hasBody(schema.additionalProperties);
  return false;
}

/** The schema in full: its label and limits, then its properties (nested objects inline). */
export function SchemaView({ schema, depth = 0 }: { schema: JsonSchema; depth?: number }) {
  const limits = constraints(schema);
  return (
    <div className="text-sm">
      <div>
        <span className="text-slate-700 dark:text-slate-300">
          <TypeLabel schema={schema} />
        </span>
        {limits.length ? (
          <span className="ml-2 text-xs text-slate-500 dark:text-slate-400">{limits.join(" · ")}</span>
        ) : null}
      </div>
      {schema.description && depth === 0 ? (
        <p className="mt-1 text-slate-600 dark:text-slate-400">{schema.description}</p>
      ) : null}
      <SchemaBody schema={schema} depth={depth} />
    </div>
  );
}

function SchemaBody({ schema, depth }: { schema: JsonSchema; depth: number }) {
  if (depth > 6 || !hasBody(schema)) return null;
  if (schema.properties) return <PropertyList schema={schema} depth={depth} />;
  const union = schema.anyOf ?? schema.oneOf;
  if (union) {
    return (
      <>
        {union
          .filter((member) => !isNull(member))
          .map((member, index) => (
            <SchemaBody key={index} schema={member} depth={depth} />
          ))}
      </>
    );
  }
  if (schema.items) return <SchemaBody schema={schema.items} depth={depth} />;
  if (schema.additionalProperties && schema.additionalProperties !== true) {
    return <SchemaBody schema={schema.additionalProperties} depth={depth} />;
  }
  return null;
}

function PropertyList({ schema, depth }: { schema: JsonSchema; depth: number }) {
  const required = new Set(schema.required ?? []);
  return (
    <ul className="mt-1 space-y-1 border-l border-slate-200 pl-3 dark:border-slate-700">
      {Object.entries(schema.properties ?? {}).map(([name, property]) => {
        const limits = constraints(property);
        return (
          <li key={name}>
            <code className="font-mono font-medium">{name}</code>
            {required.has(name) ? null : (
              <span className="ml-1 text-xs text-slate-500 dark:text-slate-400">(optional)</span>
            )}
            <span className="ml-2 text-slate-700 dark:text-slate-300">
              <TypeLabel schema={property} />
            </span>
            {limits.length ? (
              <span className="ml-2 text-xs text-slate-500 dark:text-slate-400">{limits.join(" · ")}</span>
            ) : null}
            {property.description ? (
              <span className="block text-xs text-slate-600 dark:text-slate-400">{property.description}</span>
            ) : null}
            <SchemaBody schema={property} depth={depth + 1} />
          </li>
        );
      })}
    </ul>
  );
}
