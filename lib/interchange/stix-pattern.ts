// A parser for the part of the STIX 2.1 patterning language that can describe indicators, and the
// mapping between STIX object paths and Dwell's indicator type words (both directions).
//
// Grammar read (keywords case-insensitive):
//   pattern      := obsFollowed EOF
//   obsFollowed  := obsOr (FOLLOWEDBY obsOr)*
//   obsOr        := obsAnd (OR obsAnd)*
//   obsAnd       := obsQualified (AND obsQualified)*
//   obsQualified := ('[' compOr ']' | '(' obsFollowed ')') qualifier*
//   qualifier    := WITHIN number SECONDS | REPEATS int TIMES | START t'…' STOP t'…'   (read, then ignored)
//   compOr       := compAnd (OR compAnd)*
//   compAnd      := compTest (AND compTest)*
//   compTest     := '(' compOr ')' | objectPath '=' literal | objectPath IN '(' literal (',' literal)* ')'
//   objectPath   := type ':' step ('.' step | '[' int | '*' ']')*      step := name | 'quoted name'
// Every `=` and `IN` member becomes one { objectPath, value } pair; other operators are refused.
//
// Types STIX has no object for (jarm, ja3, jwt-kid, uri-path, other, and any value a standard object
// cannot carry back unchanged) use a custom object, both ways:
//   [x-dwell-indicator:value = '<value>' AND x-dwell-indicator:type = '<type word>']
// Within one [ ] observation, every x-dwell-indicator:value takes the one x-dwell-indicator:type.

export type LiteralKind = "string" | "integer" | "float" | "boolean" | "timestamp" | "binary" | "hex";

export type PathStep = string | { index: number | "*" };

export interface PatternEquality {
  /** Canonical text of the path: `file:hashes.'SHA-256'`, `domain-name:value`. */
  objectPath: string;
  objectType: string;
  steps: PathStep[];
  /** The literal's text: a string's content (unescaped), a number's digits. */
  value: string;
  literal: LiteralKind;
  /** Which [ ] observation (0-based, in pattern order) the comparison sits in. */
  observation: number;
  /** 1-based position of the object path in the pattern. */
  position: number;
}

/** A broken or unusable pattern. `position` is 1-based (the first character is position 1). */
export class StixPatternError extends Error {
  override name = "StixPatternError";
  constructor(
    readonly detail: string,
    readonly position: number,
    options: { found?: string; showPosition?: boolean } = {},
  ) {
    const at = options.showPosition === false ? "" : ` at position ${position}`;
    super(`pattern: ${detail}${at}${options.found ? ` (found ${options.found})` : ""}`);
  }
}

type Punct = "[" | "]" | "(" | ")" | "," | ":" | "." | "*";

type Token =
  | { kind: "punct"; text: Punct; pos: number }
  | { kind: "op"; text: string; pos: number }
  | { kind: "word"; text: string; pos: number }
  | { kind: "literal"; literal: LiteralKind; value: string; pos: number }
  | { kind: "eof"; pos: number };

