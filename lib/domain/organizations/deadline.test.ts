import { describe, expect, it } from "vitest";
import { computeDeadline } from "./deadline.ts";

const H = 3_600_000;
const start = new Date("2023-06-16T00:00:00Z");

describe("computeDeadline", () => {
  it("is on time with more than 24 hours left", () => {
    const d = computeDeadline({
      determinedAffectedAt: start,
      deadlineHours: 72,
      state: "pending",
      notifiedAt: null,
      now: new Date(start.getTime() + 10 * H),
    });
    expect(d.status).toBe("on time");
    expect(d.dueAt.toISOString()).toBe("2023-06-19T00:00:00.000Z");
    expect(d.marginMs).toBe(62 * H);
  });

  it("is at risk with less than 24 hours left, and overdue after the due time", () => {
    expect(
      computeDeadline({
        determinedAffectedAt: start,
        deadlineHours: 72,
        state: "pending",
        notifiedAt: null,
        now: new Date(start.getTime() + 49 * H),
      }).status,
    ).toBe("at risk");
    const over = computeDeadline({
      determinedAffectedAt: start,
      deadlineHours: 72,
      state: "pending",
      notifiedAt: null,
      now: new Date(start.getTime() + 75 * H),
    });
    expect(over.status).toBe("overdue");
    expect(over.marginMs).toBe(-3 * H);
  });

  it("follows a shorter regime", () => {
    expect(
      computeDeadline({
        determinedAffectedAt: start,
        deadlineHours: 24,
        state: "pending",
        notifiedAt: null,
        now: new Date(start.getTime() + 1 * H),
      }).status,
    ).toBe("at risk");
  });

  it("stops the clock once notified and says whether it was in time", () => {
    expect(
      computeDeadline({
        determinedAffectedAt: start,
        deadlineHours: 72,
        state: "notified",
        notifiedAt: new Date(start.getTime() + 70 * H),
        now: new Date("2030-01-01T00:00:00Z"),
      }).status,
    ).toBe("met");
    expect(
      computeDeadline({
        determinedAffectedAt: start,
        deadlineHours: 72,
        state: "acknowledged",
        notifiedAt: new Date(start.getTime() + 12 * 24 * H),
        now: new Date("2030-01-01T00:00:00Z"),
      }).status,
    ).toBe("missed");
  });

  it("counts elapsed hours, not wall-clock hours, across a DST change", () => {
    // 72 h from 2023-03-10 12:00 in New York spans the 12 March spring-forward: still exactly 72 h later.
    const d = computeDeadline({
      determinedAffectedAt: new Date("2023-03-10T17:00:00Z"),
      deadlineHours: 72,
      state: "pending",
      notifiedAt: null,
      now: new Date("2023-03-10T17:00:00Z"),
    });
    expect(d.dueAt.toISOString()).toBe("2023-03-13T17:00:00.000Z");
  });
});
