// Tooling entry point (migrate, drift check): kept apart from the runtime client so that apps
// do not bundle Prisma's schema parser.
export { applyMigrations, MigrationError, type MigrationReport } from "./apply-migrations.ts";
export { checkSchemaDrift } from "./check-schema-drift.ts";
export type { DriftReport } from "./schema-drift.ts";
