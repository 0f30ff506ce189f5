// The official STIX 2.1 TLP marking definitions. TLP 2.0: the objects published by OASIS
// (cti-stix-common-objects, objects/marking-definition/), written into exported bundles unchanged.
// TLP 1.0: the four ids fixed by STIX 2.1 §7.2.1.4, read on import (white is TLP 2.0 clear).
import { parseTlp } from "./fields.ts";
import type { TlpKey } from "./records.ts";

/** The extension definition that the TLP 2.0 marking definitions use. */
export const TLP2_EXTENSION_ID = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

export const TLP2_MARKING_IDS: Record<TlpKey, string> = {
  CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
  GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
  AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
  AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
  RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
};

export const TLP1_MARKING_IDS: Record<"WHITE" | "GREEN" | "AMBER" | "RED", string> = {
  WHITE: "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
  GREEN: "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
  AMBER: "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
  RED: "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
};

const TLP2_WORDS: Record<TlpKey, string> = {
  CLEAR: "clear",
  GREEN: "green",
  AMBER: "amber",
  AMBER_STRICT: "amber+strict",
  RED: "red",
};

export interface Tlp2MarkingDefinition {
  type: "marking-definition";
  spec_version: "2.1";
  id: string;
  created: string;
  name: string;
  extensions: Record<string, { extension_type: "property-extension"; tlp_2_0: string }>;
}

/** The official TLP 2.0 marking-definition object for a level, exactly as OASIS publishes it. */
export function tlp2MarkingDefinition(key: TlpKey): Tlp2MarkingDefinition {
  return {
    type: "marking-definition",
    spec_version: "2.1",
    id: TLP2_MARKING_IDS[key],
    created: "2022-10-01T00:00:00.000Z",
    name: `TLP:${TLP2_WORDS[key].toUpperCase()}`,
    extensions: {
      [TLP2_EXTENSION_ID]: { extension_type: "property-extension", tlp_2_0: TLP2_WORDS[key] },
    },
  };
}

/** Official marking-definition id (TLP 2.0 or 1.0) → level. */
export const OFFICIAL_TLP_MARKINGS: ReadonlyMap<string, TlpKey> = new Map<string, TlpKey>([
  ...(Object.entries(TLP2_MARKING_IDS) as [TlpKey, string][]).map(
    ([key, id]) => [id, key] as [string, TlpKey],
  ),
  [TLP1_MARKING_IDS.WHITE, "CLEAR"],
  [TLP1_MARKING_IDS.GREEN, "GREEN"],
  [TLP1_MARKING_IDS.AMBER, "AMBER"],
  [TLP1_MARKING_IDS.RED, "RED"],
]);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The TLP level a marking-definition object of a bundle stands for: the TLP 2.0 extension's
 * `tlp_2_0`, or the TLP 1.0 `definition_type: "tlp"` form. Null for any other marking.
 */
export function tlpOfMarkingDefinition(object: Record<string, unknown>): TlpKey | null {
  const extensions = object.extensions;
  if (isRecord(extensions)) {
    const tlp2 = extensions[TLP2_EXTENSION_ID];
    if (isRecord(tlp2) && typeof tlp2.tlp_2_0 === "string") return parseTlp(tlp2.tlp_2_0);
  }
  const definition = object.definition;
  if (object.definition_type === "tlp" && isRecord(definition) && typeof definition.tlp === "string") {
    return parseTlp(definition.tlp);
  }
  return null;
}
