// Reads indicator candidates from a STIX 2.1 bundle (JSON text). Each `indicator` object with a
// `stix` pattern gives one candidate per `=` / `IN` comparison of its pattern; other objects are
// skipped (marking definitions are read for TLP). `line` is the line where the object starts.
//
// Properties read from an indicator:
//   pattern → type + value (see stix-pattern.ts)      valid_from → firstSeen (unless Dwell's
//   x_dwell_first_seen_unknown is true: valid_from then only satisfies the spec)
//   x_dwell_last_seen (Dwell's custom property, an RFC 3339 timestamp) → lastSeen
//   description → description; without one, `name` when it is not just the value itself
//   confidence (0–100) → confidence
//   external_references: source_name "mitre-attack" with a T-id external_id → techniqueIds;
//     the first other reference's url (or else its source_name) → source
//   object_marking_refs: official TLP 2.0 / 1.0 ids, or a marking definition of the bundle using the
//     TLP 2.0 extension or TLP 1.0 `definition_type: "tlp"` → tlp (the most restrictive one)
import { isConfidence, isTechniqueId, parseDateText, tlpRank } from "./fields.ts";
import { arrayElementOffsets, findJsonSyntaxError, linesOfOffsets } from "./json-text.ts";
import { InterchangeFileError, type ImportCandidate, type ImportItem, type TlpKey } from "./records.ts";
import { patternToIndicators, StixPatternError, type PatternIndicator } from "./stix-pattern.ts";
import { OFFICIAL_TLP_MARKINGS, tlpOfMarkingDefinition } from "./stix-tlp.ts";

const BUNDLE_ID = /^bundle--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const found = (value: unknown): string =>
  value === undefined ? "none" : typeof value === "string" ? value : JSON.stringify(value);

const jsonKind = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    if (text.trim() === "") {
      throw new InterchangeFileError(
        'The file is empty: a STIX 2.1 bundle is a JSON object with type "bundle"',
      );
    }
    const syntax = findJsonSyntaxError(text);
    if (syntax) {
      const [line] = linesOfOffsets(text, [syntax.offset]);
      throw new InterchangeFileError(`The file is not valid JSON: ${syntax.reason} on line ${line}`);
    }
    const message = err instanceof Error ? err.message : String(err);
    throw new InterchangeFileError(`The file is not valid JSON: ${message.slice(0, 200)}`);
  }
}

/** The bundle's `objects`, after checking that the JSON is a STIX 2.1 bundle. */
function bundleObjects(data: unknown): unknown[] {
  if (!isRecord(data)) {
    throw new InterchangeFileError(
      `This is not a STIX bundle: the file holds ${jsonKind(data)}, not an object with "type": "bundle"`,
      "type",
    );
  }
  if (data.type !== "bundle") {
    throw new InterchangeFileError(
      `This is not a STIX bundle: "type" is ${found(data.type)} (expected "bundle")`,
      "type",
    );
  }
  if (data.spec_version !== undefined && data.spec_version !== "2.1") {
    throw new InterchangeFileError(
      `The bundle is STIX ${found(data.spec_version)}: only STIX 2.1 bundles can be imported`,
      "spec_version",
    );
  }
  if (typeof data.id !== "string" || !BUNDLE_ID.test(data.id)) {
    throw new InterchangeFileError(
      `The bundle id must be "bundle--" followed by a UUID (found ${found(data.id)})`,
      "id",
    );
  }
  if (!Array.isArray(data.objects)) {
    throw new InterchangeFileError('The bundle has no "objects" array', "objects");
  }
  return data.objects;
}

function readTimestamp(
  object: Record<string, unknown>,
  property: string,
  problems: string[],
): Date | undefined {
  const value = object[property];
  if (value === undefined || value === null) return undefined;
  const date = typeof value === "string" ? parseDateText(value) : null;
  if (!date) problems.push(`${property} ${found(value)} is not a timestamp`);
  return date ?? undefined;
}

interface References {
  source?: string;
  techniqueIds: string[];
}

function readReferences(value: unknown): References {
  const out: References = { techniqueIds: [] };
  if (!Array.isArray(value)) return out;
  for (const ref of value) {
    if (!isRecord(ref)) continue;
    const name = typeof ref.source_name === "string" ? ref.source_name.trim() : "";
    if (name.toLowerCase() === "mitre-attack") {
      const id = typeof ref.external_id === "string" ? ref.external_id.trim().toUpperCase() : "";
      if (isTechniqueId(id) && !out.techniqueIds.includes(id)) out.techniqueIds.push(id);
      continue;
    }
    if (out.source === undefined) {
      const url = typeof ref.url === "string" ? ref.url.trim() : "";
      if (url || name) out.source = url || name;
    }
  }
  return out;
}

