import { inject } from "vitest";

// Must run before any module reads the environment.
process.env.DATABASE_URL = inject("databaseUrl");
