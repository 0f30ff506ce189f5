// Turns the sourced Storm-0558 facts into the rows of the demo incident, with ids chosen up front so
// every row and link can be inserted in bulk. Pure: it checks everything before the database is touched.
import { randomUUID } from "node:crypto";
import type { Prisma } from "../../db/generated/client.ts";
import { formatDating } from "../../time/format.ts";
import { DEMO_ORGANIZATIONS, type EventSelector } from "./demo-organizations.ts";
import {
  assertKnownTechnique,
  figureLabel,
  figureNote,
  formatFigureValue,
  sourcePublicationDate,
  laneForPhase,
  mapIndicatorType,
  mapPhase,
  mapPublishedDating,
  mapVerification,
  normalizeIndicatorValue,
  parseUtcDay,
  type Precision,
  type Verification,
} from "./source-mapping.ts";
import type { AttackTechnique, SourcedEvent, StormSource } from "./storm-0558-source.ts";

const CSRB_URL =
  "https://www.cisa.gov/resources-tools/resources/cyber-safety-review-board-releases-report-microsoft-online-exchange-incident-summer-2023";
const MICROSOFT_ANALYSIS_URL =
  "https://www.microsoft.com/en-us/security/blog/2023/07/14/analysis-of-storm-0558-techniques-for-unauthorized-email-access/";
const CISA_AA23_193A_URL = "https://www.cisa.gov/news-events/cybersecurity-advisories/aa23-193a";

interface AlternativePlan {
  event: EventSelector;
  occurredAt: string;
  occurredUntil?: string;
  precision: Precision;
  source: string;
  verification: Verification;
  note: string;
}

// Only where sources disagree about one fact. The 15 June alert and the 16 June report to Microsoft are two
// facts and stay two events; the report, pinned as the detection milestone, also carries the CSRB's 15 June
// detection date, so durations measured from detection show both days.
const ALTERNATIVES: readonly AlternativePlan[] = [
  {
    event: { date: "2023-06-15", titleIncludes: "Big Yellow Taxi" },
    occurredAt: "2023-06-15",
    precision: "approximate",
    source: CISA_AA23_193A_URL,
    verification: "primary",
    note: "CISA AA23-193A: 'In Mid-June 2023'",
  },
  {
    event: { date: "2023-06-15", titleIncludes: "Big Yellow Taxi" },
    occurredAt: "2023-06-16",
    precision: "day",
    source: CSRB_URL,
    verification: "primary",
    note: "The CSRB report gives the first alert as 16 June 2023 in section 1.3.1, and as 15 June in its Overview and Appendix B.",
  },
  {
    event: { date: "2023-06-16", titleIncludes: "reports the anomalous activity to Microsoft" },
    occurredAt: "2023-06-15",
    precision: "day",
    source: CSRB_URL,
    verification: "primary",
    note: "CSRB: State's SOC detected the anomalous access on 15 June 2023 and reported it to Microsoft on 16 June",
  },
  {
    event: { date: "2023-06-24", titleIncludes: "revokes the stolen 2016 MSA key" },
    occurredAt: "2023-06-26",
    occurredUntil: "2023-06-29",
    precision: "range",
    source: MICROSOFT_ANALYSIS_URL,
    verification: "primary",
    note: "Microsoft's 14 July 2023 blog lists mitigation steps on 26, 27 and 29 June and does not mention 24 June",
  },
  {
    event: { date: "2023-06-06", titleIncludes: "accesses Commerce Department mailboxes" },
    occurredAt: "2023-06-21",
    precision: "day",
    source: CSRB_URL,
    verification: "primary",
    note: "Microsoft's initial reports had given 21 June 2023 as the date of access and exfiltration at Commerce (CSRB).",
  },
];

type MilestonePin = NonNullable<Prisma.TimelineEventCreateManyInput["milestone"]>;

