import { builtinModules } from "node:module";
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// src/wire/ is bundled into the JupyterLab extension and runs in the browser: no Node module, no
// Node-only global, and nothing from the rest of src/ (which may pull Node in behind it).
const WIRE_WHY = "src/wire/ runs in the browser (the JupyterLab extension bundles it)";
const NODE_ONLY_GLOBALS = ["process", "Buffer", "require", "module", "exports", "__dirname", "__filename", "global", "setImmediate", "clearImmediate"];
const nodeBuiltin = new RegExp(`^(node:.*|${builtinModules.map((m) => m.replace(/[/]/g, "\\/")).join("|")})(\\/.*)?$`);
const wireRules = {
  "@typescript-eslint/no-restricted-imports": [
    "error",
    {
      paths: builtinModules.map((name) => ({ name, message: `${WIRE_WHY}: Node's \`${name}\` module is not there.` })),
      patterns: [
        { group: ["node:*"], message: `${WIRE_WHY}: Node built-in modules are not there.` },
        { regex: "^\\.\\./", message: `${WIRE_WHY}: import only from src/wire/ itself (\`./…\`); the rest of src/ may use Node.` },
      ],
    },
  ],
  "no-restricted-globals": [
    "error",
    ...NODE_ONLY_GLOBALS.map((name) => ({ name, message: `${WIRE_WHY}: \`${name}\` is a Node-only global.` })),
  ],
  "no-restricted-properties": [
    "error",
    ...NODE_ONLY_GLOBALS.map((property) => ({ object: "globalThis", property, message: `${WIRE_WHY}: \`${property}\` is a Node-only global.` })),
  ],
  "no-restricted-syntax": [
    "error",
    { selector: `ImportExpression[source.value=${nodeBuiltin}]`, message: `${WIRE_WHY}: Node built-in modules are not there.` },
  ],
};

export default tseslint.config(
  {
    ignores: ["**/dist/**", "**/lib/**", "**/node_modules/**", ".venv/**", "extension/lanes_jupyterlab/**", "**/*.mjs", "**/*.js"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["src/wire/**/*.ts"],
    rules: wireRules,
  },
  {
    // The extension takes from lanes only what src/wire/ compiles to: anything else may bring Node.
    // (Its tests run in Node and may compare with the kernel's own fallbacks.)
    files: ["extension/src/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { patterns: [{ regex: "^lanes(?!/dist/wire(/|$))(/|$)", message: "The extension imports from lanes only `lanes/dist/wire/…` (browser-safe, lint-checked)." }] },
      ],
    },
  },
  {
    files: ["test/**/*.ts", "bench/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      // Tests pass async task functions on purpose, with or without an await inside.
      "@typescript-eslint/require-await": "off",
    },
  },
);
