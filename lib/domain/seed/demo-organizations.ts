// The demo incident's affected organizations: the CSRB's 22 enterprise victims (four named or located,
// eighteen honestly unnamed placeholders) plus the group of personal-account holders, each with the
// notification the sources date.

export type OrganizationKind =
  "government" | "private_sector" | "education" | "think_tank" | "individuals_group" | "undisclosed";

/** Picks one timeline event of the sourced data: its day and a phrase of its title. */
export interface EventSelector {
  date: string;
  titleIncludes: string;
}

export interface DemoNotification {
  /** The day it happened, as published (YYYY-MM-DD). */
  at: string;
  /** `approximate` where only the start of a notification campaign is published, not this organization's day. */
  precision: "day" | "approximate";
  madeBy: "Microsoft" | "FBI";
  channel: "government_partner" | "other";
  /** What was not published about this move; the seed adds the quoted event title. */
  caveat?: string;
  event: EventSelector;
  /** Only an event about this organization alone may carry its move (one move per event). */
  isEventSpecific: boolean;
}

export interface DemoOrganization {
  name: string;
  isNamedPublicly: boolean;
  kind: OrganizationKind;
  sector: string | null;
  country: string | null;
  accountsAffected: number | null;
  firstKnownAccessAt: string | null;
  lastKnownAccessAt: string | null;
  determinedAffectedAt: string;
  internalNote: string;
  /** Timeline titles that name this organization. */
  titlePattern?: RegExp;
  notification: DemoNotification;
}

export const STATE_NAME = "U.S. Department of State";
export const COMMERCE_NAME = "U.S. Department of Commerce";
export const HOUSE_NAME = "U.S. House of Representatives";
export const UK_ORGANIZATION_NAME = "U.K. organization (name not published)";
export const INDIVIDUALS_NAME = "Holders of related personal accounts";

const DETERMINATION_NOT_PUBLISHED =
  "The date it was determined to be affected was not published; its notification date stands in for it.";

const NOTIFIED_JUNE_28: EventSelector = {
  date: "2023-06-28",
  titleIncludes: "nation-state notifications to the State Department and the House",
};

const CUSTOMER_NOTIFICATIONS_BEGIN: DemoNotification = {
  at: "2023-07-04",
  precision: "approximate",
  madeBy: "Microsoft",
  channel: "other",
  caveat:
    "Microsoft began notifying affected customers on 4 July 2023 (CSRB); the date for this organization was not published.",
  event: { date: "2023-07-04", titleIncludes: "Microsoft starts notifying affected customers" },
  isEventSpecific: false,
};

function undisclosedOrganization(
  name: string,
  kind: OrganizationKind,
  internalNote: string,
): DemoOrganization {
  return {
    name,
    isNamedPublicly: false,
    kind,
    sector: null,
    country: null,
    accountsAffected: null,
    firstKnownAccessAt: null,
    lastKnownAccessAt: null,
    determinedAffectedAt: CUSTOMER_NOTIFICATIONS_BEGIN.at,
    internalNote: `${internalNote} ${DETERMINATION_NOT_PUBLISHED}`,
    notification: CUSTOMER_NOTIFICATIONS_BEGIN,
  };
}

function numbered(count: number, make: (n: number) => DemoOrganization): DemoOrganization[] {
  return Array.from({ length: count }, (_, index) => make(index + 1));
}

