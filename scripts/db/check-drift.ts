// `npm run db:check`: fails when prisma/schema.prisma and the SQL migrations describe different schemas.
import "../load-dotenv.ts";
import { loadEnv } from "@mirrordeck/config";
import { checkSchemaDrift } from "@mirrordeck/db/migrations";
import { migrationsDir, schemaPath } from "./paths.ts";

const env = loadEnv();
const report = await checkSchemaDrift({ databaseUrl: env.DATABASE_URL, schemaPath, migrationsDir });
if (report.missingFromMigrations.length === 0 && report.missingFromSchema.length === 0) {
  console.log("db:check: schema.prisma and prisma/migrations agree");
} else {
  for (const line of report.missingFromMigrations)
    console.error(`db:check: in schema.prisma, not in migrations: ${line}`);
  for (const line of report.missingFromSchema)
    console.error(`db:check: in migrations, not in schema.prisma: ${line}`);
  console.error(
    "db:check: add a migration under prisma/migrations that brings the database to schema.prisma",
  );
  process.exit(1);
}