// The events the incident's milestones are pinned to, rather than left to the phase rules.
const MILESTONE_PINS: readonly { milestone: MilestonePin; event: EventSelector }[] = [
  {
    milestone: "first_activity",
    event: { date: "2023-05-15", titleIncludes: "stands up its first piece of infrastructure" },
  },
  {
    milestone: "detection",
    event: { date: "2023-06-16", titleIncludes: "reports the anomalous activity to Microsoft" },
  },
  {
    milestone: "containment",
    event: { date: "2023-06-24", titleIncludes: "revokes the stolen 2016 MSA key" },
  },
  {
    // CSRB: remediation ran between 24 June and 3 July 2023.
    milestone: "mitigation_complete",
    event: { date: "2023-07-03", titleIncludes: "blocks use of the key for all affected consumer customers" },
  },
];

// Kept to what the event's own words show; the incident-wide list carries the rest.
const EVENT_TECHNIQUES: readonly { event: EventSelector; techniques: readonly string[] }[] = [
  {
    event: { date: "2023-03-09", titleIncludes: "SoftEther proxy IP" },
    techniques: ["T1090.002"],
  },
  {
    event: { date: "2023-05-15", titleIncludes: "begins accessing mailboxes with forged tokens" },
    techniques: ["T1606", "T1550.001", "T1114.002"],
  },
  {
    event: { date: "2023-05-15", titleIncludes: "dedicated infrastructure hosting a token web panel" },
    techniques: ["T1583.003", "T1550.001"],
  },
  {
    event: { date: "2023-06-06", titleIncludes: "accesses Commerce Department mailboxes" },
    techniques: ["T1114.002"],
  },
  {
    event: { date: "2023-06-13", titleIncludes: "accessed official State mailboxes" },
    techniques: ["T1114.002"],
  },
];

export interface DemoPlan {
  incident: Prisma.IncidentCreateInput & { id: string };
  events: Prisma.TimelineEventCreateManyInput[];
  alternatives: Prisma.EventAlternativeCreateManyInput[];
  eventOrganizations: Prisma.EventOrganizationCreateManyInput[];
  eventIndicators: Prisma.EventIndicatorCreateManyInput[];
  eventTechniques: Prisma.EventTechniqueCreateManyInput[];
  indicators: Prisma.IndicatorCreateManyInput[];
  organizations: Prisma.AffectedOrganizationCreateManyInput[];
  moves: Prisma.NotificationMoveCreateManyInput[];
  incidentTechniques: Prisma.IncidentTechniqueCreateManyInput[];
  figures: Prisma.SourcedFigureCreateManyInput[];
}

const formatDay = (date: string) => formatDating({ occurredAt: parseUtcDay(date), precision: "day" });

/** What anyone signed in may read, agency users included: no victim is named here. */
export function composePublicSummary(source: StormSource): string {
  const { incident } = source;
  return [
    `${incident.actor} accessed email in ${incident.affectedServices.join(" and ")}.`,
    `How: ${incident.vector}`,
    `First known malicious access: ${formatDay(incident.firstMaliciousAccess)}.`,
    `Detection: a customer reported the anomalous activity to Microsoft on ${formatDay(incident.reportedToMicrosoft)}.`,
    `Public disclosure: ${formatDay(incident.publicDisclosure)}.`,
  ].join(" ");
}