const describe = (t: Token): string => {
  switch (t.kind) {
    case "eof":
      return "the end of the pattern";
    case "literal":
      return t.literal === "string" ? `'${t.value}'` : t.value;
    default:
      return `'${t.text}'`;
  }
};

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const readQuoted = (start: number): { value: string; end: number } => {
    // `start` is the opening quote. Only \' and \\ are escapes.
    let value = "";
    let j = start + 1;
    for (;;) {
      if (j >= text.length) {
        throw new StixPatternError(`unterminated string opened at position ${start + 1}`, start + 1, {
          showPosition: false,
        });
      }
      const c = text[j];
      if (c === "'") return { value, end: j + 1 };
      if (c === "\\") {
        const next = text[j + 1];
        if (next !== "'" && next !== "\\") {
          throw new StixPatternError(
            `invalid escape \\${next ?? ""} in a string: only \\' and \\\\ are allowed`,
            j + 1,
          );
        }
        value += next;
        j += 2;
        continue;
      }
      value += c;
      j++;
    }
  };
  while (i < text.length) {
    const c = text[i] ?? "";
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const pos = i + 1;
    if ("[]():,.*".includes(c)) {
      tokens.push({ kind: "punct", text: c as Punct, pos });
      i++;
    } else if (c === "=" || c === "<" || c === ">" || c === "!") {
      const two = text.slice(i, i + 2);
      const op = two === "!=" || two === "<=" || two === ">=" ? two : c;
      if (op === "!") throw new StixPatternError("unexpected character '!'", pos);
      tokens.push({ kind: "op", text: op, pos });
      i += op.length;
    } else if (c === "'") {
      const { value, end } = readQuoted(i);
      tokens.push({ kind: "literal", literal: "string", value, pos });
      i = end;
    } else if ((c === "t" || c === "b" || c === "h") && text[i + 1] === "'") {
      const { value, end } = readQuoted(i + 1);
      const literal = c === "t" ? "timestamp" : c === "b" ? "binary" : "hex";
      tokens.push({ kind: "literal", literal, value, pos });
      i = end;
    } else if (/[0-9]/.test(c) || ((c === "-" || c === "+") && /[0-9]/.test(text[i + 1] ?? ""))) {
      const m = /^[+-]?\d+(\.\d+)?/.exec(text.slice(i, i + 64)) as RegExpExecArray;
      tokens.push({ kind: "literal", literal: m[1] ? "float" : "integer", value: m[0], pos });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i, i + 300)) as RegExpExecArray;
      const word = m[0];
      const lower = word.toLowerCase();
      if (lower === "true" || lower === "false") {
        tokens.push({ kind: "literal", literal: "boolean", value: lower, pos });
      } else tokens.push({ kind: "word", text: word, pos });
      i += word.length;
    } else {
      throw new StixPatternError(`unexpected character '${c}'`, pos);
    }
  }
  tokens.push({ kind: "eof", pos: text.length + 1 });
  return tokens;
}

const COMPARISON_OPERATORS = new Set(["LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET", "EXISTS", "NOT"]);

const renderStep = (step: PathStep): string =>
  typeof step === "string"
    ? /^[A-Za-z_][A-Za-z0-9_]*$/.test(step)
      ? `.${step}`
      : `.'${escapeStixString(step)}'`
    : `[${step.index}]`;

/** Canonical text of an object path: names as written when plain, quoted otherwise. */
export const renderObjectPath = (objectType: string, steps: PathStep[]): string =>
  `${objectType}:${steps.map(renderStep).join("").replace(/^\./, "")}`;

