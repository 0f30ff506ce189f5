// Text rules shared by every write schema: trimmed, length-limited, no control characters or broken
// Unicode (multi-line text keeps \n and \t), and messages that name the field.
import { z } from "zod";

/** "is required" when the key is missing, else what the value should have been. */
export const typeError = (field: string, expected: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `${field} is required` : `${field} must be ${expected}`;

// NUL breaks Postgres text; other C0 and C1 controls, and unpaired surrogates, are never typed by
// a person and are how hidden or spoofed text gets in. Multi-line fields keep \n and \t.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_EXCEPT_NEWLINE_TAB = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /\p{Cs}/u;

export function controlProblem(field: string, value: string, multiLine: boolean): string | null {
  if ((multiLine ? CONTROL_EXCEPT_NEWLINE_TAB : CONTROL).test(value)) {
    return multiLine
      ? `${field} must not contain control characters (other than line breaks and tabs)`
      : `${field} must not contain control characters`;
  }
  if (LONE_SURROGATE.test(value)) return `${field} contains broken Unicode (an unpaired surrogate)`;
  return null;
}

/** A one-line required text, trimmed. */
export function requiredLine(field: string, max: number) {
  return z
    .string({ error: typeError(field, "text") })
    .trim()
    .min(1, `${field} is required`)
    .max(max, `${field} must be at most ${max} characters`)
    .superRefine((value, ctx) => {
      const problem = controlProblem(field, value, false);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });
}

/**
 * Optional multi-line text (markdown or a note): line endings become \n, the ends are trimmed, and
 * an empty text means "none" (null), so a cleared form field clears the value.
 */
export function optionalText(field: string, max: number) {
  return z
    .string({ error: typeError(field, "text or null") })
    .overwrite((value) => value.replace(/\r\n?/g, "\n"))
    .trim()
    .max(max, `${field} must be at most ${max} characters`)
    .superRefine((value, ctx) => {
      const problem = controlProblem(field, value, true);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .nullable()
    .optional()
    .transform((value) => (value === "" ? null : value));
}