export function buildDemoPlan(
  source: StormSource,
  catalog: ReadonlyMap<string, AttackTechnique>,
  slug: string,
  newId: () => string = randomUUID,
): DemoPlan {
  const incidentId = newId();

  // backgroundEvents (the 2016 key, the 2021 corporate compromise, ...) are deliberately left off the
  // timeline: they predate the intrusion window, and as events they would drag the derived "first
  // adversary activity" milestone (and so dwell time) back by years.
  const eventIds = source.timeline.map(() => newId());
  const events: Prisma.TimelineEventCreateManyInput[] = source.timeline.map((event, index) => {
    const phase = mapPhase(event.phase);
    const dating = mapPublishedDating(event.occurredAt, event.precision);
    return {
      id: eventIds[index],
      incidentId,
      occurredAt: dating.occurredAt,
      occurredUntil: dating.occurredUntil,
      precision: dating.precision,
      // The sources give calendar dates only, never a zone.
      sourceTimeZone: null,
      lane: laneForPhase(phase),
      phase,
      title: event.title,
      description: event.note ?? null,
      source: event.source,
      verification: mapVerification(event.verification),
      additionalSources: event.additionalSources ?? [],
      tlp: "CLEAR",
    };
  });

  const selectEventId = (selector: EventSelector): string => {
    const matches = source.timeline
      .map((event, index) => ({ event, index }))
      .filter(({ event }) => matchesSelector(event, selector));
    if (matches.length !== 1 || !matches[0]) {
      throw new Error(
        `Expected exactly one timeline event on ${selector.date} whose title includes "${selector.titleIncludes}", found ${matches.length}.`,
      );
    }
    return eventIds[matches[0].index] as string;
  };

  // At most one event per kind, and one kind per event.
  for (const pin of MILESTONE_PINS) {
    const eventId = selectEventId(pin.event);
    const event = events.find((candidate) => candidate.id === eventId);
    if (!event || event.milestone || events.some((other) => other.milestone === pin.milestone)) {
      throw new Error(`Milestone ${pin.milestone} cannot be pinned to the event of ${pin.event.date}.`);
    }
    event.milestone = pin.milestone;
  }

  const alternatives = ALTERNATIVES.map((alternative) => ({
    id: newId(),
    eventId: selectEventId(alternative.event),
    occurredAt: parseUtcDay(alternative.occurredAt),
    occurredUntil: alternative.occurredUntil ? parseUtcDay(alternative.occurredUntil) : null,
    precision: alternative.precision,
    sourceTimeZone: null,
    source: alternative.source,
    verification: alternative.verification,
    note: alternative.note,
  }));

  const incidentTechniques = source.attackTechniques.map((technique) => {
    const known = assertKnownTechnique(technique.id, catalog, `incident technique "${technique.name}"`);
    if (known.name !== technique.name) {
      throw new Error(
        `ATT&CK technique ${technique.id} is "${known.name}" in data/attack-enterprise.json, not "${technique.name}"; check the ID.`,
      );
    }
    // A note that the ID was unverified is answered by the catalogue check above, so it is not repeated.
    const note = technique.idVerified === false ? undefined : technique.note;
    return {
      incidentId,
      techniqueId: technique.id,
      evidence: note ? `${technique.evidence} Note: ${note}` : technique.evidence,
      sourceUrl: technique.source,
    };
  });
  const incidentTechniqueIds = new Set(incidentTechniques.map((technique) => technique.techniqueId));

  const eventTechniques = EVENT_TECHNIQUES.flatMap(({ event, techniques }) => {
    const eventId = selectEventId(event);
    return techniques.map((techniqueId) => {
      assertKnownTechnique(techniqueId, catalog, `event of ${event.date}`);
      if (!incidentTechniqueIds.has(techniqueId)) {
        throw new Error(`Event technique ${techniqueId} is not among the incident's ATT&CK techniques.`);
      }
      return { eventId, techniqueId };
    });
  });

  const indicators = source.indicators.map((indicator) => {
    const type = mapIndicatorType(indicator.type);
    return {
      id: newId(),
      incidentId,
      type,
      value: indicator.valueAsPublished ?? indicator.value,
      normalizedValue: normalizeIndicatorValue(type, indicator.value),
      firstSeenAt: indicator.firstSeen ? parseUtcDay(indicator.firstSeen) : null,
      lastSeenAt: indicator.lastSeen ? parseUtcDay(indicator.lastSeen) : null,
      confidence: null,
      // Published IOCs.
      tlp: "CLEAR" as const,
      description: indicator.description ?? null,
      source: indicator.source,
      internalNote: indicator.note ?? null,
    };
  });
  const seenIndicators = new Set<string>();
  for (const indicator of indicators) {
    const key = `${indicator.type}:${indicator.normalizedValue}`;
    if (seenIndicators.has(key)) throw new Error(`Indicator ${key} appears twice in the sourced data.`);
    seenIndicators.add(key);
  }

  const eventIndicators = source.timeline.flatMap((event, index) =>
    indicators
      .filter(
        (indicator) =>
          indicator.normalizedValue.length >= 7 && event.title.includes(indicator.normalizedValue),
      )
      .map((indicator) => ({ eventId: eventIds[index] as string, indicatorId: indicator.id })),
  );

  const organizations: Prisma.AffectedOrganizationCreateManyInput[] = [];
  const moves: Prisma.NotificationMoveCreateManyInput[] = [];
  const eventOrganizations = new Map<string, Prisma.EventOrganizationCreateManyInput>();
  const linkEventToOrganization = (eventId: string, organizationId: string) =>
    eventOrganizations.set(`${eventId}:${organizationId}`, { eventId, organizationId });

  for (const organization of DEMO_ORGANIZATIONS) {
    const id = newId();
    const { notification } = organization;
    const notifiedAt = parseUtcDay(notification.at);
    const notificationEventId = selectEventId(notification.event);
    const notificationEvent = source.timeline.find((event) => matchesSelector(event, notification.event));
    organizations.push({
      id,
      incidentId,
      name: organization.name,
      isNamedPublicly: organization.isNamedPublicly,
      kind: organization.kind,
      sector: organization.sector,
      country: organization.country,
      accountsAffected: organization.accountsAffected,
      mailboxesAffected: null,
      firstKnownAccessAt: organization.firstKnownAccessAt
        ? parseUtcDay(organization.firstKnownAccessAt)
        : null,
      lastKnownAccessAt: organization.lastKnownAccessAt ? parseUtcDay(organization.lastKnownAccessAt) : null,
      determinedAffectedAt: parseUtcDay(organization.determinedAffectedAt),
      notificationState: "notified",
      notificationStateAt: notifiedAt,
      internalNote: organization.internalNote,
    });
    moves.push({
      id: newId(),
      incidentId,
      organizationId: id,
      fromState: "pending",
      toState: "notified",
      at: notifiedAt,
      atPrecision: notification.precision,
      madeBy: notification.madeBy,
      channel: notification.channel,
      // Agency users read their own move notes: quote the event only when it names no other victim.
      note: [
        notification.caveat,
        notification.isEventSpecific
          ? `Timeline: "${notificationEvent?.title}"`
          : `Dated by the timeline's ${notification.at} notification event.`,
      ]
        .filter(Boolean)
        .join(" "),
      evidence: notificationEvent?.source ?? null,
      timelineEventId: notification.isEventSpecific ? notificationEventId : null,
    });
    if (notification.isEventSpecific) linkEventToOrganization(notificationEventId, id);
    if (organization.titlePattern) {
      source.timeline.forEach((event, index) => {
        if (organization.titlePattern?.test(event.title))
          linkEventToOrganization(eventIds[index] as string, id);
      });
    }
  }

  const sourceTitles = new Map(source.sources.map((s) => [s.url, s.title]));
  const figures = Object.entries(source.figures).map(([key, figure]) => ({
    id: newId(),
    incidentId,
    key,
    label: figureLabel(key, figure),
    value: formatFigureValue(key, figure.value),
    qualifier: figure.qualifier ?? null,
    sourceUrl: figure.source,
    sourceDate: sourcePublicationDate(sourceTitles.get(figure.source) ?? ""),
    note: figureNote(figure),
  }));

  return {
    incident: {
      id: incidentId,
      slug,
      name: source.incident.name,
      actor: source.incident.actor,
      publicSummary: composePublicSummary(source),
      timeZone: "UTC",
      notificationDeadlineHours: 72,
      isDemo: true,
    },
    events,
    alternatives,
    eventOrganizations: [...eventOrganizations.values()],
    eventIndicators,
    eventTechniques,
    indicators,
    organizations,
    moves,
    incidentTechniques,
    figures,
  };
}

function matchesSelector(event: SourcedEvent, selector: EventSelector): boolean {
  return event.occurredAt.startsWith(`${selector.date}T`) && event.title.includes(selector.titleIncludes);
}