function readTlp(value: unknown, bundleMarkings: ReadonlyMap<string, TlpKey>): TlpKey | undefined {
  if (!Array.isArray(value)) return undefined;
  let tlp: TlpKey | undefined;
  for (const ref of value) {
    if (typeof ref !== "string") continue;
    const key = OFFICIAL_TLP_MARKINGS.get(ref) ?? bundleMarkings.get(ref);
    if (key && (tlp === undefined || tlpRank(key) > tlpRank(tlp))) tlp = key;
  }
  return tlp;
}

function readIndicator(
  object: Record<string, unknown>,
  line: number,
  bundleMarkings: ReadonlyMap<string, TlpKey>,
): ImportItem[] {
  const pattern = typeof object.pattern === "string" ? object.pattern : null;
  const shown = pattern ?? (typeof object.id === "string" ? object.id : "");
  const problem = (message: string): ImportItem[] => [
    { ok: false, problem: { line, value: shown, message } },
  ];

  if (object.spec_version !== "2.1")
    return problem(`spec_version must be 2.1 (found ${found(object.spec_version)})`);
  if (object.revoked === true) return problem("the indicator is revoked");
  if (object.pattern_type !== "stix") {
    return problem(
      `pattern_type ${found(object.pattern_type)} is not supported: only stix patterns can be read`,
    );
  }
  if (pattern === null) return problem("the indicator has no pattern");

  let indicators: PatternIndicator[];
  try {
    indicators = patternToIndicators(pattern);
  } catch (err) {
    if (err instanceof StixPatternError) return problem(err.message);
    throw err;
  }

  const problems: string[] = [];
  const validFrom = readTimestamp(object, "valid_from", problems);
  const firstSeen = object.x_dwell_first_seen_unknown === true ? undefined : validFrom;
  const lastSeen = readTimestamp(object, "x_dwell_last_seen", problems);
  const confidence = object.confidence;
  if (confidence !== undefined && confidence !== null && !isConfidence(confidence)) {
    problems.push(`confidence ${found(confidence)} must be a whole number from 0 to 100`);
  }
  if (problems.length) return problem(problems.join("; "));

  const description =
    typeof object.description === "string" && object.description.trim() !== ""
      ? object.description
      : undefined;
  const name = typeof object.name === "string" && object.name.trim() !== "" ? object.name : undefined;
  const { source, techniqueIds } = readReferences(object.external_references);
  const tlp = readTlp(object.object_marking_refs, bundleMarkings);

  return indicators.map(({ type, value }) => {
    const candidate: ImportCandidate = { line, value, type };
    if (firstSeen) candidate.firstSeen = firstSeen;
    if (lastSeen) candidate.lastSeen = lastSeen;
    const text = description ?? (name !== undefined && name !== value ? name : undefined);
    if (text !== undefined) candidate.description = text;
    if (tlp) candidate.tlp = tlp;
    if (isConfidence(confidence)) candidate.confidence = confidence;
    if (source !== undefined) candidate.source = source;
    if (techniqueIds.length) candidate.techniqueIds = [...techniqueIds];
    return { ok: true, candidate } satisfies ImportItem;
  });
}

/**
 * The candidates of a STIX 2.1 bundle, in object order. Throws InterchangeFileError when the text is
 * not JSON (with the line of the error), not a bundle, or a bundle of another STIX version.
 */
export function readStixBundle(text: string): ImportItem[] {
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const objects = bundleObjects(parseJson(json));
  const offsets = arrayElementOffsets(json, "objects");
  const lines = offsets.length === objects.length ? linesOfOffsets(json, offsets) : [];

  const bundleMarkings = new Map<string, TlpKey>();
  for (const object of objects) {
    if (!isRecord(object) || object.type !== "marking-definition" || typeof object.id !== "string") continue;
    const tlp = tlpOfMarkingDefinition(object);
    if (tlp) bundleMarkings.set(object.id, tlp);
  }

  const items: ImportItem[] = [];
  objects.forEach((object, index) => {
    const line = lines[index] ?? 1;
    if (!isRecord(object)) {
      items.push({
        ok: false,
        problem: { line, value: "", message: `objects[${index}] is ${jsonKind(object)}, not a STIX object` },
      });
      return;
    }
    if (object.type !== "indicator") return;
    items.push(...readIndicator(object, line, bundleMarkings));
  });
  return items;
}
