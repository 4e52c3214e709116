// Unit tests for how the extension finds the language server (src/launch.ts).
// Run with `npm run test:unit` (bundled by esbuild with `vscode` aliased to a stub).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { findExecutable, LaunchError, resolveLaunch } from "../../src/launch";
import { expandVariables, getServerSettings, SETTING_PATH, SETTING_PYTHON } from "../../src/settings";
import { __setConfig, __setPythonApi, __setWorkspaceFolder } from "./vscode-stub";

const isWindows = process.platform === "win32";
/** The real interpreter behind `python3` (pyenv shims need PATH, which these tests replace). */
function realPython(): string | undefined {
  const found = ["python3", "python"].map((p) => findExecutable(p)).find((p) => p !== undefined);
  if (!found) {
    return undefined;
  }
  try {
    return execFileSync(found, ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}
const python = realPython();

let tmp: string;
let fakeServer: string;
let fakePackageRoot: string;
const savedPath = process.env.PATH;
const savedPythonPath = process.env.PYTHONPATH;
const noLog = (): void => undefined;

function writeExecutable(file: string): void {
  fs.writeFileSync(file, "#!/bin/sh\nexit 0\n");
  fs.chmodSync(file, 0o755);
}

function expectLaunchError(setting: string, pattern: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof LaunchError, `expected LaunchError, got ${String(error)}`);
    assert.equal(error.setting, setting);
    assert.match(error.message, pattern);
    return true;
  };
}

