import type { CodegenConfig } from "@graphql-codegen/cli";

// The committed contract (../schema.graphql) types every operation in src/**/*.graphql.
// GENERATED_DIR lets scripts/check-codegen.mjs regenerate elsewhere and compare.
const out = process.env.GENERATED_DIR ?? "src/generated/";

const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["src/**/*.graphql"],
  ignoreNoDocuments: false,
  generates: {
    [out]: {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: { DateTime: "string", DateOnly: "string" },
      },
    },
  },
};
export default config;
