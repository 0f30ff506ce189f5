// User words and password limits, small enough for client components (the common-password lists are not).
export const ROLES = ["admin", "responder", "executive", "agency"] as const;
export type UserRole = (typeof ROLES)[number];

export const ROLE_LABELS: Record<UserRole, string> = {
  admin: "Admin",
  responder: "Responder",
  executive: "Executive",
  agency: "Agency user",
};

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/** The rules as the forms state them; the server checks them (lib/domain/users/password-policy.ts). */
export const PASSWORD_RULES = `At least ${PASSWORD_MIN_LENGTH} characters. Not a commonly used password, not mostly one repeated character, and not your email's name part. Long passphrases are welcome.`;
