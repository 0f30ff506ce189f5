// The incident-wide metrics DTOs: every milestone and key duration present, in words and ISO times.
import { describe, expect, it } from "vitest";
import { deriveKeyDurations, deriveMilestones, type MilestoneInputEvent } from "../timeline/milestones.ts";
import { KEY_DURATION_ENDS, toIncidentDurationDtos, toMilestoneDtos } from "./incident-metrics.ts";

const DAY = 86_400_000;
let seq = 0;
function event(date: string, phase: MilestoneInputEvent["phase"], extra: Partial<MilestoneInputEvent> = {}) {
  seq += 1;
  return {
    id: `e${seq}`,
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

const detection15 = {
  occurredAt: new Date("2023-06-15T00:00:00Z"),
  occurredUntil: null,
  precision: "day" as const,
  source: "https://example.org/csrb",
  note: "CSRB: 15 June",
};

const FULL = [
  event("2023-05-15", "initial_access"),
  event("2023-06-16", "detection", { alternatives: [detection15] }),
  event("2023-06-24", "containment"),
  event("2023-07-03", "mitigation"),
  event("2023-07-11", "notification"),
  event("2023-08-21", "notification"),
];

describe("KEY_DURATION_ENDS", () => {
  it("names the same ends deriveKeyDurations uses", () => {
    const durations = deriveKeyDurations(deriveMilestones(FULL));
    expect(durations).toHaveLength(Object.keys(KEY_DURATION_ENDS).length);
    for (const d of durations) expect(KEY_DURATION_ENDS[d.name]).toEqual({ from: d.from, to: d.to });
  });
});

describe("toIncidentDurationDtos", () => {
  it("gives dwell 32 days with the event ids, titles and the 31-day alternative", () => {
    const milestones = deriveMilestones(FULL);
    const dtos = toIncidentDurationDtos(milestones, deriveKeyDurations(milestones));
    expect(dtos.dwell).toMatchObject({
      name: "dwell",
      label: "Dwell time",
      ms: 32 * DAY,
      from: { milestone: "firstActivity", label: "First adversary activity", at: "2023-05-15T00:00:00.000Z" },
      to: { milestone: "detection", label: "Detection", title: "detection on 2023-06-16" },
    });
    expect(dtos.dwell.from.eventId).toBe(milestones.firstActivity?.eventId);
    expect(dtos.dwell.alternatives).toEqual([
      {
        ms: 31 * DAY,
        changed: "to",
        occurredAt: "2023-06-15T00:00:00.000Z",
        occurredUntil: null,
        precision: "day",
        source: "https://example.org/csrb",
        note: "CSRB: 15 June",
      },
    ]);
    expect(dtos.timeToLastNotification.ms).toBe(66 * DAY);
  });

  it("lists every duration with ms null when milestones are missing", () => {
    const milestones = deriveMilestones([]);
    const dtos = toIncidentDurationDtos(milestones, deriveKeyDurations(milestones));
    expect(Object.keys(dtos)).toEqual(Object.keys(KEY_DURATION_ENDS));
    for (const d of Object.values(dtos)) {
      expect(d.ms).toBeNull();
      expect(d.from.eventId).toBeNull();
      expect(d.to.at).toBeNull();
      expect(d.alternatives).toEqual([]);
    }
  });
});

describe("toMilestoneDtos", () => {
  it("has every kind, with label, basis and ISO dates, null when unknown", () => {
    const dtos = toMilestoneDtos(deriveMilestones(FULL.slice(0, 2)));
    expect(Object.keys(dtos)).toEqual([
      "firstActivity",
      "detection",
      "containment",
      "mitigationComplete",
      "firstNotification",
      "lastNotification",
    ]);
    expect(dtos.detection).toMatchObject({
      label: "Detection",
      occurredAt: "2023-06-16T00:00:00.000Z",
      basis: "earliest detection event",
      alternatives: [{ occurredAt: "2023-06-15T00:00:00.000Z", note: "CSRB: 15 June" }],
    });
    expect(dtos.containment).toBeNull();
  });
});
