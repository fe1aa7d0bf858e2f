// Runs `prisma generate` on machines that cannot download Prisma's native
// schema engine. `generate` does not use the engine for the Rust-free client,
// but the CLI insists a binary exists; pointing it at any existing file
// satisfies it. Never run `prisma migrate *` with this variable set: it then
// exits 0 having applied nothing (see docs/ARCHITECTURE.md, "Migrations").
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

if (!existsSync("prisma/schema.prisma")) process.exit(0);
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1" };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
const result = spawnSync("npx", ["--no-install", "prisma", "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
