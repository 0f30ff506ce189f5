import { describe, expect, it } from "vitest";
import { diffAuditValues, displayAuditValue, WHOLE_VALUE_FIELD } from "./diff.ts";

describe("diffAuditValues", () => {
  it("lists only the fields an update changed, nested values as JSON", () => {
    const diff = diffAuditValues(
      { title: "Old", tlp: "CLEAR", links: [{ id: "a" }], version: 1, same: { b: 1, a: 2 } },
      { title: "New", tlp: "CLEAR", links: [{ id: "a" }, { id: "b" }], version: 2, same: { a: 2, b: 1 } },
    );
    expect(diff.kind).toBe("update");
    expect(diff.changes.map((c) => c.field)).toEqual(["title", "links", "version"]);
    expect(diff.changes[0]).toEqual({ field: "title", before: "Old", after: "New" });
    expect(diff.changes[1]?.after).toBe(JSON.stringify([{ id: "a" }, { id: "b" }], null, 2));
    expect(diff.changes[2]).toEqual({ field: "version", before: "1", after: "2" });
  });

  it("shows a field that appeared or disappeared with none on the other side", () => {
    const diff = diffAuditValues({ gone: "x" }, { added: true });
    expect(diff.changes).toEqual([
      { field: "added", before: null, after: "true" },
      { field: "gone", before: "x", after: null },
    ]);
  });

  it("lists what a creation wrote, leaving out empty fields", () => {
    const diff = diffAuditValues(null, { title: "T", note: null, links: [], body: "", extra: {} });
    expect(diff).toEqual({ kind: "create", changes: [{ field: "title", before: null, after: "T" }] });
  });

  it("lists what a deletion removed", () => {
    const diff = diffAuditValues({ title: "T", note: null }, null);
    expect(diff).toEqual({ kind: "delete", changes: [{ field: "title", before: "T", after: null }] });
  });

  it("treats a value that is not an object as one field, and nothing as no change", () => {
    expect(diffAuditValues([1], [1, 2]).changes).toEqual([
      { field: WHOLE_VALUE_FIELD, before: "[\n  1\n]", after: "[\n  1,\n  2\n]" },
    ]);
    expect(diffAuditValues(undefined, null)).toEqual({ kind: "none", changes: [] });
  });

  it("puts what a person reads first and bookkeeping last, whatever order the JSON kept", () => {
    const diff = diffAuditValues(null, { id: "1", version: 1, tlp: "CLEAR", lane: "response", title: "T" });
    expect(diff.changes.map((c) => c.field)).toEqual(["title", "lane", "tlp", "version", "id"]);
  });

  it("keeps hostile text as it is (the page renders it as text)", () => {
    const hostile = '<img src=x onerror="alert(1)"> **bold** [x](javascript:alert(1))';
    expect(diffAuditValues({ title: "a" }, { title: hostile }).changes[0]?.after).toBe(hostile);
  });
});

describe("displayAuditValue", () => {
  it("writes scalars as text and null as no value", () => {
    expect(displayAuditValue(null)).toBeNull();
    expect(displayAuditValue(0)).toBe("0");
    expect(displayAuditValue(false)).toBe("false");
    expect(displayAuditValue("text")).toBe("text");
  });
});
