// The bucket-width maths of the timeline chart: never more than max buckets, always a nice width.
import { describe, expect, it } from "vitest";
import {
  BUCKET_GRID_ORIGIN,
  EARLIEST_BUCKET_START,
  NICE_BUCKET_SECONDS,
  countBuckets,
  niceBucketWidths,
  planBuckets,
} from "./buckets.ts";

const HOUR = 3600;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;
const at = (iso: string) => new Date(iso);

function isNice(seconds: number): boolean {
  if (NICE_BUCKET_SECONDS.includes(seconds)) return true;
  const years = seconds / YEAR;
  // 2, 5, 10, 20, 50, 100, … years
  const decade = 10 ** Math.floor(Math.log10(years));
  return [1, 2, 5, 10].some((step) => Math.abs(years - step * decade) < 1e-9 * years);
}

function previousWidth(seconds: number): number | undefined {
  let previous: number | undefined;
  for (const w of niceBucketWidths()) {
    if (w === seconds) return previous;
    previous = w;
  }
}

describe("niceBucketWidths", () => {
  it("starts with the nice ladder and continues in 2-5-10 years, strictly increasing", () => {
    const widths: number[] = [];
    for (const w of niceBucketWidths()) {
      widths.push(w);
      if (widths.length === NICE_BUCKET_SECONDS.length + 7) break;
    }
    expect(widths.slice(0, NICE_BUCKET_SECONDS.length)).toEqual(NICE_BUCKET_SECONDS);
    expect(widths.slice(NICE_BUCKET_SECONDS.length).map((w) => w / YEAR)).toEqual([
      2, 5, 10, 20, 50, 100, 200,
    ]);
    for (let i = 1; i < widths.length; i++) expect(widths[i]).toBeGreaterThan(widths[i - 1] ?? Infinity);
  });

  it("includes the widths a chart reader expects", () => {
    for (const w of [HOUR, 6 * HOUR, DAY, 7 * DAY, 30 * DAY]) expect(NICE_BUCKET_SECONDS).toContain(w);
  });
});

describe("planBuckets", () => {
  it("uses one minute for a single instant (from == to)", () => {
    const t = at("2023-06-16T00:00:00Z");
    expect(planBuckets(t, t, 1000)).toEqual({ bucketSeconds: 60, origin: BUCKET_GRID_ORIGIN, count: 1 });
    expect(planBuckets(t, t, 1).count).toBe(1);
  });

  it("picks hours for the Storm-0558 window with max 1000, days with max 100", () => {
    const from = at("2023-05-15T00:00:00Z");
    const to = at("2023-08-21T00:00:00Z"); // 98 days
    expect(planBuckets(from, to, 1000).bucketSeconds).toBe(3 * HOUR);
    expect(planBuckets(from, to, 100).bucketSeconds).toBe(DAY);
    expect(planBuckets(from, to, 10).bucketSeconds).toBe(30 * DAY);
  });

  it("takes the next width when grid alignment would add one bucket too many", () => {
    // Exactly 1000 hours, but starting mid-hour: touches 1001 hour buckets.
    const from = at("2023-01-01T00:30:00Z");
    const to = new Date(from.getTime() + 1000 * HOUR * 1000);
    expect(countBuckets(from, to, HOUR, BUCKET_GRID_ORIGIN)).toBe(1001);
    expect(planBuckets(from, to, 1000).bucketSeconds).toBe(3 * HOUR);
  });

  it("aligns days to midnight UTC and weeks to Mondays", () => {
    expect(BUCKET_GRID_ORIGIN.getUTCDay()).toBe(1);
    expect(BUCKET_GRID_ORIGIN.getTime() % (DAY * 1000)).toBe(0);
  });

  it("fits a span straddling a grid line into one bucket starting at from when max is 1", () => {
    const from = at("2023-06-15T23:00:00Z");
    const to = at("2023-06-16T01:00:00Z");
    const plan = planBuckets(from, to, 1);
    expect(plan.count).toBe(1);
    expect(plan.origin).toEqual(from);
    expect(plan.bucketSeconds).toBe(3 * HOUR);
    expect(countBuckets(from, to, plan.bucketSeconds, plan.origin)).toBe(1);
  });

  it("handles huge spans with multi-year widths", () => {
    const from = at("0001-01-01T00:00:00Z");
    const to = at("9999-12-31T23:59:59Z");
    const plan = planBuckets(from, to, 1000);
    expect(plan.bucketSeconds / YEAR).toBe(20);
    expect(plan.count).toBeLessThanOrEqual(1000);
    expect(planBuckets(from, to, 1).count).toBe(1);
  });

  it("anchors multi-millennium buckets at from when their grid start would predate Postgres", () => {
    const from = at("0001-01-01T00:00:00Z");
    const to = at("9999-12-31T23:59:59Z");
    const plan = planBuckets(from, to, 2);
    expect(plan.bucketSeconds / YEAR).toBe(10_000);
    expect(plan.origin).toEqual(from);
    expect(plan.count).toBeLessThanOrEqual(2);
    expect(plan.origin.getTime()).toBeGreaterThanOrEqual(EARLIEST_BUCKET_START.getTime());
  });

  it("never exceeds max and always picks a nice width (property sweep)", () => {
    // Deterministic pseudo-random spans from a minute to centuries, every max from 1 to 1000.
    let seed = 20230616;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const maxes = [1, 2, 3, 7, 10, 50, 99, 100, 101, 500, 999, 1000];
    for (let i = 0; i < 2000; i++) {
      const from = new Date(Date.UTC(1990, 0, 1) + random() * 50 * YEAR * 1000);
      const spanMs = Math.floor(10 ** (random() * 13)); // 1 ms … ~300 years
      const to = new Date(from.getTime() + spanMs);
      const max = maxes[i % maxes.length] ?? 1000;
      const plan = planBuckets(from, to, max);
      expect(plan.count).toBeLessThanOrEqual(max);
      expect(countBuckets(from, to, plan.bucketSeconds, plan.origin)).toBe(plan.count);
      expect(isNice(plan.bucketSeconds)).toBe(true);
      expect(plan.bucketSeconds * max).toBeGreaterThanOrEqual((to.getTime() - from.getTime()) / 1000);
      // The smallest that fits: the width before it on the ladder would have made too many buckets.
      const before = previousWidth(plan.bucketSeconds);
      if (before !== undefined)
        expect(countBuckets(from, to, before, BUCKET_GRID_ORIGIN)).toBeGreaterThan(max);
    }
  });

  it("is the smallest nice width that fits", () => {
    const from = at("2023-05-15T00:00:00Z");
    const to = at("2023-06-16T00:00:00Z"); // 32 days = 768 hours
    expect(planBuckets(from, to, 769).bucketSeconds).toBe(HOUR);
    expect(planBuckets(from, to, 768).bucketSeconds).toBe(3 * HOUR);
  });

  it("refuses from after to and a max below 1", () => {
    expect(() => planBuckets(at("2023-06-17T00:00:00Z"), at("2023-06-16T00:00:00Z"), 10)).toThrow(RangeError);
    expect(() => planBuckets(at("2023-06-16T00:00:00Z"), at("2023-06-16T00:00:00Z"), 0)).toThrow(RangeError);
    expect(() => planBuckets(at("2023-06-16T00:00:00Z"), at("2023-06-16T00:00:00Z"), 1.5)).toThrow(
      RangeError,
    );
  });
});
