// Tokenizes StoffelLang files with the extension's grammar and fails if any token
// gets an `invalid.*` scope. Used to check that valid programs (the test corpus and
// the stdlib) highlight cleanly:  node test/corpus.mjs FILE_OR_DIR...
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const here = dirname(fileURLToPath(import.meta.url));
const grammarPath = join(here, "..", "syntaxes", "stoffel.tmLanguage.json");
const wasm = readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));

function collect(path, out) {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      collect(join(path, name), out);
    }
  } else if (path.endsWith(".stfl")) {
    out.push(path);
  }
  return out;
}

const files = process.argv.slice(2).flatMap((p) => collect(p, []));
if (files.length === 0) {
  console.error("usage: node test/corpus.mjs FILE_OR_DIR...");
  process.exit(2);
}

await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
const registry = new vsctm.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s) => new oniguruma.OnigString(s),
  }),
  loadGrammar: async (scopeName) =>
    scopeName === "source.stoffel" ? vsctm.parseRawGrammar(readFileSync(grammarPath, "utf8"), grammarPath) : null,
});
const grammar = await registry.loadGrammar("source.stoffel");

let problems = 0;
let lines = 0;
for (const file of files) {
  let stack = vsctm.INITIAL;
  readFileSync(file, "utf8")
    .split(/\r?\n/)
    .forEach((line, i) => {
      const { tokens, ruleStack } = grammar.tokenizeLine(line, stack);
      stack = ruleStack;
      lines += 1;
      for (const t of tokens) {
        const bad = t.scopes.find((s) => s.startsWith("invalid."));
        if (bad) {
          problems += 1;
          const text = line.slice(t.startIndex, t.endIndex);
          console.log(`${file}:${i + 1}:${t.startIndex + 1}: ${JSON.stringify(text)} has ${bad}`);
        }
      }
    });
}
console.log(`${files.length} files, ${lines} lines, ${problems} invalid tokens`);
process.exit(problems === 0 ? 0 : 1);