describe("resolveLaunch", { skip: isWindows ? "POSIX-only fixtures" : false }, () => {
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "stoffel-vscode-"));
    fs.mkdirSync(path.join(tmp, "bin"));
    fakeServer = path.join(tmp, "bin", "stoffel-lsp");
    writeExecutable(fakeServer);
    // An importable fake `stoffel.lsp` package, for the interpreter probe.
    fakePackageRoot = path.join(tmp, "site");
    fs.mkdirSync(path.join(fakePackageRoot, "stoffel", "lsp"), { recursive: true });
    fs.writeFileSync(path.join(fakePackageRoot, "stoffel", "__init__.py"), "");
    fs.writeFileSync(path.join(fakePackageRoot, "stoffel", "lsp", "__init__.py"), "");
    fs.writeFileSync(path.join(fakePackageRoot, "stoffel", "lsp", "__main__.py"), "");
  });

  after(() => {
    process.env.PATH = savedPath;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  beforeEach(() => {
    __setPythonApi(undefined);
    __setConfig({});
    process.env.PATH = path.join(tmp, "empty-dir");
    if (savedPythonPath === undefined) {
      delete process.env.PYTHONPATH;
    } else {
      process.env.PYTHONPATH = savedPythonPath;
    }
  });

  it("uses stoffel.server.path first, with stoffel.server.args", async () => {
    process.env.PATH = path.join(tmp, "bin");
    const launch = await resolveLaunch({ path: fakeServer, pythonPath: "/nope/python", args: ["--log", "x"] }, noLog);
    assert.deepEqual(launch, { command: fakeServer, args: ["--log", "x"], source: "server.path", setting: SETTING_PATH });
  });

  it("reports a missing stoffel.server.path and names the setting", async () => {
    await assert.rejects(
      resolveLaunch({ path: path.join(tmp, "missing-lsp"), pythonPath: "", args: [] }, noLog),
      expectLaunchError(SETTING_PATH, /stoffel\.server\.path/),
    );
  });

  it("runs <pythonPath> -m stoffel.lsp when the interpreter has the package", { skip: !python }, async () => {
    process.env.PYTHONPATH = fakePackageRoot;
    const launch = await resolveLaunch({ path: "", pythonPath: python!, args: ["-v"] }, noLog);
    assert.equal(launch.command, python);
    assert.deepEqual(launch.args, ["-m", "stoffel.lsp", "-v"]);
    assert.equal(launch.source, "server.pythonPath");
  });

  it("rejects a stoffel.lsp package that cannot run with -m (no __main__)", { skip: !python }, async () => {
    const root = path.join(tmp, "site-no-main");
    fs.mkdirSync(path.join(root, "stoffel", "lsp"), { recursive: true });
    fs.writeFileSync(path.join(root, "stoffel", "__init__.py"), "");
    fs.writeFileSync(path.join(root, "stoffel", "lsp", "__init__.py"), "");
    process.env.PYTHONPATH = root;
    await assert.rejects(
      resolveLaunch({ path: "", pythonPath: python!, args: [] }, noLog),
      expectLaunchError(SETTING_PYTHON, /cannot run "python -m stoffel\.lsp"/),
    );
  });

  it("explains a pythonPath without the stoffel package", { skip: !python }, async () => {
    process.env.PYTHONPATH = path.join(tmp, "empty-dir");
    await assert.rejects(
      resolveLaunch({ path: "", pythonPath: python!, args: [] }, noLog),
      expectLaunchError(SETTING_PYTHON, /cannot run "python -m stoffel\.lsp"/),
    );
  });

  it("explains a pythonPath that cannot run", async () => {
    await assert.rejects(
      resolveLaunch({ path: "", pythonPath: path.join(tmp, "no-such-python"), args: [] }, noLog),
      expectLaunchError(SETTING_PYTHON, /could not be run/),
    );
  });

  it("uses the Python extension's interpreter when it has the package", { skip: !python }, async () => {
    process.env.PYTHONPATH = fakePackageRoot;
    process.env.PATH = path.join(tmp, "bin"); // the interpreter wins over PATH
    __setPythonApi({
      environments: {
        getActiveEnvironmentPath: () => ({ path: python! }),
        resolveEnvironment: async () => ({ executable: { uri: { fsPath: python! } } }),
      },
    });
    const launch = await resolveLaunch({ path: "", pythonPath: "", args: [] }, noLog);
    assert.equal(launch.source, "python-extension");
    assert.deepEqual([launch.command, ...launch.args], [python, "-m", "stoffel.lsp"]);
  });

  it("supports the Python extension's legacy execution-details API", { skip: !python }, async () => {
    process.env.PYTHONPATH = fakePackageRoot;
    __setPythonApi({ settings: { getExecutionDetails: () => ({ execCommand: [python!] }) } });
    const launch = await resolveLaunch({ path: "", pythonPath: "", args: [] }, noLog);
    assert.equal(launch.source, "python-extension");
  });

  it("falls back to stoffel-lsp on PATH when the selected interpreter lacks the package", { skip: !python }, async () => {
    process.env.PYTHONPATH = path.join(tmp, "empty-dir");
    process.env.PATH = path.join(tmp, "bin");
    __setPythonApi({ settings: { getExecutionDetails: () => ({ execCommand: [python!] }) } });
    const lines: string[] = [];
    const launch = await resolveLaunch({ path: "", pythonPath: "", args: [] }, (l) => lines.push(l));
    assert.deepEqual(launch, { command: fakeServer, args: [], source: "PATH", setting: SETTING_PATH });
    assert.match(lines.join("\n"), /cannot run stoffel\.lsp/);
  });

  it("uses stoffel-lsp on PATH without the Python extension", async () => {
    process.env.PATH = [path.join(tmp, "empty-dir"), path.join(tmp, "bin")].join(path.delimiter);
    const launch = await resolveLaunch({ path: "", pythonPath: "", args: [] }, noLog);
    assert.equal(launch.command, fakeServer);
    assert.equal(launch.source, "PATH");
  });

  it("names both settings when nothing is found", async () => {
    await assert.rejects(
      resolveLaunch({ path: "", pythonPath: "", args: [] }, noLog),
      expectLaunchError(SETTING_PATH, /"stoffel-lsp" is not on PATH.*stoffel\.server\.path.*stoffel\.server\.pythonPath/),
    );
  });
});

describe("settings", () => {
  it("reads stoffel.server.* with defaults", () => {
    __setConfig({});
    assert.deepEqual(getServerSettings(), { path: "", pythonPath: "", args: [] });
    __setConfig({ "server.path": " /opt/stoffel-lsp ", "server.args": ["--a", 3, "--b"] });
    assert.deepEqual(getServerSettings(), { path: "/opt/stoffel-lsp", pythonPath: "", args: ["--a", "--b"] });
  });

  it("expands ~, ${userHome}, ${workspaceFolder} and ${env:NAME}", () => {
    __setWorkspaceFolder("/ws");
    process.env.STOFFEL_TEST_VAR = "v";
    assert.equal(expandVariables("~/x"), path.join(os.homedir(), "x"));
    assert.equal(expandVariables("${userHome}/y"), `${os.homedir()}/y`);
    assert.equal(expandVariables("${workspaceFolder}/.venv/bin/python"), "/ws/.venv/bin/python");
    assert.equal(expandVariables("${env:STOFFEL_TEST_VAR}"), "v");
    assert.equal(expandVariables("${unknown}"), "${unknown}");
    __setWorkspaceFolder(undefined);
  });
});
