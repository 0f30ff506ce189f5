// Per-organization metrics: first access, dwell, notification times, deadline, and the summaries.
import { describe, expect, it } from "vitest";
import { deriveMilestones, type MilestoneInputEvent } from "../timeline/milestones.ts";
import { NOTIFICATION_STATES } from "../vocabulary.ts";
import {
  describeDurations,
  deriveOrganizationMetrics,
  summarizeOrganizations,
  type NotificationMoveInput,
  type OrganizationMetricsInput,
} from "./organization-metrics.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string) => new Date(iso);

const detectionEvent: MilestoneInputEvent = {
  id: "detection-event",
  title: "Customer detects anomalous MailItemsAccessed events",
  occurredAt: at("2023-06-16T00:00:00Z"),
  occurredUntil: null,
  precision: "day",
  lane: "response",
  phase: "detection",
  milestone: null,
  source: "https://example.org/msrc",
  alternatives: [
    {
      occurredAt: at("2023-06-15T00:00:00Z"),
      occurredUntil: null,
      precision: "day",
      source: "csrb",
      note: null,
    },
  ],
};
const detection = deriveMilestones([detectionEvent]).detection;
const context = { detection, deadlineHours: 72, now: at("2023-09-01T00:00:00Z") };

let moveSeq = 0;
const move = (toState: NotificationMoveInput["toState"], iso: string): NotificationMoveInput => ({
  id: `m${++moveSeq}`,
  toState,
  at: at(iso),
  atPrecision: "exact",
  madeBy: "Microsoft",
  channel: "email",
  timelineEventId: null,
});

function org(overrides: Partial<OrganizationMetricsInput> = {}): OrganizationMetricsInput {
  return {
    id: "org-1",
    name: "U.S. Department of State",
    kind: "government",
    notificationState: "pending",
    notificationStateAt: null,
    determinedAffectedAt: at("2023-06-20T00:00:00Z"),
    firstKnownAccessAt: at("2023-05-15T00:00:00Z"),
    earliestLinkedAdversaryEvent: null,
    moves: [],
    ...overrides,
  };
}

