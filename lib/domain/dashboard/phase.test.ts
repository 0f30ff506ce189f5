import { describe, expect, it } from "vitest";
import type { Milestone, Milestones } from "../timeline/milestones.ts";
import { deriveIncidentPhase } from "./phase.ts";

const none: Milestones = {
  firstActivity: null,
  detection: null,
  containment: null,
  mitigationComplete: null,
  firstNotification: null,
  lastNotification: null,
};
const at = (kind: Milestone["kind"], iso: string) =>
  ({ kind, occurredAt: new Date(iso), precision: "day" }) as unknown as Milestone;

describe("deriveIncidentPhase", () => {
  it("has no phase without events", () => {
    expect(deriveIncidentPhase(none, null)).toMatchObject({ current: null, currentLabel: "No events yet" });
  });

  it("is the furthest step reached, even when an earlier one is missing", () => {
    const phase = deriveIncidentPhase(
      {
        ...none,
        firstActivity: at("firstActivity", "2023-05-15"),
        detection: at("detection", "2023-06-16"),
        firstNotification: at("firstNotification", "2023-07-11"),
      },
      null,
    );
    expect(phase.current).toBe("notification");
    expect(phase.steps.find((s) => s.phase === "containment")?.reachedAt).toBeNull();
    expect(phase.steps.find((s) => s.phase === "detection")?.reachedAt).toBe("2023-06-16T00:00:00.000Z");
  });

  it("is post-incident once a post-incident event exists", () => {
    const phase = deriveIncidentPhase(
      { ...none, detection: at("detection", "2023-06-16") },
      { occurredAt: new Date("2024-04-02T00:00:00Z"), precision: "day" },
    );
    expect(phase.current).toBe("post-incident");
  });
});
