// Writes indicators as one STIX 2.1 bundle, chunk by chunk: one indicator object per line, then the
// official TLP 2.0 marking definitions the indicators used (each once), so memory stays flat however
// many indicators are written.
//
// Ids are UUIDv5 in Dwell's namespace, so exporting the same data again gives the same ids:
//   indicator--uuidv5(`${incidentId}|${type}|${normalized}`)
//   bundle--uuidv5(`${incidentId}|${generatedAt ISO}`)
// Each indicator carries: name (the value), description, pattern (stix-pattern.ts), valid_from
// (firstSeen, else createdAt with x_dwell_first_seen_unknown: true), x_dwell_last_seen (lastSeen, a Dwell custom property), confidence,
// the TLP 2.0 marking, and external_references: the source first (url + host when it is a URL,
// else source_name), then one "mitre-attack" reference per technique.
import { v5 as uuidv5 } from "uuid";
import type { ExportIndicator, TlpKey } from "./records.ts";
import { indicatorToPattern } from "./stix-pattern.ts";
import { TLP2_MARKING_IDS, tlp2MarkingDefinition } from "./stix-tlp.ts";

/** Namespace of Dwell's deterministic STIX ids (UUIDv5). Never change it: ids would change too. */
export const DWELL_STIX_NAMESPACE = "9602088a-51d9-4cd3-be30-8e9dd9e9f794";

export const stixIndicatorId = (incidentId: string, type: string, normalized: string): string =>
  `indicator--${uuidv5(`${incidentId}|${type}|${normalized}`, DWELL_STIX_NAMESPACE)}`;

export const stixBundleId = (incidentId: string, generatedAt: Date): string =>
  `bundle--${uuidv5(`${incidentId}|${generatedAt.toISOString()}`, DWELL_STIX_NAMESPACE)}`;

const attackUrl = (id: string) => `https://attack.mitre.org/techniques/${id.replace(".", "/")}/`;

function sourceReference(source: string): Record<string, string> {
  if (/^https?:\/\//i.test(source)) {
    try {
      return { source_name: new URL(source).hostname || source, url: source };
    } catch {
      // not a URL after all: keep it as a name
    }
  }
  return { source_name: source };
}

function indicatorObject(indicator: ExportIndicator, incidentId: string): Record<string, unknown> {
  const created = indicator.createdAt.toISOString();
  const modified = indicator.updatedAt < indicator.createdAt ? created : indicator.updatedAt.toISOString();
  const object: Record<string, unknown> = {
    type: "indicator",
    spec_version: "2.1",
    id: stixIndicatorId(incidentId, indicator.type, indicator.normalized),
    created,
    modified,
    name: indicator.value,
  };
  if (indicator.description) object.description = indicator.description;
  object.pattern = indicatorToPattern(indicator.type, indicator.value);
  object.pattern_type = "stix";
  object.pattern_version = "2.1";
  object.valid_from = (indicator.firstSeen ?? indicator.createdAt).toISOString();
  // valid_from is required, so an unknown first sighting is said explicitly for a faithful re-import.
  if (!indicator.firstSeen) object.x_dwell_first_seen_unknown = true;
  if (indicator.lastSeen) object.x_dwell_last_seen = indicator.lastSeen.toISOString();
  if (indicator.confidence !== null) object.confidence = indicator.confidence;
  object.object_marking_refs = [TLP2_MARKING_IDS[indicator.tlp]];
  const references: Record<string, string>[] = [];
  if (indicator.source) references.push(sourceReference(indicator.source));
  for (const id of indicator.techniqueIds) {
    references.push({ source_name: "mitre-attack", external_id: id, url: attackUrl(id) });
  }
  if (references.length) object.external_references = references;
  return object;
}

/** Produces the bundle's text pieces: the opening, one piece per indicator, the markings and the end. */
class BundleChunker {
  private readonly used = new Set<TlpKey>();
  private first = true;

  constructor(private readonly options: { incidentId: string; generatedAt: Date }) {}

  private object(json: string): string {
    const text = `${this.first ? "\n" : ",\n"}${json}`;
    this.first = false;
    return text;
  }

  open(): string {
    const id = stixBundleId(this.options.incidentId, this.options.generatedAt);
    return `{"type":"bundle","id":${JSON.stringify(id)},"objects":[`;
  }

  add(indicator: ExportIndicator): string {
    this.used.add(indicator.tlp);
    return this.object(JSON.stringify(indicatorObject(indicator, this.options.incidentId)));
  }

  close(): string {
    let text = "";
    for (const key of Object.keys(TLP2_MARKING_IDS) as TlpKey[]) {
      if (this.used.has(key)) text += this.object(JSON.stringify(tlp2MarkingDefinition(key)));
    }
    return `${text}\n]}\n`;
  }
}

function* bundleChunks(
  indicators: Iterable<ExportIndicator>,
  options: { incidentId: string; generatedAt: Date },
): Generator<string> {
  const chunker = new BundleChunker(options);
  yield chunker.open();
  for (const indicator of indicators) yield chunker.add(indicator);
  yield chunker.close();
}

async function* bundleChunksAsync(
  indicators: AsyncIterable<ExportIndicator>,
  options: { incidentId: string; generatedAt: Date },
): AsyncGenerator<string> {
  const chunker = new BundleChunker(options);
  yield chunker.open();
  for await (const indicator of indicators) yield chunker.add(indicator);
  yield chunker.close();
}

/**
 * JSON text of one STIX 2.1 bundle, in chunks (one object per chunk, one object per line). Given an
 * async iterable (rows read from the database batch by batch), the chunks come as an async generator.
 */
export function writeStixBundle(
  indicators: Iterable<ExportIndicator>,
  options: { incidentId: string; generatedAt: Date },
): Generator<string>;
export function writeStixBundle(
  indicators: AsyncIterable<ExportIndicator>,
  options: { incidentId: string; generatedAt: Date },
): AsyncGenerator<string>;
export function writeStixBundle(
  indicators: Iterable<ExportIndicator> | AsyncIterable<ExportIndicator>,
  options: { incidentId: string; generatedAt: Date },
): Generator<string> | AsyncGenerator<string> {
  return Symbol.asyncIterator in indicators
    ? bundleChunksAsync(indicators, options)
    : bundleChunks(indicators, options);
}
