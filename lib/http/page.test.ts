import { describe, expect, it } from "vitest";
import { z } from "zod";
import { checkPageFilters, firstParam } from "./page.ts";

const Schema = z.object({
  state: z.enum(["pending", "notified"]).optional(),
  q: z.string().max(5).optional(),
});

describe("list page filters from the URL", () => {
  it("takes the first value, trimmed, and treats empty as absent", () => {
    expect(firstParam(["a ", "b"])).toBe("a");
    expect(firstParam("  ")).toBeUndefined();
    expect(firstParam(undefined)).toBeUndefined();
  });

  it("keeps good filters, drops bad ones and names them", () => {
    expect(checkPageFilters({ state: "pending", q: undefined }, Schema)).toEqual({
      filters: { state: "pending" },
      problem: null,
    });
    const checked = checkPageFilters({ state: "lost", q: "abc" }, Schema);
    expect(checked.filters).toEqual({ q: "abc" });
    expect(checked.problem).toMatch(/^state: /);
    const both = checkPageFilters({ state: "lost", q: "too long" }, Schema);
    expect(both.filters).toEqual({});
    expect(both.problem?.split("; ")).toHaveLength(2);
  });
});
