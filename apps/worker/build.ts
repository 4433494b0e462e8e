// Bundles the worker into dist/main.js: workspace packages (TypeScript source) are inlined,
// npm dependencies stay external and load from node_modules at run time.
import { build } from "esbuild";

await build({
  entryPoints: ["src/main.ts"],
  outfile: "dist/main.js",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  logLevel: "info",
  plugins: [
    {
      name: "externalise-npm-dependencies",
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith("@mirrordeck/") ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
});
