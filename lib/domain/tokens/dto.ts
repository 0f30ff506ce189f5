// What the API and the settings page show of a token: never its secret or hash.
export type ApiTokenStatus = "active" | "expired" | "revoked";

export interface ApiTokenDto {
  id: string;
  name: string;
  /** The first characters of the secret (`dwell_` and 6 more), to recognise it. */
  prefix: string;
  readOnly: boolean;
  status: ApiTokenStatus;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** The answer to a creation: the token and, this once, its secret. */
export interface CreatedApiTokenDto extends ApiTokenDto {
  secret: string;
}

export interface ApiTokenRow {
  id: string;
  name: string;
  prefix: string;
  readOnly: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export const API_TOKEN_SELECT = {
  id: true,
  name: true,
  prefix: true,
  readOnly: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
} as const;

export function tokenStatus(
  row: Pick<ApiTokenRow, "expiresAt" | "revokedAt">,
  now = new Date(),
): ApiTokenStatus {
  if (row.revokedAt) return "revoked";
  if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return "expired";
  return "active";
}

export function toApiTokenDto(row: ApiTokenRow, now = new Date()): ApiTokenDto {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    readOnly: row.readOnly,
    status: tokenStatus(row, now),
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
