import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Prisma stays behind lib/domain (and the db bootstrap in lib/db and scripts): a page, route,
// component or action that imports it fails lint, so the rule cannot silently erode.
const prismaImportBan = {
  patterns: [
    {
      group: ["@/lib/db/generated/*", "@/lib/db/generated", "**/db/generated/*", "@prisma/*"],
      message: "Only lib/domain (and lib/db) may touch Prisma. Call a lib/domain function instead.",
    },
    {
      group: ["@/lib/db/client", "**/db/client"],
      message: "Only lib/domain may use the database client. Call a lib/domain function instead.",
    },
  ],
};

const config = [
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      "lib/db/generated/**",
      "tools/prisma-diff/**",
      ".data/**",
      "next-env.d.ts",
      "test-results/**",
      "playwright-report/**",
      "tmp/**",
    ],
  },
  ...nextVitals,
  ...nextTs,
  {
    files: ["app/**", "components/**", "lib/auth/**", "lib/http/**", "lib/actions/**", "lib/validation/**"],
    rules: { "no-restricted-imports": ["error", prismaImportBan] },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
];

export default config;
