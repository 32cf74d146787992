// One lint configuration for every project: typescript-eslint's recommended rules,
// plus the few habits from STYLE.md that a linter can check.
import tseslint from "typescript-eslint";
import gatehouse from "./tools/eslint/module-boundaries.js";

export default tseslint.config(
  // src/gen: code generated from proto/ (libs/bus `npm run generate`), checked by its own test.
  { ignores: ["**/dist/**", "**/node_modules/**", "**/testdata/**", "**/src/gen/**"] },
  ...tseslint.configs.recommended,
  {
    plugins: { gatehouse },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": ["error", { allow: ["error"] }],
      // Apps import libs only, as @gatehouse/<lib>; libs never import apps (tools/eslint).
      "gatehouse/module-boundaries": "error",
    },
  },
  {
    files: ["apps/cli/**", "apps/benchmark/**", "**/*.test.ts", "libs/testing/**"],
    rules: { "no-console": "off" },
  },
);
