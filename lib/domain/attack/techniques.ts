// MITRE ATT&CK Enterprise techniques shipped with the project (data/attack-enterprise.json, with its
// attribution), used to validate technique tags and show their names.
import catalogue from "../../../data/attack-enterprise.json" with { type: "json" };

export interface AttackTechnique {
  id: string;
  name: string;
  tactics: string[];
  status: string;
}

const byId = new Map<string, AttackTechnique>(
  (catalogue.techniques as AttackTechnique[]).map((technique) => [technique.id, technique]),
);

export const ATTACK_ATTRIBUTION: string = catalogue._meta.terms;

export function findTechnique(id: string): AttackTechnique | undefined {
  return byId.get(id.trim().toUpperCase());
}

export function techniqueName(id: string): string {
  return findTechnique(id)?.name ?? id;
}

export function isKnownTechnique(id: string): boolean {
  return byId.has(id.trim().toUpperCase());
}
