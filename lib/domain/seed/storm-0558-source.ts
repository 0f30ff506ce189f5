// The sourced Storm-0558 facts (data/storm-0558.json) and the ATT&CK catalogue, checked against the shape
// the seed relies on, so a hand edit of the data fails here with the path at fault instead of mid-seed.
import { z } from "zod";
import attackEnterprise from "../../../data/attack-enterprise.json" with { type: "json" };
import storm0558 from "../../../data/storm-0558.json" with { type: "json" };

const day = z.iso.date();
const url = z.url();

const SourcedEventSchema = z.object({
  occurredAt: z.iso.datetime(),
  title: z.string().min(1),
  phase: z.string().optional(),
  source: url,
  precision: z.string(),
  verification: z.string().optional(),
  additionalSources: z.array(url).optional(),
  note: z.string().optional(),
});

const SourcedIndicatorSchema = z.object({
  type: z.string(),
  value: z.string().min(1),
  valueAsPublished: z.string().optional(),
  description: z.string().optional(),
  firstSeen: day.optional(),
  lastSeen: day.optional(),
  source: url,
  inIocTable: z.boolean().optional(),
  note: z.string().optional(),
});

const SourcedTechniqueSchema = z.object({
  id: z.string(),
  name: z.string(),
  tactic: z.string(),
  evidence: z.string(),
  source: url,
  idVerified: z.boolean().optional(),
  hypothesized: z.boolean().optional(),
  note: z.string().optional(),
});

const SourcedFigureSchema = z.object({
  value: z.union([z.number(), z.string(), z.record(z.string(), z.number())]),
  qualifier: z.string().optional(),
  text: z.string().optional(),
  source: url,
  also: z.array(url).optional(),
  verification: z.string().optional(),
  note: z.string().optional(),
});

const StormSourceSchema = z.object({
  incident: z.object({
    name: z.string().min(1),
    actor: z.string().min(1),
    vector: z.string().min(1),
    affectedServices: z.array(z.string()),
    firstMaliciousAccess: day,
    firstDetectedByVictim: day,
    reportedToMicrosoft: day,
    publicDisclosure: day,
    victimsNamedPublicly: z.array(z.string()),
    victimsSource: url,
  }),
  timeline: z.array(SourcedEventSchema.extend({ phase: z.string() })),
  backgroundEvents: z.array(SourcedEventSchema),
  indicators: z.array(SourcedIndicatorSchema),
  attackTechniques: z.array(SourcedTechniqueSchema),
  figures: z.record(z.string(), SourcedFigureSchema),
  sources: z.array(z.object({ id: z.string(), url, title: z.string() })),
});

const AttackCatalogSchema = z.object({
  techniques: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      status: z.enum(["active", "deprecated", "revoked"]),
      revokedBy: z.string().optional(),
    }),
  ),
});

export type StormSource = z.infer<typeof StormSourceSchema>;
export type SourcedEvent = StormSource["timeline"][number];
export type SourcedIndicator = z.infer<typeof SourcedIndicatorSchema>;
export type SourcedTechnique = z.infer<typeof SourcedTechniqueSchema>;
export type SourcedFigure = z.infer<typeof SourcedFigureSchema>;
export type AttackTechnique = z.infer<typeof AttackCatalogSchema>["techniques"][number];

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, file: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(
    `${file} does not have the expected shape at ${issue?.path.join(".") ?? "?"}: ${issue?.message}.`,
  );
}

let cachedSource: StormSource | undefined;
let cachedCatalog: ReadonlyMap<string, AttackTechnique> | undefined;

export function readStormSource(): StormSource {
  cachedSource ??= parseOrThrow(StormSourceSchema, storm0558, "data/storm-0558.json");
  return cachedSource;
}

export function readAttackCatalog(): ReadonlyMap<string, AttackTechnique> {
  cachedCatalog ??= new Map(
    parseOrThrow(AttackCatalogSchema, attackEnterprise, "data/attack-enterprise.json").techniques.map(
      (technique) => [technique.id, technique],
    ),
  );
  return cachedCatalog;
}
