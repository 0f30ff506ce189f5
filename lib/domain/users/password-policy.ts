// What a new password must not be (NIST SP 800-63B style: length over composition rules). Checked on
// the server only: the 49,000-word list stays out of the browser bundle.
import { dictionary } from "@zxcvbn-ts/language-common";

let common: ReadonlySet<string> | undefined;

/** Passwords of the allowed length that top public breach lists, plus the README's demo password. */
const EXTRA_COMMON_PASSWORDS = [
  "000000000000",
  "00000000000000",
  "098765432109",
  "111111111111",
  "123123123123",
  "123456789012",
  "1234567890123",
  "12345678901234",
  "123456789123",
  "1234qwerasdf",
  "1q2w3e4r5t6y",
  "1qaz2wsx3edc",
  "987654321098",
  "abc123456789",
  "abcd12345678",
  "abcdefghijkl",
  "admin1234567",
  "administrator",
  "administrator1",
  "asdfghjkl123",
  "baseball1234",
  "changeme1234",
  "changeme123!",
  "dragon123456",
  "football1234",
  "iloveyou1234",
  "letmein12345",
  "master123456",
  "monkey123456",
  "mypassword123",
  "p@ssw0rd1234",
  "p@ssword1234",
  "passw0rd1234",
  "password1234",
  "password12345",
  "password123456",
  "password1234!",
  "passwordpassword",
  "princess1234",
  "q1w2e3r4t5y6",
  "qazwsxedcrfv",
  "qwerty123456",
  "qwertyqwerty",
  "qwertyuiop12",
  "qwertyuiop123",
  "qwertyuiopas",
  "secret123456",
  "starwars1234",
  "sunshine1234",
  "superman1234",
  "trustno1trustno1",
  "welcome12345",
  "welcome123456",
  "zaq12wsxcde3",
  // The demo accounts' password is printed in the README, so it is as guessable as any of the above.
  "dwell-demo-2023",
];

function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(
    [...dictionary["passwords-common"], ...EXTRA_COMMON_PASSWORDS].map((word) => word.toLowerCase()),
  );
  return common;
}

/** Compared case-insensitively, ignoring surrounding spaces. */
export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.trim().toLowerCase());
}

/** The name part of an email and its longer pieces ("ada.lovelace" → "ada.lovelace", "lovelace"). */
function emailWords(email: string): string[] {
  const local = email.trim().toLowerCase().split("@")[0] ?? "";
  const pieces = local.split(/[^a-z0-9]+/).filter((piece) => piece.length >= 4);
  return [...new Set([local, ...pieces])].filter((word) => word.length >= 3);
}

/**
 * Why a password of the allowed length may not be used, as a message under the password field, or
 * null. Length is checked by the schema.
 */
export function passwordProblem(password: string, email?: string | null): string | null {
  const lowered = password.trim().toLowerCase();
  if (isCommonPassword(password)) return "is too common or publicly known; choose another";
  if (new Set(lowered).size < 4)
    return "repeats too few characters; choose a longer mix, such as a passphrase";
  if (email) {
    const address = email.trim().toLowerCase();
    if (lowered === address) return "must not be the email address";
    const word = emailWords(address).find((w) => lowered.includes(w));
    if (word) return "must not contain the name part of the email address";
  }
  return null;
}