export const DEMO_ORGANIZATIONS: readonly DemoOrganization[] = [
  {
    name: STATE_NAME,
    isNamedPublicly: true,
    kind: "government",
    sector: "Foreign affairs",
    country: "US",
    // The published counts disagree (see the note), so no single number is claimed.
    accountsAffected: null,
    firstKnownAccessAt: "2023-06-13",
    lastKnownAccessAt: "2023-06-24",
    determinedAffectedAt: "2023-06-16",
    internalNote: [
      "Accounts affected: the published counts disagree. CSRB: six State accounts confirmed by 19 June 2023, six others accessed 21–24 June, and one more found from a seized VPS; Reuters (a Senate staffer, 27 September 2023): 10 accounts, all but one working on East Asia and the Pacific.",
      "About 60,000 emails were downloaded (CSRB; State confirmed on 28 September 2023).",
      "Individuals named publicly: U.S. Ambassador to the PRC R. Nicholas Burns and Assistant Secretary of State Daniel Kritenbrink (CSRB).",
      "Known access: State reported a 13–20 June 2023 window to the FBI; the CSRB dates access to six other accounts 21–24 June.",
      "Determined affected on 16 June 2023, when State reported the activity to Microsoft.",
    ].join(" "),
    titlePattern: /\bState\b/,
    notification: {
      at: "2023-06-28",
      precision: "day",
      madeBy: "Microsoft",
      channel: "other",
      event: NOTIFIED_JUNE_28,
      isEventSpecific: false,
    },
  },
  {
    name: COMMERCE_NAME,
    isNamedPublicly: true,
    kind: "government",
    sector: "Commerce and trade",
    country: "US",
    accountsAffected: null,
    firstKnownAccessAt: "2023-06-06",
    lastKnownAccessAt: null,
    determinedAffectedAt: "2023-06-23",
    internalNote: [
      "Publicly named victims include Secretary Gina Raimondo (CSRB).",
      "The CSRB dates access to 6 June 2023; Microsoft's initial reports had given 21 June 2023. Commerce found the access only after Microsoft gave it more audit logs.",
      DETERMINATION_NOT_PUBLISHED,
    ].join(" "),
    titlePattern: /\bCommerce\b/,
    notification: {
      at: "2023-06-23",
      precision: "day",
      madeBy: "Microsoft",
      channel: "other",
      event: { date: "2023-06-23", titleIncludes: "Microsoft notifies the Commerce Department" },
      isEventSpecific: true,
    },
  },
  {
    name: HOUSE_NAME,
    isNamedPublicly: true,
    kind: "government",
    sector: "Legislature",
    country: "US",
    accountsAffected: null,
    firstKnownAccessAt: null,
    lastKnownAccessAt: null,
    determinedAffectedAt: "2023-06-28",
    internalNote: [
      "Named publicly through Rep. Don Bacon: the FBI told him on 14 August 2023 that his personal and campaign email was accessed between 15 May and 16 June 2023 (TechCrunch). Those are personal and campaign accounts, not House mailboxes; what was accessed at the House itself was not published.",
      DETERMINATION_NOT_PUBLISHED,
    ].join(" "),
    titlePattern: /House of Representatives|Rep\. Don Bacon/,
    notification: {
      at: "2023-06-28",
      precision: "day",
      madeBy: "Microsoft",
      channel: "other",
      event: NOTIFIED_JUNE_28,
      isEventSpecific: false,
    },
  },
  {
    name: UK_ORGANIZATION_NAME,
    isNamedPublicly: false,
    kind: "undisclosed",
    sector: null,
    country: "GB",
    accountsAffected: null,
    firstKnownAccessAt: null,
    lastKnownAccessAt: null,
    determinedAffectedAt: "2023-06-19",
    internalNote: [
      "The CSRB says Microsoft told a U.K. organization around 19 June 2023 that it was a victim; its name and kind were not published. Presumably one of the CSRB's 11 non-U.S. enterprise victims.",
      DETERMINATION_NOT_PUBLISHED,
    ].join(" "),
    titlePattern: /U\.K\. organization/,
    notification: {
      at: "2023-06-19",
      precision: "day",
      madeBy: "Microsoft",
      channel: "other",
      event: { date: "2023-06-19", titleIncludes: "Microsoft tells a U.K. organization" },
      isEventSpecific: true,
    },
  },
  ...numbered(3, (n) =>
    undisclosedOrganization(
      `Undisclosed think tank ${n}`,
      "think_tank",
      "The CSRB counts three think tanks among the 22 enterprise victims; their names and countries were not published.",
    ),
  ),
  ...numbered(10, (n) =>
    undisclosedOrganization(
      `Undisclosed non-U.S. organization ${n}`,
      "undisclosed",
      "The CSRB counts 11 non-U.S. enterprise victims — 4 foreign government entities, 3 private-sector organizations and 4 educational entities — one of them presumably the U.K. organization; which is which was not published.",
    ),
  ),
  ...numbered(5, (n) =>
    undisclosedOrganization(
      `Undisclosed enterprise organization ${n}`,
      "undisclosed",
      "Stands for one of the CSRB's 22 enterprise victims not otherwise accounted for; nothing else about it was published.",
    ),
  ),
  {
    name: INDIVIDUALS_NAME,
    isNamedPublicly: false,
    kind: "individuals_group",
    sector: null,
    country: null,
    accountsAffected: 503,
    firstKnownAccessAt: null,
    lastKnownAccessAt: null,
    determinedAffectedAt: "2023-08-02",
    internalNote: [
      "503 related personal accounts worldwide ('over 500 individuals'), at least 391 of them in the U.S. (CSRB).",
      "The FBI had identified the owners of nearly all affected accounts by 25 July 2023 and issued leads to notify individuals on 2 August 2023 (CSRB); when each person was told was not published.",
      DETERMINATION_NOT_PUBLISHED,
    ].join(" "),
    notification: {
      at: "2023-08-02",
      precision: "day",
      madeBy: "FBI",
      channel: "government_partner",
      event: { date: "2023-08-02", titleIncludes: "FBI issues leads to notify individuals" },
      isEventSpecific: true,
    },
  },
];
