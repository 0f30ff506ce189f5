// Prisma CLI configuration. The app itself connects through lib/db (adapter-pg), not through this file.
import { defineConfig } from "prisma/config";

// Prisma 7's CLI wants to download its native schema engine before any command, even `generate`,
// which does not use it. Where that download is impossible, point it at an existing executable so
// `generate`, `validate` and `format` run; a machine that has the real engine keeps using it.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= "/bin/true";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/dwell" },
});