class PatternParser {
  private i = 0;
  private observation = -1;
  readonly equalities: PatternEquality[] = [];

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i] ?? { kind: "eof", pos: 0 };
  }

  private next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  private isWord(word: string, t = this.peek()): boolean {
    return t.kind === "word" && t.text.toUpperCase() === word;
  }

  private isPunct(text: string, t = this.peek()): boolean {
    return t.kind === "punct" && t.text === text;
  }

  private expectPunct(text: string): Token {
    const t = this.next();
    if (!this.isPunct(text, t))
      throw new StixPatternError(`expected '${text}'`, t.pos, { found: describe(t) });
    return t;
  }

  private expectWord(word: string): void {
    const t = this.next();
    if (!this.isWord(word, t)) throw new StixPatternError(`expected ${word}`, t.pos, { found: describe(t) });
  }

  parse(): PatternEquality[] {
    if (this.peek().kind === "eof")
      throw new StixPatternError("the pattern is empty", 1, { showPosition: false });
    this.obsFollowed();
    const t = this.peek();
    if (t.kind !== "eof") {
      throw new StixPatternError(`expected AND, OR, FOLLOWEDBY or the end`, t.pos, { found: describe(t) });
    }
    return this.equalities;
  }

  private obsFollowed(): void {
    this.obsOr();
    while (this.isWord("FOLLOWEDBY")) {
      this.next();
      this.obsOr();
    }
  }

  private obsOr(): void {
    this.obsAnd();
    while (this.isWord("OR")) {
      this.next();
      this.obsAnd();
    }
  }

  private obsAnd(): void {
    this.obsQualified();
    while (this.isWord("AND")) {
      this.next();
      this.obsQualified();
    }
  }

  private obsQualified(): void {
    const t = this.next();
    if (this.isPunct("[", t)) {
      this.observation++;
      this.compOr();
      this.expectPunct("]");
    } else if (this.isPunct("(", t)) {
      this.obsFollowed();
      this.expectPunct(")");
    } else {
      throw new StixPatternError(`expected '[' or '('`, t.pos, { found: describe(t) });
    }
    this.qualifiers();
  }

  private qualifiers(): void {
    for (;;) {
      if (this.isWord("WITHIN")) {
        this.next();
        this.expectLiteral(["integer", "float"]);
        this.expectWord("SECONDS");
      } else if (this.isWord("REPEATS")) {
        this.next();
        this.expectLiteral(["integer"]);
        this.expectWord("TIMES");
      } else if (this.isWord("START")) {
        this.next();
        this.expectLiteral(["timestamp"]);
        this.expectWord("STOP");
        this.expectLiteral(["timestamp"]);
      } else return;
    }
  }

  private expectLiteral(kinds: LiteralKind[]): Token & { kind: "literal" } {
    const t = this.next();
    if (t.kind !== "literal" || !kinds.includes(t.literal)) {
      throw new StixPatternError(`expected ${kinds.join(" or ")} literal`, t.pos, { found: describe(t) });
    }
    return t;
  }

  private compOr(): void {
    this.compAnd();
    while (this.isWord("OR")) {
      this.next();
      this.compAnd();
    }
  }

  private compAnd(): void {
    this.compTest();
    while (this.isWord("AND")) {
      this.next();
      this.compTest();
    }
  }

  private compTest(): void {
    const t = this.peek();
    if (this.isPunct("(", t)) {
      this.next();
      this.compOr();
      this.expectPunct(")");
      return;
    }
    if (t.kind === "word" && COMPARISON_OPERATORS.has(t.text.toUpperCase())) this.unsupported(t);
    const path = this.objectPath();
    const op = this.next();
    if (op.kind === "op" && op.text === "=") {
      this.add(path, this.value());
    } else if (this.isWord("IN", op)) {
      this.expectPunct("(");
      this.add(path, this.value());
      while (this.isPunct(",")) {
        this.next();
        this.add(path, this.value());
      }
      this.expectPunct(")");
    } else if (op.kind === "op" || (op.kind === "word" && COMPARISON_OPERATORS.has(op.text.toUpperCase()))) {
      this.unsupported(op);
    } else {
      throw new StixPatternError(`expected a comparison operator`, op.pos, { found: describe(op) });
    }
  }

  private unsupported(op: Token): never {
    let name = op.kind === "op" || op.kind === "word" ? op.text.toUpperCase() : describe(op);
    if (name === "NOT") {
      const following = this.tokens[this.i + (this.peek() === op ? 1 : 0)];
      if (following && (following.kind === "op" || following.kind === "word")) {
        name = `NOT ${following.text.toUpperCase()}`;
      }
    }
    throw new StixPatternError(
      `operator ${name} is not supported: only = and IN can become indicators`,
      op.pos,
      { showPosition: false },
    );
  }

  private value(): Token & { kind: "literal" } {
    const t = this.next();
    if (t.kind !== "literal") throw new StixPatternError(`expected a value`, t.pos, { found: describe(t) });
    return t;
  }

  private objectPath(): { objectType: string; steps: PathStep[]; pos: number } {
    const t = this.next();
    if (t.kind !== "word")
      throw new StixPatternError(`expected an object path`, t.pos, { found: describe(t) });
    this.expectPunct(":");
    const steps: PathStep[] = [this.pathName()];
    for (;;) {
      if (this.isPunct(".")) {
        this.next();
        steps.push(this.pathName());
      } else if (this.isPunct("[")) {
        this.next();
        const index = this.next();
        if (index.kind === "literal" && index.literal === "integer")
          steps.push({ index: Number(index.value) });
        else if (this.isPunct("*", index)) steps.push({ index: "*" });
        else
          throw new StixPatternError(`expected a list index or '*'`, index.pos, { found: describe(index) });
        this.expectPunct("]");
      } else break;
    }
    return { objectType: t.text, steps, pos: t.pos };
  }

  private pathName(): string {
    const t = this.next();
    if (t.kind === "word") return t.text;
    if (t.kind === "literal" && t.literal === "string") return t.value;
    throw new StixPatternError(`expected a property name`, t.pos, { found: describe(t) });
  }

  private add(
    path: { objectType: string; steps: PathStep[]; pos: number },
    literal: Token & { kind: "literal" },
  ) {
    this.equalities.push({
      objectPath: renderObjectPath(path.objectType, path.steps),
      objectType: path.objectType,
      steps: path.steps,
      value: literal.value,
      literal: literal.literal,
      observation: this.observation,
      position: path.pos,
    });
  }
}

