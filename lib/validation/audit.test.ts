import { describe, expect, it } from "vitest";
import { AuditListQuerySchema } from "./audit.ts";

describe("AuditListQuerySchema", () => {
  it("reads a date as the whole day and a minute as that minute, in UTC", () => {
    const q = AuditListQuerySchema.parse({ from: "2026-11-28", to: "2026-11-29T05:30" });
    expect(q.from?.start.toISOString()).toBe("2026-11-28T00:00:00.000Z");
    expect(q.from?.end.toISOString()).toBe("2026-11-29T00:00:00.000Z");
    expect(q.to?.end.toISOString()).toBe("2026-11-29T05:31:00.000Z");
    expect(q.limit).toBe(50);
  });

  it("honours a zone and seconds", () => {
    const q = AuditListQuerySchema.parse({ from: "2026-11-29T07:30:15+02:00" });
    expect(q.from?.start.toISOString()).toBe("2026-11-29T05:30:15.000Z");
    expect(q.from?.end.toISOString()).toBe("2026-11-29T05:30:16.000Z");
  });

  it("names the field of a bad filter", () => {
    const bad = (input: Record<string, string>) => {
      const r = AuditListQuerySchema.safeParse(input);
      return r.success ? null : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    expect(bad({ from: "yesterday" })?.[0]).toMatch(/^from: from must be a date/);
    expect(bad({ from: "2023-02-30" })?.[0]).toMatch(/not a real date/);
    expect(bad({ from: "2026-11-29", to: "2026-11-28" })).toEqual(["to: to must be after from"]);
    expect(bad({ actor: "bob" })?.[0]).toMatch(/^actor: actor must be a user id/);
    expect(bad({ entity: "<script>" })?.[0]).toMatch(/^entity:/);
    expect(bad({ limit: "500" })?.[0]).toMatch(/at most 200/);
  });

  it("takes empty values as no filter and normalizes case", () => {
    const q = AuditListQuerySchema.parse({ actor: "", entity: "Event", action: "EVENT.UPDATE", to: "" });
    expect(q).toMatchObject({ actor: undefined, entity: "event", action: "event.update", to: undefined });
    expect(AuditListQuerySchema.parse({ actor: "SYSTEM" }).actor).toBe("system");
  });
});
