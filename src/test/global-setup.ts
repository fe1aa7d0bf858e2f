// Vitest global setup: one throwaway PostgreSQL cluster for the whole run
// (the embedded one by default, or TEST_DATABASE_ADMIN_URL's server), with the
// migrations applied once to a template database. Each test file clones the
// template (see ./db.ts), so files run in parallel without sharing rows.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type RunningPostgres } from "../server/db/embedded";
import { createMigratedDatabase } from "../server/db/migrate";
import { freePort } from "./free-port";

export const TEMPLATE_DATABASE = "holdfast_test_template";

let server: RunningPostgres | null = null;
let dataDir: string | null = null;

export default async function setup(project: TestProject) {
  let adminUrl = process.env.TEST_DATABASE_ADMIN_URL;
  if (!adminUrl) {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "holdfast-test-pg-"));
    server = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), port: await freePort(), ephemeral: true });
    adminUrl = server.adminUrl;
  }
  await createMigratedDatabase(adminUrl, TEMPLATE_DATABASE);
  project.provide("databaseAdminUrl", adminUrl);

  return async () => {
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseAdminUrl: string;
  }
}
