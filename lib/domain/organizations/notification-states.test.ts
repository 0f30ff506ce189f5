// The notification state machine: the table as specified, properties of every path through it (fast-check),
// the refusal sentence, the timing rules of a move, and deadline cases deadline.test.ts does not cover.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NOTIFICATION_STATES, type NotificationStateKey } from "../vocabulary.ts";
import { computeDeadline } from "./deadline.ts";
import {
  AGENCY_MOVES,
  CLOCK_SKEW_MS,
  NOTIFICATION_MOVES,
  NOTIFICATION_STATE_ORDER,
  allowedMoves,
  canMove,
  channelKey,
  channelLabel,
  describeIllegalMove,
  isNotificationState,
  moveTimeProblem,
} from "./notification-states.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("the allowed-move table", () => {
  it("is exactly the specified moves", () => {
    const moves = Object.entries(NOTIFICATION_MOVES).flatMap(([from, tos]) =>
      tos.map((to) => `${from} → ${to}`),
    );
    expect(moves.sort()).toEqual(
      [
        "pending → notified",
        "notified → delivered",
        "notified → acknowledged",
        "notified → failed",
        "delivered → acknowledged",
        "delivered → failed",
        "acknowledged → remediated",
        "acknowledged → closed",
        "remediated → closed",
        "failed → notified",
      ].sort(),
    );
  });

  it("has a row for each of the 7 states, and lists each once in the sort order", () => {
    expect(Object.keys(NOTIFICATION_MOVES).sort()).toEqual([...NOTIFICATION_STATES].sort());
    expect([...NOTIFICATION_STATE_ORDER].sort()).toEqual([...NOTIFICATION_STATES].sort());
  });

  it.each([
    ["pending", "delivered"],
    ["pending", "acknowledged"],
    ["pending", "failed"],
    ["pending", "closed"],
    ["notified", "remediated"],
    ["notified", "closed"],
    ["notified", "notified"],
    ["delivered", "remediated"],
    ["delivered", "notified"],
    ["acknowledged", "failed"],
    ["acknowledged", "notified"],
    ["remediated", "acknowledged"],
    ["closed", "pending"],
    ["closed", "notified"],
    ["failed", "delivered"],
    ["failed", "acknowledged"],
    ["failed", "pending"],
  ] as const)("refuses %s → %s", (from, to) => {
    expect(canMove(from, to)).toBe(false);
  });

  it("never moves a state to itself, nor anything back to pending; closed is final", () => {
    for (const from of NOTIFICATION_STATES) {
      expect(allowedMoves(from)).not.toContain(from);
      expect(allowedMoves(from)).not.toContain("pending");
    }
    expect(allowedMoves("closed")).toEqual([]);
  });

  it("reaches every state from pending", () => {
    const seen = new Set<NotificationStateKey>(["pending"]);
    const queue: NotificationStateKey[] = ["pending"];
    for (let state = queue.shift(); state; state = queue.shift()) {
      for (const next of allowedMoves(state)) {
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    expect([...seen].sort()).toEqual([...NOTIFICATION_STATES].sort());
  });

  it("lets agency users acknowledge and confirm remediation only", () => {
    expect(AGENCY_MOVES).toEqual(["acknowledged", "remediated"]);
  });

  it("recognizes the 7 states and nothing else", () => {
    for (const state of NOTIFICATION_STATES) expect(isNotificationState(state)).toBe(true);
    for (const word of ["Pending", "notify", "done", "", "constructor", "__proto__"]) {
      expect(isNotificationState(word)).toBe(false);
    }
  });
});

describe("describeIllegalMove", () => {
  it("names the organization, its state and the allowed moves", () => {
    expect(describeIllegalMove("U.S. Department of State", "acknowledged", "notified")).toBe(
      "U.S. Department of State is acknowledged; from acknowledged it can move to remediated or closed.",
    );
    expect(describeIllegalMove("Org", "notified", "closed")).toBe(
      "Org is notified; from notified it can move to delivered, acknowledged or failed.",
    );
    expect(describeIllegalMove("Org", "pending", "closed")).toBe(
      "Org is pending; from pending it can move to notified.",
    );
  });

  it("narrows the sentence to what an agency user may record", () => {
    expect(describeIllegalMove("Org", "notified", "remediated", AGENCY_MOVES)).toBe(
      "Org is notified; from notified you can move it to acknowledged.",
    );
    expect(describeIllegalMove("Org", "pending", "acknowledged", AGENCY_MOVES)).toBe(
      "Org is pending; from pending only the response team can move it (to notified).",
    );
  });

  it("says a closed notification is final", () => {
    expect(describeIllegalMove("Org", "closed", "notified")).toBe(
      "Org is closed; closed is final, so it cannot move to notified.",
    );
  });

  it("names every allowed move for any refused pair (property)", () => {
    const state = fc.constantFrom(...NOTIFICATION_STATES);
    fc.assert(
      fc.property(state, state, (from, to) => {
        fc.pre(!canMove(from, to));
        const sentence = describeIllegalMove("Org", from, to);
        for (const allowed of allowedMoves(from)) expect(sentence).toContain(allowed);
        expect(sentence.startsWith(`Org is ${from};`)).toBe(true);
      }),
    );
  });
});

