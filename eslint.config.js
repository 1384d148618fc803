// One lint setup for every TypeScript package (flat config).
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", ".stack/**", "training/**", "**/*.js"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": [
        "error",
        { selector: "ExportAllDeclaration", message: "Name what a module exports (no `export *`)." },
      ],
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@seqlane/*/src/*", "@seqlane/*/dist/*"], message: "Import a package's public API, not its files." }] },
      ],
    },
  },
);
