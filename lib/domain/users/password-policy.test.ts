import { describe, expect, it } from "vitest";
import { isCommonPassword, passwordProblem } from "./password-policy.ts";
import { generateTemporaryPassword } from "./admin-commands.ts";
import { clientIp, normalizeIp } from "./client-ip.ts";

describe("passwordProblem", () => {
  it.each(["1qaz2wsx3edc", "QWERTY123456", "  leavemealone ", "password1234", "dwell-demo-2023"])(
    "refuses the common password %s, in any case",
    (password) => {
      expect(isCommonPassword(password)).toBe(true);
      expect(passwordProblem(password)).toMatch(/too common/);
    },
  );

  it("uses the 49,000-word list of @zxcvbn-ts/language-common", () => {
    // In that list, not in Dwell's own.
    expect(isCommonPassword("sonyericsson")).toBe(true);
  });

  it("refuses the email, or its name part inside the password", () => {
    expect(passwordProblem("ada.lovelace@example.org", "Ada.Lovelace@example.org")).toBe(
      "must not be the email address",
    );
    expect(passwordProblem("my name is ada.lovelace!", "ada.lovelace@example.org")).toMatch(/name part/);
    expect(passwordProblem("Lovelace engine notes 1843", "ada.lovelace@example.org")).toMatch(/name part/);
    expect(passwordProblem("analytical engine notes 1843", "ada.lovelace@example.org")).toBeNull();
  });

  it("refuses one character repeated, accepts passphrases", () => {
    expect(passwordProblem("aaaaaaaaaaaaaaaa")).toMatch(/repeats/);
    expect(passwordProblem("abababababab")).toMatch(/repeats/);
    expect(passwordProblem("correct horse battery staple")).toBeNull();
  });

  it("generates temporary passwords that pass the rules", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i += 1) {
      const password = generateTemporaryPassword();
      expect(password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){4}$/);
      expect(passwordProblem(password, "someone@example.org")).toBeNull();
      seen.add(password);
    }
    expect(seen.size).toBe(50);
  });
});

describe("clientIp", () => {
  it("takes the first X-Forwarded-For hop, then X-Real-IP", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "203.0.113.9, 10.0.0.1" }))).toBe("203.0.113.9");
    expect(clientIp({ "x-real-ip": "::ffff:198.51.100.4" })).toBe("198.51.100.4");
    expect(clientIp({})).toBe("unknown");
    expect(normalizeIp("[2001:db8:0:0::1]")).toBe("2001:db8::1");
  });
});
