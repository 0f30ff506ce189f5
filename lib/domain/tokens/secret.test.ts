import { describe, expect, it } from "vitest";
import { displayPrefixOf, generateTokenSecret, hashTokenSecret, isWellFormedTokenSecret } from "./secret.ts";

describe("API token secrets", () => {
  it("are dwell_ and 43 base64url characters, different every time", () => {
    const secrets = new Set(Array.from({ length: 200 }, () => generateTokenSecret()));
    expect(secrets.size).toBe(200);
    for (const secret of secrets) {
      expect(secret).toMatch(/^dwell_[A-Za-z0-9_-]{43}$/);
      expect(isWellFormedTokenSecret(secret)).toBe(true);
    }
  });

  it("refuses anything else as malformed", () => {
    const good = generateTokenSecret();
    const bad = [
      "",
      "dwell_",
      good.slice(0, -1),
      `${good}x`,
      good.replace("dwell_", "dwel_"),
      `${good.slice(0, -1)}=`,
      ` ${good}`,
    ];
    for (const value of bad) {
      expect(isWellFormedTokenSecret(value), value).toBe(false);
    }
  });

  it("hash to hex SHA-256 and show a short prefix", () => {
    expect(hashTokenSecret("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(hashTokenSecret("dwell_abc")).not.toBe(hashTokenSecret("dwell_abd"));
    const secret = generateTokenSecret();
    expect(displayPrefixOf(secret)).toBe(secret.slice(0, 12));
  });
});
