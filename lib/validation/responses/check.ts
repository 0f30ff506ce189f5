// Compile-time proof that a response schema describes exactly what a domain function returns once it
// has been through JSON.stringify, so the OpenAPI document cannot drift from the DTO types.
import type { z } from "zod";

/** What JSON.stringify makes of T: dates become ISO strings; objects are flattened into plain shapes. */
export type Jsonified<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Jsonified<U>[]
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T;

/** Exact type identity (not mere assignability): an optional field missing on either side fails too. */
export type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** True when the schema's output is the DTO as JSON; use as `Matches<typeof S, Dto>` in a `Checks` tuple. */
export type Matches<S extends z.ZodType, Dto> = Equals<Jsonified<z.output<S>>, Jsonified<Dto>>;

/** Fails to compile unless every entry is `true`. */
export type AllTrue<T extends readonly true[]> = T;
