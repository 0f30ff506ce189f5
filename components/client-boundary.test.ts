// A module marked "use client" hands a server component references, not values: a class string or a
// helper imported from one arrives as a client reference (an object, or a function that throws when
// called), so the server renders `class="[object Object]"` or fails. This walks app/ and components/
// and fails on any server module that imports a plain value (not a component, not a type) from a
// client module.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".test.ts"))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)));
}

const isClient = (text: string) => /^\s*(?:\/\/[^\n]*\n\s*)*["']use client["']/.test(text);

function resolveImport(from: string, specifier: string): string | null {
  const base = specifier.startsWith("@/")
    ? path.join(ROOT, specifier.slice(2))
    : specifier.startsWith(".")
      ? path.resolve(ROOT, path.dirname(from), specifier)
      : null;
  if (!base) return null;
  const found = [`${base}.tsx`, `${base}.ts`].find(
    (candidate) => existsSync(candidate) && statSync(candidate).isFile(),
  );
  return found ? path.relative(ROOT, found) : null;
}

describe("the client boundary", () => {
  it("server modules import only components and types from client modules", () => {
    const files = [...sources("app"), ...sources("components")];
    const text = new Map(files.map((file) => [file, readFileSync(path.join(ROOT, file), "utf8")]));
    const problems: string[] = [];
    for (const [file, source] of text) {
      if (isClient(source)) continue;
      for (const match of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*"([^"]+)"/g)) {
        const target = resolveImport(file, match[2] ?? "");
        if (!target || !isClient(text.get(target) ?? "")) continue;
        const values = (match[1] ?? "")
          .split(",")
          .map((name) => name.trim())
          .filter((name) => name !== "" && !name.startsWith("type ") && /^[a-z]/.test(name));
        if (values.length > 0)
          problems.push(`${file} imports ${values.join(", ")} from client module ${target}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
