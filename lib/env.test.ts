import { describe, expect, it } from "vitest";
import { ConfigError, readEnv } from "./env.ts";

/** An environment with only `vars` set (and NODE_ENV, which Node's types require). */
const only = (vars: Record<string, string>) => readEnv({ NODE_ENV: "test", ...vars });

describe("readEnv", () => {
  it("applies the defaults and leaves unset settings unset", () => {
    const env = only({});
    expect(env.PORT).toBe(3000);
    expect(env.DWELL_WEB_PROCESSES).toBeUndefined();
  });

  it("reads the number of server processes", () => {
    expect(only({ DWELL_WEB_PROCESSES: "3" }).DWELL_WEB_PROCESSES).toBe(3);
  });

  it.each([
    ["0", "DWELL_WEB_PROCESSES must be 1 or more."],
    ["65", "DWELL_WEB_PROCESSES must be at most 64."],
    ["two", "DWELL_WEB_PROCESSES"],
  ])("names DWELL_WEB_PROCESSES=%s in its error", (value, message) => {
    expect(() => only({ DWELL_WEB_PROCESSES: value })).toThrow(ConfigError);
    expect(() => only({ DWELL_WEB_PROCESSES: value })).toThrow(message);
  });

  it("names the variable of a bad URL", () => {
    expect(() => only({ DATABASE_URL: "mysql://x" })).toThrow(/^DATABASE_URL must be a postgres/);
  });
});
