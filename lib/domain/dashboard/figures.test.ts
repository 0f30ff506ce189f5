import { describe, expect, it } from "vitest";
import { dateFromAddress, groupSourcedFigures, sourceName, type SourcedFigureRow } from "./figures.ts";

const CSRB =
  "https://www.cisa.gov/resources-tools/resources/cyber-safety-review-board-releases-report-microsoft-online-exchange-incident-summer-2023";
const MS = "https://www.microsoft.com/en-us/security/blog/2023/07/14/analysis-of-storm-0558-techniques/";

const row = (
  key: string,
  value: string,
  sourceUrl: string,
  extra: Partial<SourcedFigureRow> = {},
): SourcedFigureRow => ({
  key,
  label: key,
  value,
  qualifier: null,
  sourceUrl,
  sourceDate: null,
  note: null,
  ...extra,
});

describe("sourced figures", () => {
  it("names sources and reads a date from a dated address", () => {
    expect(sourceName(CSRB)).toBe("CSRB");
    expect(sourceName(MS)).toBe("Microsoft");
    expect(sourceName("https://msrc.microsoft.com/blog/2023/09/x/")).toBe("Microsoft (MSRC)");
    expect(sourceName("https://example.org/a")).toBe("example.org");
    expect(dateFromAddress(MS)).toBe("2023-07-14");
    expect(dateFromAddress("https://msrc.microsoft.com/blog/2023/09/results/")).toBe("2023-09");
    expect(dateFromAddress(CSRB)).toBeNull();
  });

  it("puts figures of one quantity side by side, flags disagreement, headline groups first", () => {
    const groups = groupSourcedFigures([
      row("thinkTanks_csrb", "3", CSRB),
      row("enterpriseOrganizations_csrb", "22", CSRB),
      row("organizationsAffected_microsoft", "25", MS, { qualifier: "approximately" }),
      row("stateDeptAccounts_csrb", "6", CSRB),
      row("stateDeptAccounts_reuters", "10", "https://www.channelnewsasia.com/x"),
    ]);
    expect(groups.map((g) => g.key)).toEqual(["organizations", "stateDeptAccounts", "thinkTanks"]);
    const organizations = groups[0]!;
    expect(organizations.disagree).toBe(true);
    expect(organizations.figures.map((f) => `${f.display} ${f.source.name} ${f.sourceDate ?? "-"}`)).toEqual([
      "22 CSRB -",
      "≈ 25 Microsoft 2023-07-14",
    ]);
    expect(groups[2]?.disagree).toBe(false);
  });

  it("prefers a recorded source date to one read from the address", () => {
    const [group] = groupSourcedFigures([
      row("x_y", "1", MS, { sourceDate: new Date("2023-07-15T00:00:00Z") }),
    ]);
    expect(group?.figures[0]).toMatchObject({ sourceDate: "2023-07-15", sourceDateBasis: "recorded" });
  });
});
