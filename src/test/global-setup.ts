// Vitest global setup: one throwaway PostgreSQL cluster for the whole run
// (the embedded one by default, or TEST_DATABASE_ADMIN_URL's server), with the
// migrations applied once to a template database. Each test file clones the
// template (see ./db.ts), so files run in parallel without sharing rows.
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type RunningPostgres } from "../server/db/embedded";
import { applyMigrations } from "../server/db/migrate";

export const TEMPLATE_DATABASE = "holdfast_test_template";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

let server: RunningPostgres | null = null;
let dataDir: string | null = null;

export default async function setup(project: TestProject) {
  let adminUrl = process.env.TEST_DATABASE_ADMIN_URL;
  if (!adminUrl) {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "holdfast-test-pg-"));
    server = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), port: await freePort(), ephemeral: true });
    adminUrl = server.adminUrl;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  await admin.end();
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${TEMPLATE_DATABASE}`;
  await applyMigrations(templateUrl.toString());
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