describe("deriveOrganizationMetrics", () => {
  it("computes dwell from the record's first access (32 days, 31 under the alternative detection)", () => {
    const m = deriveOrganizationMetrics(org(), context);
    expect(m.firstAccess).toEqual({
      at: "2023-05-15T00:00:00.000Z",
      precision: null,
      basis: "organization record",
      eventId: null,
      eventTitle: null,
    });
    expect(m.durations.dwell.ms).toBe(32 * DAY);
    expect(m.durations.dwell.alternatives.map((a) => [a.ms / DAY, a.changed])).toEqual([[31, "to"]]);
    expect(m.detection).toEqual({
      at: "2023-06-16T00:00:00.000Z",
      eventId: "detection-event",
      title: detectionEvent.title,
    });
  });

  it("falls back to the earliest linked adversary event and says so", () => {
    const m = deriveOrganizationMetrics(
      org({
        firstKnownAccessAt: null,
        earliestLinkedAdversaryEvent: {
          id: "ev-7",
          title: "Forged token used",
          occurredAt: at("2023-05-20T00:00:00Z"),
          precision: "day",
        },
      }),
      context,
    );
    expect(m.firstAccess).toMatchObject({
      basis: "earliest linked adversary event",
      eventId: "ev-7",
      precision: "day",
    });
    expect(m.durations.dwell.ms).toBe(27 * DAY);
  });

  it("leaves dwell null when first access or detection is unknown", () => {
    expect(
      deriveOrganizationMetrics(org({ firstKnownAccessAt: null }), context).durations.dwell,
    ).toMatchObject({
      ms: null,
      fromAt: null,
      alternatives: [],
    });
    const noDetection = deriveOrganizationMetrics(org(), { ...context, detection: null });
    expect(noDetection.durations.dwell.ms).toBeNull();
    expect(noDetection.durations.timeToNotifyFromDetection.ms).toBeNull();
    expect(noDetection.detection).toBeNull();
  });

  it("measures notification and acknowledgement from the first move into each state", () => {
    const m = deriveOrganizationMetrics(
      org({
        notificationState: "acknowledged",
        moves: [
          move("notified", "2023-06-21T12:00:00Z"),
          move("failed", "2023-06-21T13:00:00Z"),
          move("notified", "2023-06-22T00:00:00Z"),
          move("delivered", "2023-06-22T01:00:00Z"),
          move("acknowledged", "2023-06-23T00:00:00Z"),
        ],
      }),
      context,
    );
    expect(m.notified?.at).toBe("2023-06-21T12:00:00.000Z");
    expect(m.acknowledged?.at).toBe("2023-06-23T00:00:00.000Z");
    expect(m.remediated).toBeNull();
    expect(m.durations.timeToNotifyFromDetection.ms).toBe(5 * DAY + 12 * HOUR);
    expect(m.durations.timeToNotifyFromDetection.alternatives.map((a) => a.ms)).toEqual([
      6 * DAY + 12 * HOUR,
    ]);
    expect(m.durations.timeToNotifyFromDetermination.ms).toBe(DAY + 12 * HOUR);
    expect(m.durations.timeToAcknowledge.ms).toBe(DAY + 12 * HOUR);
    expect(m.deadline).toEqual({
      hours: 72,
      dueAt: "2023-06-23T00:00:00.000Z",
      status: "met",
      marginMs: 36 * HOUR,
    });
  });

  it("reports an open clock as overdue, and a late notice as missed", () => {
    expect(deriveOrganizationMetrics(org(), context).deadline.status).toBe("overdue");
    const late = deriveOrganizationMetrics(
      org({ notificationState: "notified", moves: [move("notified", "2023-06-24T00:00:00Z")] }),
      context,
    );
    expect(late.deadline.status).toBe("missed");
    expect(late.deadline.marginMs).toBe(-DAY);
  });
});

describe("summarizeOrganizations", () => {
  it("counts every state and deadline status, zeros included, and summarizes durations", () => {
    const rows = [
      deriveOrganizationMetrics(org(), context),
      deriveOrganizationMetrics(
        org({
          id: "org-2",
          notificationState: "notified",
          moves: [move("notified", "2023-06-21T00:00:00Z")],
        }),
        context,
      ),
      deriveOrganizationMetrics(
        org({ id: "org-3", firstKnownAccessAt: at("2023-06-01T00:00:00Z") }),
        context,
      ),
    ];
    const summary = summarizeOrganizations(rows);
    expect(summary.total).toBe(3);
    expect(Object.keys(summary.byNotificationState)).toEqual([...NOTIFICATION_STATES]);
    expect(summary.byNotificationState).toMatchObject({ pending: 2, notified: 1, closed: 0, failed: 0 });
    expect(summary.byDeadlineStatus).toEqual({ "on time": 0, "at risk": 0, overdue: 2, met: 1, missed: 0 });
    expect(summary.durations.dwell).toEqual({
      known: 3,
      minMs: 15 * DAY,
      medianMs: 32 * DAY,
      maxMs: 32 * DAY,
    });
    expect(summary.durations.timeToAcknowledge).toEqual({
      known: 0,
      minMs: null,
      medianMs: null,
      maxMs: null,
    });
  });

  it("answers zero counts for no organizations", () => {
    const summary = summarizeOrganizations([]);
    expect(summary.total).toBe(0);
    expect(Object.values(summary.byNotificationState)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(Object.values(summary.byDeadlineStatus)).toEqual([0, 0, 0, 0, 0]);
  });
});

describe("describeDurations", () => {
  it("takes the middle value, or the mean of the middle two", () => {
    expect(describeDurations([3, 1, 2]).medianMs).toBe(2);
    expect(describeDurations([4, 1, 3, 2])).toEqual({ known: 4, minMs: 1, medianMs: 2.5, maxMs: 4 });
  });
});
