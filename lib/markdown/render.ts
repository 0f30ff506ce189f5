// Markdown from responders, rendered to HTML that is safe to insert: `marked` parses, `sanitize-html`
// keeps only an allowlist of formatting elements. Scripts, event handlers, styles, iframes, images and
// non-http(s) links never survive.
import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

const markdown = new Marked({ gfm: true, breaks: true, async: false });

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "a", "table", "thead", "tbody", "tr", "th", "td",
  ],
  allowedAttributes: { a: ["href", "title"], th: ["align"], td: ["align"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowProtocolRelative: false,
  disallowedTagsMode: "escape",
  transformTags: {
    // Links leave Dwell without telling the other site where they came from.
    a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer nofollow", target: "_blank" }, true),
  },
};

// `rel` and `target` are set by the transform above, not by the author.
SANITIZE_OPTIONS.allowedAttributes = { ...SANITIZE_OPTIONS.allowedAttributes, a: ["href", "title", "rel", "target"] };

// Timeline pages are read far more often than written: the same descriptions are rendered again on
// every read. A bounded cache keyed by the source text keeps that off the hot path; the output is a
// pure function of the input, so a cached answer is always the right one.
const CACHE_LIMIT = 5_000;
const MAX_CACHED_SOURCE = 20_000;
const cache = new Map<string, string>();

export function renderMarkdown(source: string): string {
  const cached = cache.get(source);
  if (cached !== undefined) return cached;
  const html = sanitizeHtml(markdown.parse(source) as string, SANITIZE_OPTIONS);
  if (source.length <= MAX_CACHED_SOURCE) {
    if (cache.size >= CACHE_LIMIT) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    cache.set(source, html);
  }
  return html;
}
