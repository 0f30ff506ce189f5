import { describe, expect, it } from "vitest";
import { deriveKeyDurations, deriveMilestones, type MilestoneInputEvent } from "./milestones.ts";

const DAY = 86_400_000;
let seq = 0;
function event(date: string, phase: MilestoneInputEvent["phase"], extra: Partial<MilestoneInputEvent> = {}) {
  seq += 1;
  return {
    id: `e${String(seq).padStart(3, "0")}`,
    title: `${phase} on ${date}`,
    occurredAt: new Date(`${date}T00:00:00Z`),
    occurredUntil: null,
    precision: "day",
    lane: phase === "initial_access" || phase === "activity" ? "adversary" : "response",
    phase,
    milestone: null,
    source: "https://example.org/source",
    alternatives: [],
    ...extra,
  } satisfies MilestoneInputEvent;
}

describe("deriveMilestones", () => {
  it("takes initial access over earlier staging activity as first activity", () => {
    const m = deriveMilestones([
      event("2023-03-09", "activity"),
      event("2023-05-15", "initial_access"),
      event("2023-06-16", "detection"),
    ]);
    expect(m.firstActivity?.occurredAt.toISOString()).toBe("2023-05-15T00:00:00.000Z");
    expect(m.firstActivity?.basis).toBe("earliest initial-access event");
  });

  it("falls back to the earliest adversary event when no initial access is logged", () => {
    const m = deriveMilestones([event("2023-04-01", "activity"), event("2023-03-01", "activity")]);
    expect(m.firstActivity?.occurredAt.toISOString()).toBe("2023-03-01T00:00:00.000Z");
  });

  it("prefers a pinned event over the phase rule", () => {
    const m = deriveMilestones([
      event("2023-06-15", "detection"),
      event("2023-06-16", "detection", { milestone: "detection" }),
    ]);
    expect(m.detection?.occurredAt.toISOString()).toBe("2023-06-16T00:00:00.000Z");
    expect(m.detection?.basis).toBe("pinned on the event as this milestone");
  });

  it("takes the latest mitigation and the first and last notification", () => {
    const m = deriveMilestones([
      event("2023-06-26", "mitigation"),
      event("2023-07-03", "mitigation"),
      event("2023-06-19", "notification"),
      event("2023-08-21", "notification"),
      event("2023-07-04", "notification"),
    ]);
    expect(m.mitigationComplete?.occurredAt.toISOString().slice(0, 10)).toBe("2023-07-03");
    expect(m.firstNotification?.occurredAt.toISOString().slice(0, 10)).toBe("2023-06-19");
    expect(m.lastNotification?.occurredAt.toISOString().slice(0, 10)).toBe("2023-08-21");
  });

  it("leaves a milestone empty when no event supports it", () => {
    const m = deriveMilestones([event("2023-05-15", "initial_access")]);
    expect(m.detection).toBeNull();
    expect(deriveKeyDurations(m)).toEqual([]);
  });

  it("is independent of input order", () => {
    const events = [event("2023-06-16", "detection"), event("2023-05-15", "initial_access")];
    expect(deriveMilestones(events)).toEqual(deriveMilestones([...events].reverse()));
  });
});

describe("deriveKeyDurations", () => {
  it("computes Storm-0558's dwell time of 32 days and the 31 days of the alternative detection date", () => {
    const m = deriveMilestones([
      event("2023-05-15", "initial_access", { milestone: "first_activity" }),
      event("2023-06-16", "detection", {
        milestone: "detection",
        alternatives: [
          {
            occurredAt: new Date("2023-06-15T00:00:00Z"),
            occurredUntil: null,
            precision: "day",
            source: "https://example.org/csrb",
            note: "CSRB: detected on 15 June",
          },
        ],
      }),
      event("2023-06-24", "containment"),
    ]);
    const [dwell, contain] = deriveKeyDurations(m);
    expect(dwell?.name).toBe("dwell");
    expect(dwell?.ms).toBe(32 * DAY);
    expect(dwell?.alternatives.map((a) => a.ms / DAY)).toEqual([31]);
    expect(dwell?.alternatives[0]?.changed).toBe("to");
    expect(contain?.name).toBe("timeToContain");
    expect(contain?.ms).toBe(8 * DAY);
    // Containment measured from the alternative detection date would be one day longer.
    expect(contain?.alternatives.map((a) => a.ms / DAY)).toEqual([9]);
  });
});
