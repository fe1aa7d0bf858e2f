// Development-only: drives Prisma's WASM schema engine from Node, because the
// native engine the Prisma CLI wants cannot be downloaded everywhere (see
// docs/ARCHITECTURE.md, "Migrations"). Two uses: the SQL that takes
// prisma/migrations to prisma/schema.prisma (empty when they agree), and
// writing that SQL as a new migration.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as engineBindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import { MIGRATIONS_DIR, readMigrations } from "../src/server/db/migrate";

const SCHEMA_PATH = path.resolve(process.cwd(), "prisma", "schema.prisma");
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

// The engine reports a Rust panic through this global before it throws.
let lastPanicMessage = "";
(globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown }).PRISMA_WASM_PANIC_REGISTRY = {
  set_message(message: string) {
    lastPanicMessage = message;
    process.stderr.write(`prisma schema engine panic: ${message}\n`);
  },
};

let wasmReady: Promise<void> | null = null;
function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const packageDir = path.dirname(require.resolve("@prisma/schema-engine-wasm"));
    const bytes = readFileSync(path.join(packageDir, "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": engineBindings });
    engineBindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return wasmReady;
}

/**
 * Two gaps between this engine build and PostgreSQL 18, bridged on the rows
 * the engine reads while describing a database:
 * - adapter-pg cannot map pg_catalog's single-byte `"char"` (OID 18). The
 *   describer reads such columns as Character values, so they pass through
 *   adapter-pg as text and are then labelled Character.
 * - PostgreSQL 18 records NOT NULL as pg_constraint rows of type 'n', which
 *   the describer does not know and panics on. Nullability is read from
 *   pg_attribute anyway, so those rows are dropped.
 */
const COLUMN_TYPE_CHARACTER = 6; // ColumnTypeEnum.Character in @prisma/driver-adapter-utils
const charColumnsByRows = new WeakMap<unknown[], number[]>();
let describerPatched = false;
type IoResult = { fields: { name: string; dataTypeID: number }[]; rows: unknown[][] };
type RawResult = { columnTypes: number[]; rows: unknown[][] };
function patchDescriberQueries(adapter: object): void {
  if (describerPatched) return;
  // adapter-pg splits a migration script at every `;`, which cuts a function body ($$ … $$, the
  // agent-record trigger of migration t_agent_record) in pieces. PostgreSQL's simple query protocol
  // runs a whole script in one call, as the offline migrator (src/server/db/migrate.ts) sends it.
  for (let proto = Object.getPrototypeOf(adapter); proto; proto = Object.getPrototypeOf(proto)) {
    if (!Object.hasOwn(proto, "executeScript")) continue;
    proto.executeScript = async function (
      this: { client: { query(sql: string): Promise<unknown> }; onError(e: unknown): never },
      script: string,
    ) {
      try {
        await this.client.query(script);
      } catch (error) {
        this.onError(error);
      }
    };
    break;
  }
  for (let proto = Object.getPrototypeOf(adapter); proto; proto = Object.getPrototypeOf(proto)) {
    if (!Object.hasOwn(proto, "performIO") || !Object.hasOwn(proto, "queryRaw")) continue;
    const performIO = proto.performIO as (...args: unknown[]) => Promise<IoResult>;
    const queryRaw = proto.queryRaw as (...args: unknown[]) => Promise<RawResult>;
    proto.performIO = async function (this: unknown, ...args: unknown[]) {
      const result = await performIO.apply(this, args);
      const constraintType = result.fields.findIndex((f) => f.name === "constraint_type");
      if (constraintType >= 0) result.rows = result.rows.filter((row) => row[constraintType] !== "n");
      const charColumns: number[] = [];
      result.fields.forEach((field, index) => {
        if (field.dataTypeID !== PG_CHAR_OID) return;
        field.dataTypeID = PG_TEXT_OID;
        charColumns.push(index);
      });
      if (charColumns.length) charColumnsByRows.set(result.rows, charColumns);
      return result;
    };
    proto.queryRaw = async function (this: unknown, ...args: unknown[]) {
      const result = await queryRaw.apply(this, args);
      for (const index of charColumnsByRows.get(result.rows) ?? []) result.columnTypes[index] = COLUMN_TYPE_CHARACTER;
      return result;
    };
    describerPatched = true;
    return;
  }
}

function poolConfig(url: string, database?: string): pg.PoolConfig {
  // Separate fields, not a connectionString: with a connectionString
  // adapter-pg's shadow connection would reach the main database.
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: database ?? parsed.pathname.slice(1),
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client(poolConfig(url));
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function adapterFactory(url: string) {
  const main = new PrismaPg(poolConfig(url));
  const connect = async (factory: PrismaPg) => {
    const adapter = await factory.connect();
    patchDescriberQueries(adapter);
    return adapter;
  };
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: () => connect(main),
    // adapter-pg drops the shadow database before closing its own pool, which
    // fails; close the pool first, then drop with FORCE.
    async connectToShadowDb() {
      const database = `holdfast_shadow_${randomUUID().replaceAll("-", "")}`;
      await adminQuery(url, `CREATE DATABASE "${database}"`);
      const adapter = await connect(new PrismaPg(poolConfig(url, database)));
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await adminQuery(url, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      };
      return adapter;
    },
  };
}

const NO_FILTERS = { externalTables: [], externalEnums: [] };

function schemaFiles() {
  return [{ path: SCHEMA_PATH, content: readFileSync(SCHEMA_PATH, "utf8") }];
}

function migrationList(dir = MIGRATIONS_DIR) {
  const lockPath = path.join(dir, "migration_lock.toml");
  let lockContent: string | null = null;
  try {
    lockContent = readFileSync(lockPath, "utf8");
  } catch {
    lockContent = null;
  }
  return {
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: lockContent },
    shadowDbInitScript: "",
    migrationDirectories: readMigrations(dir).map((m) => ({
      path: m.name,
      migrationFile: { path: "migration.sql", content: { tag: "ok" as const, value: m.sql } },
    })),
  };
}

async function withEngine<T>(databaseUrl: string, run: (engine: engineBindings.SchemaEngine) => Promise<T>) {
  await loadWasm();
  const files = schemaFiles();
  const logs: string[] = [];
  const engine = await engineBindings.SchemaEngine.new(
    { datamodels: files.map((f) => [f.path, f.content] as [string, string]) },
    (line: string) => logs.push(line),
    bindMigrationAwareSqlAdapterFactory(adapterFactory(databaseUrl) as never),
  );
  try {
    return await run(engine);
  } catch (error) {
    if (lastPanicMessage) throw new Error(`Prisma schema engine panicked: ${lastPanicMessage}`, { cause: error });
    throw error;
  } finally {
    engine.free();
  }
}

/** SQL that takes the migrations directory to schema.prisma; "" when they agree. */
export async function diffMigrationsToSchema(databaseUrl: string, dir = MIGRATIONS_DIR): Promise<string> {
  return withEngine(databaseUrl, async (engine) => {
    const result = await engine.diff({
      from: { tag: "migrations", ...migrationList(dir) },
      to: { tag: "schemaDatamodel", files: schemaFiles() },
      script: true,
      exitCode: true,
      filters: NO_FILTERS,
    });
    if (result.exitCode === 0) return "";
    return result.stdout ?? "";
  });
}
