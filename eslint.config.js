// One lint configuration for every project: typescript-eslint's recommended rules,
// plus the few habits from STYLE.md that a linter can check.
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/testdata/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": ["error", { allow: ["error"] }],
    },
  },
  {
    files: ["apps/cli/**", "apps/benchmark/**", "**/*.test.ts", "libs/testing/**"],
    rules: { "no-console": "off" },
  },
);
