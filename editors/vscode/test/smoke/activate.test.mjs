// Smoke test of the bundled extension (dist/extension.js): activate it against a fake
// `vscode` module and check that it starts a (fake) server over stdio, restarts it on
// command, and reports a missing server with the settings to fix.
// Run after `npm run compile`:  node --test test/smoke/
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import Module from "node:module";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const bundle = join(here, "..", "..", "dist", "extension.js");
const fakeServer = join(here, "fake-server.mjs");
const { createFake } = require("./fake-vscode.cjs");

const fake = createFake();
const originalLoad = Module._load;
const originalPath = process.env.PATH;

async function waitFor(predicate, what, ms = 10000) {
  const start = Date.now();
  while (Date.now() - start < ms) {
    if (predicate()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`timed out waiting for ${what}; events: ${JSON.stringify(fake.state.events, null, 1)}`);
}

const messages = (kind) => fake.state.events.filter((e) => e.kind === kind).map((e) => e.message);

describe("bundled extension", { skip: process.platform === "win32" ? "POSIX shebang server" : false }, () => {
  let ext;
  const context = { subscriptions: [] };

  before(() => {
    Module._load = function (request, ...rest) {
      return request === "vscode" ? fake.vscode : originalLoad.call(this, request, ...rest);
    };
    ext = require(bundle);
  });

  after(async () => {
    await ext.deactivate();
    Module._load = originalLoad;
    process.env.PATH = originalPath;
  });

  it("starts stoffel.server.path over stdio with stoffel.server.args", async () => {
    fake.state.config = { "server.path": fakeServer, "server.args": ["--flag"] };
    ext.activate(context);
    assert.ok(fake.state.commands.has("stoffel.restartServer"));
    await waitFor(() => messages("info").includes("Language server started."), "server start");
    // The client forwards the server's stderr to the output channel.
    await waitFor(
      () => fake.state.events.some((e) => e.message.includes('initialized args=["--flag"]')),
      "server stderr in the output channel",
    );
    assert.match(messages("info").join("\n"), /via server\.path: .*fake-server\.mjs --flag/);
    assert.deepEqual(messages("notification"), []);
  });

  it("restarts on the Stoffel: Restart Language Server command", async () => {
    await fake.state.commands.get("stoffel.restartServer")();
    assert.equal(messages("info").filter((m) => m === "Language server started.").length, 2);
    assert.match(messages("info").join("\n"), /\(restart command\)/);
  });

  it("reports a missing server and names the settings to fix", async () => {
    fake.state.config = {};
    process.env.PATH = join(here, "no-such-dir");
    await fake.state.commands.get("stoffel.restartServer")();
    const [note] = fake.state.events.filter((e) => e.kind === "notification");
    assert.ok(note, "expected an error notification");
    assert.match(note.message, /"stoffel-lsp" is not on PATH/);
    assert.match(note.message, /stoffel\.server\.path/);
    assert.match(note.message, /stoffel\.server\.pythonPath/);
    assert.deepEqual(note.items, ["Open Settings", "Show Output"]);
  });
});
