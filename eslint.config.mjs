import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    ignores: [
      "node_modules/**", ".next/**", ".data/**", "src/server/db/generated/**", "next-env.d.ts",
      "test-results/**", "playwright-report/**",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Imports point one way: a runtime import cycle between files fails lint. Type-only imports and
    // cycles between areas (server/escrow ⇄ server/jobs) are checked by scripts/import-cycles.test.ts.
    files: ["src/**/*.ts", "src/**/*.tsx"],
    rules: { "import/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    // The domain is pure: no framework, database or server imports.
    files: ["src/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: ["next", "next/*", "react", "@prisma/*", "@trpc/*", "inngest", "~/server/*", "../server/*", "pg"] },
      ],
    },
  },
];

export default config;