/** Every `=` / `IN` comparison of a STIX pattern, in order. Throws StixPatternError. */
export function parseStixPattern(pattern: string): PatternEquality[] {
  return new PatternParser(tokenize(pattern)).parse();
}

// ---------------------------------------------------------------- type words <-> object paths

export const CUSTOM_OBJECT = "x-dwell-indicator";

export const escapeStixString = (value: string): string => value.replace(/\\/g, "\\\\").replace(/'/g, "\\'");

const hashName = (name: string) => name.toUpperCase().replace(/-/g, "");
const FILE_HASHES: Record<string, string> = { MD5: "md5", SHA1: "sha1", SHA256: "sha256", SHA512: "sha512" };

type PathMeaning =
  | { kind: "type"; type: string | ((value: string) => string); number?: true }
  | { kind: "custom-value" }
  | { kind: "custom-type" };

const addressType = (plain: string) => (value: string) => (value.includes("/") ? "cidr" : plain);

function meaningOf(objectType: string, steps: PathStep[]): PathMeaning | null {
  const names = steps.map((s) => (typeof s === "string" ? s : null));
  if (names.includes(null)) return null;
  const path = names as string[];
  const [first, second] = path;
  const type = objectType.toLowerCase();
  if (path.length === 1) {
    if (first === "value") {
      switch (type) {
        case "ipv4-addr":
          return { kind: "type", type: addressType("ipv4") };
        case "ipv6-addr":
          return { kind: "type", type: addressType("ipv6") };
        case "domain-name":
          return { kind: "type", type: "domain" };
        case "url":
          return { kind: "type", type: "url" };
        case "email-addr":
          return { kind: "type", type: "email" };
        case CUSTOM_OBJECT:
          return { kind: "custom-value" };
      }
    }
    if (type === "file" && first === "name") return { kind: "type", type: "filename" };
    if (type === "autonomous-system" && first === "number")
      return { kind: "type", type: "asn", number: true };
    if (type === CUSTOM_OBJECT && first === "type") return { kind: "custom-type" };
    return null;
  }
  if (path.length === 2 && first === "hashes" && second !== undefined) {
    const hash = hashName(second);
    if (type === "file" && FILE_HASHES[hash]) return { kind: "type", type: FILE_HASHES[hash] };
    if (type === "x509-certificate" && (hash === "SHA1" || hash === "SHA256")) {
      return { kind: "type", type: "cert-thumbprint" };
    }
    return null;
  }
  if (
    type === "network-traffic" &&
    path.length === 4 &&
    first === "extensions" &&
    second === "http-request-ext" &&
    path[2] === "request_header" &&
    path[3]?.toLowerCase() === "user-agent"
  ) {
    return { kind: "type", type: "user-agent" };
  }
  return null;
}

export interface PatternIndicator {
  type: string;
  value: string;
}

const literalText = (eq: PatternEquality) => (eq.literal === "string" ? `'${eq.value}'` : eq.value);

/**
 * The indicators a STIX pattern names: one per `=` or `IN` member, in pattern order, with the type
 * word of its object path. Throws StixPatternError for a broken pattern, an unsupported operator or an
 * object path that names no indicator type.
 */
export function patternToIndicators(pattern: string): PatternIndicator[] {
  const equalities = parseStixPattern(pattern);
  const customTypes = new Map<number, PatternEquality[]>();
  for (const eq of equalities) {
    if (meaningOf(eq.objectType, eq.steps)?.kind === "custom-type") {
      customTypes.set(eq.observation, [...(customTypes.get(eq.observation) ?? []), eq]);
    }
  }
  const out: PatternIndicator[] = [];
  const customValueObservations = new Set<number>();
  for (const eq of equalities) {
    const meaning = meaningOf(eq.objectType, eq.steps);
    if (!meaning) {
      throw new StixPatternError(`object path ${eq.objectPath} cannot become an indicator`, eq.position, {
        showPosition: false,
      });
    }
    if (meaning.kind === "custom-type") {
      if (eq.literal !== "string") {
        throw new StixPatternError(`${eq.objectPath} must be compared with a string`, eq.position, {
          found: literalText(eq),
        });
      }
      continue;
    }
    if (meaning.kind === "custom-value") {
      const types = customTypes.get(eq.observation) ?? [];
      const typeEq = types[0];
      if (types.length !== 1 || !typeEq) {
        throw new StixPatternError(
          `${CUSTOM_OBJECT}:value needs exactly one ${CUSTOM_OBJECT}:type = '<type word>' in the same [ ] observation`,
          eq.position,
          { showPosition: false },
        );
      }
      if (eq.literal !== "string") {
        throw new StixPatternError(`${eq.objectPath} must be compared with a string`, eq.position, {
          found: literalText(eq),
        });
      }
      customValueObservations.add(eq.observation);
      out.push({ type: typeEq.value, value: eq.value });
      continue;
    }
    if (meaning.number) {
      if (eq.literal !== "integer" || eq.value.startsWith("-")) {
        throw new StixPatternError(`${eq.objectPath} must be compared with a whole number`, eq.position, {
          found: literalText(eq),
        });
      }
      out.push({ type: "asn", value: `AS${eq.value.replace(/^\+/, "")}` });
      continue;
    }
    if (eq.literal !== "string") {
      throw new StixPatternError(`${eq.objectPath} must be compared with a string`, eq.position, {
        found: literalText(eq),
      });
    }
    out.push({
      type: typeof meaning.type === "string" ? meaning.type : meaning.type(eq.value),
      value: eq.value,
    });
  }
  for (const [observation, types] of customTypes) {
    const first = types[0];
    if (first && !customValueObservations.has(observation)) {
      throw new StixPatternError(
        `${CUSTOM_OBJECT}:type needs an ${CUSTOM_OBJECT}:value in the same [ ] observation`,
        first.position,
        { showPosition: false },
      );
    }
  }
  return out;
}

const stixString = (value: string) => `'${escapeStixString(value)}'`;

const customPattern = (type: string, value: string) =>
  `[${CUSTOM_OBJECT}:value = ${stixString(value)} AND ${CUSTOM_OBJECT}:type = ${stixString(type)}]`;

/**
 * The STIX pattern for one indicator. A standard object is used only where reading the pattern back
 * gives the same type and value; anything else uses the x-dwell-indicator custom object.
 */
export function indicatorToPattern(type: string, value: string): string {
  const simple = (path: string) => `[${path} = ${stixString(value)}]`;
  const hasSlash = value.includes("/");
  switch (type) {
    case "ipv4":
      return hasSlash ? customPattern(type, value) : simple("ipv4-addr:value");
    case "ipv6":
      return hasSlash ? customPattern(type, value) : simple("ipv6-addr:value");
    case "cidr":
      if (!hasSlash) return customPattern(type, value);
      return simple(value.includes(":") ? "ipv6-addr:value" : "ipv4-addr:value");
    case "domain":
      return simple("domain-name:value");
    case "url":
      return simple("url:value");
    case "email":
      return simple("email-addr:value");
    case "md5":
      return simple("file:hashes.MD5");
    case "sha1":
      return simple("file:hashes.'SHA-1'");
    case "sha256":
      return simple("file:hashes.'SHA-256'");
    case "sha512":
      return simple("file:hashes.'SHA-512'");
    case "filename":
      return simple("file:name");
    case "user-agent":
      return simple("network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'");
    case "cert-thumbprint": {
      const hexDigits = value.replace(/[:\s]/g, "");
      if (/^[0-9a-f]{40}$/i.test(hexDigits)) return simple("x509-certificate:hashes.'SHA-1'");
      if (/^[0-9a-f]{64}$/i.test(hexDigits)) return simple("x509-certificate:hashes.'SHA-256'");
      return customPattern(type, value);
    }
    case "asn": {
      const m = /^AS(0|[1-9]\d{0,9})$/.exec(value);
      return m ? `[autonomous-system:number = ${m[1]}]` : customPattern(type, value);
    }
    default:
      return customPattern(type, value);
  }
}
