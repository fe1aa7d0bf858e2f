// `npm run db:migration:create -- <name>`: writes the SQL that takes
// prisma/migrations to prisma/schema.prisma as a new migration (the offline
// equivalent of `prisma migrate dev --create-only`). Review it, add any
// constraints Prisma cannot express, then apply with `npm run db:migrate`.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { withDatabaseUrl } from "../src/server/db/database-url";
import { MIGRATIONS_DIR } from "../src/server/db/migrate";
import { diffMigrationsToSchema } from "./schema-engine";

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]/gi, "_").toLowerCase();
if (!name) {
  console.error("usage: npm run db:migration:create -- <name>");
  process.exit(2);
}

await withDatabaseUrl(async (url) => {
  const sql = await diffMigrationsToSchema(url);
  if (!sql.trim()) {
    console.log("prisma/schema.prisma already matches prisma/migrations: nothing to create.");
    return;
  }
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "migration.sql"), sql);
  console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
});
// The engine leaves pools open; this is a one-shot command.
process.exit(0);