describe("paths through the machine (property-based)", () => {
  const attempts = fc.array(fc.constantFrom(...NOTIFICATION_STATES), { maxLength: 60 });

  /** Applies only the moves the machine accepts, from pending; returns the path of states. */
  function walk(tries: readonly NotificationStateKey[]): NotificationStateKey[] {
    const path: NotificationStateKey[] = ["pending"];
    for (const to of tries) {
      const from = path.at(-1) ?? "pending";
      if (canMove(from, to)) path.push(to);
    }
    return path;
  }

  it("never leaves the 7 states and never repeats a state in place", () => {
    fc.assert(
      fc.property(attempts, (tries) => {
        const path = walk(tries);
        for (const [index, state] of path.entries()) {
          expect(NOTIFICATION_STATES).toContain(state);
          if (index > 0) expect(state).not.toBe(path[index - 1]);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("never skips: each state comes only after the ones it needs", () => {
    // Which states must already have been reached, anywhere earlier on the path, for a state to appear.
    const needs: Record<NotificationStateKey, NotificationStateKey[]> = {
      pending: [],
      notified: [],
      delivered: ["notified"],
      failed: ["notified"],
      acknowledged: ["notified"],
      remediated: ["notified", "acknowledged"],
      closed: ["notified", "acknowledged"],
    };
    fc.assert(
      fc.property(attempts, (tries) => {
        const path = walk(tries);
        path.forEach((state, index) => {
          const before = path.slice(0, index);
          for (const required of needs[state]) expect(before).toContain(required);
        });
        expect(path.indexOf("pending")).toBe(0);
        expect(path.lastIndexOf("pending")).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });

  it("enters failed only straight after notified or delivered, and leaves it only to notified", () => {
    fc.assert(
      fc.property(attempts, (tries) => {
        const path = walk(tries);
        path.forEach((state, index) => {
          if (state !== "failed") return;
          expect(["notified", "delivered"]).toContain(path[index - 1]);
          const next = path[index + 1];
          if (next !== undefined) expect(next).toBe("notified");
        });
      }),
      { numRuns: 2000 },
    );
  });

  it("stops at closed, and only agency moves from their allowed states would be accepted", () => {
    fc.assert(
      fc.property(attempts, (tries) => {
        const path = walk(tries);
        const closedAt = path.indexOf("closed");
        if (closedAt >= 0) expect(closedAt).toBe(path.length - 1);
        path.forEach((state, index) => {
          if (index === 0 || !AGENCY_MOVES.includes(state)) return;
          const from = path[index - 1];
          if (state === "acknowledged") expect(["notified", "delivered"]).toContain(from);
          if (state === "remediated") expect(from).toBe("acknowledged");
        });
      }),
      { numRuns: 2000 },
    );
  });
});

describe("channels", () => {
  it("maps the product's words to the enum keys and back", () => {
    expect(channelKey("in person")).toBe("in_person");
    expect(channelKey("In-Person")).toBe("in_person");
    expect(channelKey("government partner")).toBe("government_partner");
    expect(channelKey(" EMAIL ")).toBe("email");
    expect(channelKey("fax")).toBeUndefined();
    expect(channelLabel("government_partner")).toBe("government partner");
  });
});

describe("moveTimeProblem", () => {
  const now = new Date("2023-07-20T12:00:00Z");
  const base = { now, incidentStart: new Date("2023-05-15T00:00:00Z"), previousMoveAt: null };

  it("accepts the past and now, and a clock running up to 5 minutes fast", () => {
    expect(moveTimeProblem({ ...base, at: new Date("2023-06-16T09:00:00Z"), precision: "exact" })).toBeNull();
    expect(moveTimeProblem({ ...base, at: now, precision: "exact" })).toBeNull();
    expect(
      moveTimeProblem({ ...base, at: new Date(now.getTime() + CLOCK_SKEW_MS), precision: "exact" }),
    ).toBeNull();
  });

  it("refuses a time more than 5 minutes ahead, naming at", () => {
    expect(
      moveTimeProblem({ ...base, at: new Date(now.getTime() + CLOCK_SKEW_MS + 1), precision: "exact" }),
    ).toMatch(/^at is in the future/);
  });

  it("accepts today's date in the earliest time zone, refuses the day after", () => {
    // 12:00 UTC on 20 July is already 21 July in Kiritimati (UTC+14).
    expect(moveTimeProblem({ ...base, at: new Date("2023-07-21T00:00:00Z"), precision: "day" })).toBeNull();
    expect(moveTimeProblem({ ...base, at: new Date("2023-07-22T00:00:00Z"), precision: "day" })).toMatch(
      /^at is in the future/,
    );
  });

  it("refuses a time before the incident's first event; a date-only at counts its whole day", () => {
    expect(moveTimeProblem({ ...base, at: new Date("2023-05-14T23:59:59Z"), precision: "exact" })).toMatch(
      /^at .* is before the incident's first timeline event/,
    );
    expect(
      moveTimeProblem({
        ...base,
        incidentStart: new Date("2023-05-15T13:00:00Z"),
        at: new Date("2023-05-15T00:00:00Z"),
        precision: "day",
      }),
    ).toBeNull();
    expect(
      moveTimeProblem({
        ...base,
        incidentStart: null,
        at: new Date("2001-01-01T00:00:00Z"),
        precision: "exact",
      }),
    ).toBeNull();
  });

  it("refuses a time before the organization's previous move, naming at", () => {
    const previousMoveAt = new Date("2023-06-16T15:00:00Z");
    expect(
      moveTimeProblem({ ...base, previousMoveAt, at: new Date("2023-06-16T14:59:59Z"), precision: "exact" }),
    ).toMatch(/^at .* is before the organization's previous move/);
    expect(
      moveTimeProblem({ ...base, previousMoveAt, at: new Date("2023-06-16T15:00:00Z"), precision: "exact" }),
    ).toBeNull();
    expect(
      moveTimeProblem({ ...base, previousMoveAt, at: new Date("2023-06-16T00:00:00Z"), precision: "day" }),
    ).toBeNull();
    expect(
      moveTimeProblem({ ...base, previousMoveAt, at: new Date("2023-06-15T00:00:00Z"), precision: "day" }),
    ).toMatch(/previous move/);
  });

  it("accepts exactly the exact times inside [max(start, previous), now + skew] (property)", () => {
    const span = 400 * DAY;
    const origin = new Date("2023-01-01T00:00:00Z").getTime();
    const instant = fc.integer({ min: 0, max: span }).map((ms) => new Date(origin + ms));
    fc.assert(
      fc.property(instant, instant, fc.option(instant), fc.option(instant), (at, clock, start, previous) => {
        const problem = moveTimeProblem({
          at,
          precision: "exact",
          now: clock,
          incidentStart: start,
          previousMoveAt: previous,
        });
        const lower = Math.max(start?.getTime() ?? -Infinity, previous?.getTime() ?? -Infinity);
        const inside = at.getTime() >= lower && at.getTime() <= clock.getTime() + CLOCK_SKEW_MS;
        expect(problem === null).toBe(inside);
        if (problem) expect(problem.startsWith("at ")).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("computeDeadline: cases beyond deadline.test.ts", () => {
  const determined = new Date("2023-06-16T00:00:00Z");
  const deadline = (overrides: Partial<Parameters<typeof computeDeadline>[0]>) =>
    computeDeadline({
      determinedAffectedAt: determined,
      deadlineHours: 72,
      state: "pending",
      notifiedAt: null,
      now: determined,
      ...overrides,
    });

  it("is on time with exactly 24 hours left, at risk a millisecond later, and at risk (not overdue) at the due time", () => {
    expect(deadline({ now: new Date(determined.getTime() + 48 * HOUR) }).status).toBe("on time");
    expect(deadline({ now: new Date(determined.getTime() + 48 * HOUR + 1) }).status).toBe("at risk");
    expect(deadline({ now: new Date(determined.getTime() + 72 * HOUR) })).toMatchObject({
      status: "at risk",
      marginMs: 0,
    });
    expect(deadline({ now: new Date(determined.getTime() + 72 * HOUR + 1) }).status).toBe("overdue");
  });

  it("counts a notice at the due time as met, and keeps the clock stopped after a failed delivery", () => {
    const dueAt = new Date(determined.getTime() + 72 * HOUR);
    expect(deadline({ state: "notified", notifiedAt: dueAt }).status).toBe("met");
    expect(
      deadline({
        state: "failed",
        notifiedAt: new Date(dueAt.getTime() - HOUR),
        now: new Date("2030-01-01T00:00:00Z"),
      }),
    ).toMatchObject({ status: "met", marginMs: HOUR });
  });

  it("is the same instant whatever offset the determination was written in", () => {
    // 2023-06-15T20:00:00-04:00 (New York, EDT) and 2023-06-16T09:30:00+09:30 (Darwin) are both 00:00Z.
    for (const written of [
      "2023-06-15T20:00:00-04:00",
      "2023-06-16T09:30:00+09:30",
      "2023-06-16T00:00:00Z",
    ]) {
      expect(deadline({ determinedAffectedAt: new Date(written) }).dueAt.toISOString()).toBe(
        "2023-06-19T00:00:00.000Z",
      );
    }
  });

  it("counts elapsed hours across the autumn DST change too, and handles the longest regime", () => {
    // 72 h from 2023-11-04 12:00 in New York (EDT) spans the 5 November fall-back: 71 wall-clock hours later.
    expect(deadline({ determinedAffectedAt: new Date("2023-11-04T16:00:00Z") }).dueAt.toISOString()).toBe(
      "2023-11-07T16:00:00.000Z",
    );
    expect(deadline({ deadlineHours: 8760 }).dueAt.toISOString()).toBe("2024-06-15T00:00:00.000Z");
  });
});
