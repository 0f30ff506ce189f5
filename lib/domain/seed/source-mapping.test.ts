import { describe, expect, it } from "vitest";
import { buildDemoPlan } from "./demo-plan.ts";
import {
  assertKnownTechnique,
  formatFigureValue,
  sourcePublicationDate,
  laneForPhase,
  mapIndicatorType,
  mapPhase,
  mapPublishedDating,
  mapVerification,
  normalizeIndicatorValue,
  parseUtcDay,
} from "./source-mapping.ts";
import { readAttackCatalog, readStormSource } from "./storm-0558-source.ts";

describe("source vocabulary", () => {
  it("maps phases and puts only initial access and activity in the adversary lane", () => {
    expect(mapPhase("initial access")).toBe("initial_access");
    expect(mapPhase("post-incident")).toBe("post_incident");
    expect(() => mapPhase("exfiltration")).toThrow(/Unknown phase "exfiltration"/);
    expect(laneForPhase("initial_access")).toBe("adversary");
    expect(laneForPhase("activity")).toBe("adversary");
    for (const phase of [
      "detection",
      "investigation",
      "containment",
      "mitigation",
      "notification",
      "post_incident",
    ] as const) {
      expect(laneForPhase(phase)).toBe("response");
    }
  });

  it("treats anything not read in a source as unverified", () => {
    expect(mapVerification("primary")).toBe("primary");
    expect(mapVerification("secondary")).toBe("secondary");
    expect(mapVerification("memory")).toBe("unverified");
    expect(mapVerification(undefined)).toBe("unverified");
  });

  it("keeps the published dating and reads ranges at their own precision", () => {
    expect(mapPublishedDating("2023-05-15T00:00:00Z", "day")).toEqual({
      occurredAt: new Date("2023-05-15T00:00:00Z"),
      occurredUntil: null,
      precision: "day",
    });
    expect(mapPublishedDating("2021-04-01T00:00:00Z", "range:2021-04..2021-08")).toEqual({
      occurredAt: new Date("2021-04-01T00:00:00Z"),
      occurredUntil: new Date("2021-08-01T00:00:00Z"),
      precision: "range",
    });
    expect(() => mapPublishedDating("2023-05-15T00:00:00Z", "fortnight")).toThrow(/Unknown precision/);
    expect(() => mapPublishedDating("2023-05-15T00:00:00Z", "range:2023-05..2023-04")).toThrow(/ends before/);
  });

  it("refuses impossible calendar dates", () => {
    expect(parseUtcDay("2023-06-30").toISOString()).toBe("2023-06-30T00:00:00.000Z");
    expect(() => parseUtcDay("2023-06-31")).toThrow(/not a calendar date/);
    expect(() => parseUtcDay("30/06/2023")).toThrow(/YYYY-MM-DD/);
  });

  it("maps indicator types and lower-cases hex digests only", () => {
    expect(mapIndicatorType("x509-thumbprint-sha1")).toBe("cert_thumbprint");
    expect(mapIndicatorType("jwt-kid")).toBe("jwt_kid");
    expect(() => mapIndicatorType("mutex")).toThrow(/Unknown indicator type/);
    expect(normalizeIndicatorValue("sha1", "80D315C21FC13365BBA5B4D56357136E84ECB2D4")).toBe(
      "80d315c21fc13365bba5b4d56357136e84ecb2d4",
    );
    expect(normalizeIndicatorValue("jwt_kid", "1LTMzakihiRla_8z2BEJVXeWMqo")).toBe(
      "1LTMzakihiRla_8z2BEJVXeWMqo",
    );
  });

  it("writes figures as a person would read them", () => {
    expect(formatFigureValue("x", 60000)).toBe("60,000");
    expect(formatFigureValue("omb", { activeMonths: 12, coldMonths: 18 })).toBe(
      "12 months active, 18 months cold",
    );
    expect(() => formatFigureValue("x", { mystery: 1 })).toThrow(/no wording/);
  });
});

describe("ATT&CK checks", () => {
  const catalog = readAttackCatalog();

  it("accepts current techniques and names the problem with any other", () => {
    expect(assertKnownTechnique("T1606", catalog, "test").name).toBe("Forge Web Credentials");
    expect(() => assertKnownTechnique("T9999", catalog, "test")).toThrow(
      /T9999 \(test\) is not in data\/attack-enterprise\.json/,
    );
    expect(() => assertKnownTechnique("T1002", catalog, "test")).toThrow(
      /revoked in ATT&CK; use T1560 instead/,
    );
  });

  it("stops the demo plan when the sourced data cites an unknown technique", () => {
    const source = readStormSource();
    const broken = {
      ...source,
      attackTechniques: [...source.attackTechniques, { ...source.attackTechniques[0]!, id: "T1606.999" }],
    };
    expect(() => buildDemoPlan(broken, catalog, "storm-0558")).toThrow(/T1606\.999/);
  });
});

describe("demo plan", () => {
  const plan = buildDemoPlan(readStormSource(), readAttackCatalog(), "storm-0558");

  it("holds the sourced counts and leaves the background events off the timeline", () => {
    expect(plan.events).toHaveLength(42);
    expect(plan.indicators).toHaveLength(48);
    expect(plan.organizations).toHaveLength(23);
    expect(
      plan.organizations.filter((organization) => organization.kind !== "individuals_group"),
    ).toHaveLength(22);
    expect(plan.incidentTechniques).toHaveLength(10);
    expect(plan.events.every((event) => event.occurredAt >= new Date("2023-01-01T00:00:00Z"))).toBe(true);
  });

  it("keeps defanged values for display and refanged ones for matching", () => {
    const panel = plan.indicators.find((indicator) => indicator.normalizedValue === "195.26.87.219");
    expect(panel).toMatchObject({
      type: "ipv4",
      value: "195.26.87[.]219",
      firstSeenAt: new Date("2023-05-15T00:00:00Z"),
      lastSeenAt: new Date("2023-06-25T00:00:00Z"),
      tlp: "CLEAR",
      confidence: null,
    });
  });

  it("gives every organization one move, and each timeline event at most one", () => {
    expect(plan.moves).toHaveLength(plan.organizations.length);
    const linked = plan.moves.flatMap((move) => (move.timelineEventId ? [move.timelineEventId] : []));
    expect(new Set(linked).size).toBe(linked.length);
  });
});

describe("sourcePublicationDate", () => {
  it.each([
    ["Analysis of Storm-0558 techniques (Microsoft Threat Intelligence, 2023-07-14)", "2023-07-14"],
    [
      "Review of the Summer 2023 Microsoft Exchange Online Intrusion (CSRB, dated 2024-03-20, released 2024-04-02)",
      "2024-04-02",
    ],
    ["Enhanced Monitoring (CISA/FBI, 2023-07-12, updated 2023-07-14)", "2023-07-12"],
    ["Chinese hackers stole emails, Senate staffer says (Reuters via CNA)", null],
    ["Not a day (2023-02-30)", null],
  ])("%s → %s", (title, day) => {
    expect(sourcePublicationDate(title)?.toISOString().slice(0, 10) ?? null).toBe(day);
  });
});
