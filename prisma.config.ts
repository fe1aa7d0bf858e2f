// Prisma CLI configuration (used by `prisma generate` and, for users with the
// native schema engine, `prisma migrate deploy`). The app itself does not read
// this file: src/server/db/ builds its own connection, embedded by default.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/holdfast" },
});
