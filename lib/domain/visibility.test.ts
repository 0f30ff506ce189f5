// The agency visibility rule for a record already loaded (links shown inside another record).
import { describe, expect, it } from "vitest";
import { isVisibleToAgency } from "./visibility.ts";

const OWN = "own-org";
const OTHER = "other-org";

describe("isVisibleToAgency", () => {
  it.each([
    ["CLEAR", [], true],
    ["GREEN", [], true],
    ["GREEN", [OWN], true],
    ["AMBER", [], false],
    ["AMBER", [OWN], true],
    ["AMBER_STRICT", [OWN], true],
    ["AMBER_STRICT", [], false],
    ["RED", [OWN], false],
    ["RED", [], false],
    // Linked to another organization: hidden whatever its TLP (README Decision 11).
    ["CLEAR", [OTHER], false],
    ["AMBER", [OWN, OTHER], false],
  ] as const)("%s linked to %j → %s", (tlp, organizationIds, visible) => {
    expect(isVisibleToAgency({ tlp, organizationIds }, OWN)).toBe(visible);
  });
});
