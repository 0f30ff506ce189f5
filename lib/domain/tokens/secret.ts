// API token secrets: 32 random bytes, base64url, behind a fixed `dwell_` prefix so secret scanners
// (and people) recognise a leaked one. Only the SHA-256 of the secret is stored; a presented secret is
// found by hashing it and looking the hash up, so no secret is ever compared character by character.
import { createHash, randomBytes } from "node:crypto";

export const TOKEN_SECRET_PREFIX = "dwell_";
const SECRET_BYTES = 32;
/** `dwell_` and the 43 characters of 32 bytes in unpadded base64url. */
const SECRET_PATTERN = /^dwell_[A-Za-z0-9_-]{43}$/;
/** How much of the secret the list shows to tell tokens apart (6 of its 43 random characters). */
const DISPLAY_PREFIX_LENGTH = TOKEN_SECRET_PREFIX.length + 6;

export function generateTokenSecret(): string {
  return `${TOKEN_SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString("base64url")}`;
}

export function isWellFormedTokenSecret(value: string): boolean {
  return SECRET_PATTERN.test(value);
}

/** Hex SHA-256: the secret has 256 random bits, so a fast hash is enough (no password stretching). */
export function hashTokenSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

export function displayPrefixOf(secret: string): string {
  return secret.slice(0, DISPLAY_PREFIX_LENGTH);
}
