import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./render.ts";

describe("renderMarkdown", () => {
  it("renders ordinary formatting", () => {
    expect(renderMarkdown("**Forged** tokens, see [CSRB](https://www.cisa.gov/x)")).toBe(
      '<p><strong>Forged</strong> tokens, see <a href="https://www.cisa.gov/x" rel="noopener noreferrer nofollow" target="_blank">CSRB</a></p>\n',
    );
  });

  it.each([
    ["<script>alert(1)</script>", "<script"],
    ['<img src=x onerror="alert(1)">', "<img"],
    ["[click](javascript:alert(1))", "javascript:"],
    ['<a href="java\tscript:alert(1)">x</a>', "script:"],
    ['<div onclick="alert(1)">x</div>', "onclick="],
    ['<iframe src="https://evil.example"></iframe>', "<iframe"],
    ['<svg><script>alert(1)</script></svg>', "<svg"],
    ['<p style="background:url(javascript:alert(1))">x</p>', "style="],
    ["[x](data:text/html;base64,PHNjcmlwdD4=)", "data:"],
  ])("renders %s inert", (input, forbidden) => {
    const html = renderMarkdown(input);
    expect(html).not.toContain(forbidden);
  });

  it("keeps the text of escaped markup visible", () => {
    expect(renderMarkdown("<script>alert(1)</script>")).toContain("&lt;script&gt;");
  });
});

describe("renderMarkdown's cache", () => {
  it("answers a repeated source with the same sanitized HTML", () => {
    const source = "**again** <script>alert(3)</script>";
    const first = renderMarkdown(source);
    expect(renderMarkdown(source)).toBe(first);
    expect(first).not.toContain("<script");
    expect(first).toContain("<strong>again</strong>");
  });
});
