// `npm run db:migrate`: applies prisma/migrations/*/migration.sql to DATABASE_URL (safe to re-run).
import "../load-dotenv.ts";
import { loadEnv } from "@mirrordeck/config";
import { applyMigrations, MigrationError } from "@mirrordeck/db/migrations";
import { migrationsDir } from "./paths.ts";

const env = loadEnv();
try {
  const report = await applyMigrations(env.DATABASE_URL, migrationsDir, (line) =>
    console.log(`db:migrate: ${line}`),
  );
  console.log(
    `db:migrate: ${report.applied.length} applied, ${report.alreadyApplied.length} already applied (${new URL(env.DATABASE_URL).pathname.slice(1)})`,
  );
} catch (error) {
  if (error instanceof MigrationError) {
    console.error(`db:migrate: ${error.code}: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
