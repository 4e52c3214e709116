// Bundles src/extension.ts (and vscode-languageclient) into dist/extension.js.
// With --tests, bundles the unit tests into out/test/ with `vscode` replaced by a stub.
import * as esbuild from "esbuild";
import { rmSync } from "node:fs";

const production = process.argv.includes("--production");
const tests = process.argv.includes("--tests");

const common = {
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  sourcesContent: false,
  logLevel: "warning",
};

if (tests) {
  await esbuild.build({
    ...common,
    entryPoints: ["test/unit/launch.test.ts"],
    outdir: "out/test",
    alias: { vscode: "./test/unit/vscode-stub.ts" },
    sourcemap: "inline",
  });
} else {
  if (production) {
    rmSync("dist/extension.js.map", { force: true }); // stale map from a dev build
  }
  await esbuild.build({
    ...common,
    entryPoints: ["src/extension.ts"],
    outfile: "dist/extension.js",
    external: ["vscode"],
    minify: production,
    sourcemap: !production,
  });
}
