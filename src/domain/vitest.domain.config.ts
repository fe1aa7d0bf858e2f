// Runs the pure domain tests without the repo config's globalSetup (which boots PostgreSQL):
//   npx vitest run -c src/domain/vitest.domain.config.ts
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: { "~": fileURLToPath(new URL("..", import.meta.url)) },
  },
  test: {
    root: fileURLToPath(new URL("../..", import.meta.url)),
    include: ["src/domain/**/*.test.ts"],
  },
});
