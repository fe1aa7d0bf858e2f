// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL, or to the
// embedded database under .data/ when DATABASE_URL is not set.
import { withDatabaseUrl } from "../src/server/db/database-url";
import { applyMigrations } from "../src/server/db/migrate";

await withDatabaseUrl(async (url) => {
  const { applied, alreadyApplied } = await applyMigrations(url);
  for (const name of applied) console.log(`applied ${name}`);
  console.log(`${applied.length} applied, ${alreadyApplied.length} already applied.`);
});
