// Token limits and choices, shared by the schema and the settings page (kept free of imports so the
// client bundle stays small).
export const TOKEN_NAME_MAX_LENGTH = 100;
/** The furthest a token may be set to expire: a year and a day ahead. */
export const TOKEN_MAX_LIFETIME_DAYS = 366;
/** What the settings page offers; the API takes any instant within the limits. */
export const TOKEN_EXPIRY_CHOICES = [
  { days: 7, label: "7 days" },
  { days: 30, label: "30 days" },
  { days: 90, label: "90 days" },
  { days: 365, label: "1 year" },
] as const;
