// The indicator library: type words, refanging, validation, detection and extraction.
export { detectIndicatorType } from "./detect.ts";
export { extractIndicators } from "./extract.ts";
export type { ExtractedIndicator, ExtractionProblem, ExtractionResult } from "./extract.ts";
export { normalizeIndicator } from "./normalize.ts";
export type { NormalizeResult } from "./normalize.ts";
export { refang } from "./refang.ts";
export { INDICATOR_TYPES, parseIndicatorType, typeLabel } from "./types.ts";
export type { IndicatorTypeWord } from "./types.ts";
