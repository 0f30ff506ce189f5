import { describe, expect, it } from "vitest";
import { dateTimeAttribute, formatDating, formatDuration } from "./format.ts";

describe("formatDating", () => {
  it("shows a day-precision fact as a date, never as midnight", () => {
    const text = formatDating({ occurredAt: "2023-06-15T00:00:00Z", precision: "day" });
    expect(text).toBe("15 Jun 2023");
    expect(text).not.toContain("00:00");
  });

  it("does not shift a calendar date into the viewer's zone", () => {
    // In New York, UTC midnight is still the 14th: a published date must stay the 15th.
    expect(formatDating({ occurredAt: "2023-06-15T00:00:00Z", precision: "day" }, "America/New_York")).toBe(
      "15 Jun 2023",
    );
  });

  it("formats month, year and approximate precision", () => {
    expect(formatDating({ occurredAt: "2018-09-01T00:00:00Z", precision: "month" })).toBe("Sep 2018");
    expect(formatDating({ occurredAt: "2022-01-01T00:00:00Z", precision: "year" })).toBe("2022");
    expect(formatDating({ occurredAt: "2023-06-15T00:00:00Z", precision: "approximate" })).toBe("≈ mid-Jun 2023");
    expect(formatDating({ occurredAt: "2021-06-01T00:00:00Z", precision: "approximate" })).toBe("≈ early-Jun 2021");
    expect(formatDating({ occurredAt: "2023-06-25T00:00:00Z", precision: "approximate" })).toBe("≈ late-Jun 2023");
  });

  it("formats ranges within a month, across months and across years", () => {
    expect(
      formatDating({ occurredAt: "2023-06-13T00:00:00Z", occurredUntil: "2023-06-20T00:00:00Z", precision: "range" }),
    ).toBe("13–20 Jun 2023");
    expect(
      formatDating({ occurredAt: "2023-06-26T00:00:00Z", occurredUntil: "2023-07-03T00:00:00Z", precision: "range" }),
    ).toBe("26 Jun – 3 Jul 2023");
    expect(
      formatDating({ occurredAt: "2022-12-28T00:00:00Z", occurredUntil: "2023-01-03T00:00:00Z", precision: "range" }),
    ).toBe("28 Dec 2022 – 3 Jan 2023");
    expect(formatDating({ occurredAt: "2023-06-13T00:00:00Z", occurredUntil: null, precision: "range" })).toBe(
      "from 13 Jun 2023",
    );
  });

  it("shows instants in the viewer's zone with the zone named", () => {
    expect(formatDating({ occurredAt: "2023-06-15T14:03:27Z", precision: "exact" })).toBe("15 Jun 2023, 14:03:27 UTC");
    expect(formatDating({ occurredAt: "2023-06-15T14:03:27Z", precision: "minute" }, "America/New_York")).toBe(
      "15 Jun 2023, 10:03 EDT",
    );
    // Across a date line the calendar day changes with the zone.
    expect(formatDating({ occurredAt: "2023-06-15T23:30:00Z", precision: "minute" }, "Asia/Tokyo")).toBe(
      "16 Jun 2023, 08:30 GMT+9",
    );
    expect(formatDating({ occurredAt: "2023-06-15T14:00:00Z", precision: "hour" })).toBe("15 Jun 2023, 14:00–14:59 UTC");
  });

  it("says so when the date is unusable", () => {
    expect(formatDating({ occurredAt: "not a date", precision: "day" })).toBe("unknown date");
  });
});

describe("dateTimeAttribute", () => {
  it("does not claim more precision than the source gave", () => {
    expect(dateTimeAttribute({ occurredAt: "2023-06-15T00:00:00Z", precision: "day" })).toBe("2023-06-15");
    expect(dateTimeAttribute({ occurredAt: "2023-06-01T00:00:00Z", precision: "month" })).toBe("2023-06");
    expect(dateTimeAttribute({ occurredAt: "2023-06-15T14:03:00Z", precision: "minute" })).toBe(
      "2023-06-15T14:03:00.000Z",
    );
  });
});

describe("formatDuration", () => {
  it("speaks in days for calendar spans and hours for short ones", () => {
    expect(formatDuration(32 * 86_400_000)).toBe("32 days");
    expect(formatDuration(86_400_000)).toBe("1 day");
    expect(formatDuration(36 * 3_600_000)).toBe("36 hours");
    expect(formatDuration(2.5 * 86_400_000)).toBe("≈ 2.5 days");
    expect(formatDuration(-3 * 86_400_000)).toBe("−3 days");
  });
});
