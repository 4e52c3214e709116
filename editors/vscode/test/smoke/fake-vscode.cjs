// A permissive fake of the `vscode` module: enough of the API is real (settings, output
// channel, commands, notifications) for the bundled extension to activate and for
// vscode-languageclient to start a server; everything else is a no-op proxy.
"use strict";

function anything(name) {
  const target = function () {};
  return new Proxy(target, {
    get(_t, prop) {
      if (prop === "then") return undefined; // not a thenable
      if (prop === Symbol.toPrimitive) return () => name;
      if (prop === Symbol.iterator) return function* () {};
      return anything(`${name}.${String(prop)}`);
    },
    apply() {
      return anything(`${name}()`);
    },
    construct() {
      return anything(`new ${name}`);
    },
  });
}

function permissive(obj, name) {
  return new Proxy(obj, { get: (t, p) => (p in t ? t[p] : anything(`${name}.${String(p)}`)) });
}

const disposable = () => ({ dispose() {} });

function createFake() {
  const state = { config: {}, events: [], commands: new Map() };
  const log = (kind) => (message) => state.events.push({ kind, message: String(message) });
  const vscode = permissive(
    {
      version: "1.91.0",
      env: permissive({ appName: "fake", language: "en", machineId: "m", sessionId: "s" }, "env"),
      window: permissive(
        {
          activeTextEditor: undefined,
          visibleTextEditors: [],
          createOutputChannel: (name) =>
            permissive(
              {
                name,
                logLevel: 2,
                info: log("info"),
                warn: log("warn"),
                error: log("error"),
                appendLine: log("line"),
                append: log("line"),
                show() {},
                dispose() {},
                onDidChangeLogLevel: disposable,
              },
              "outputChannel",
            ),
          showErrorMessage: async (message, ...items) => {
            state.events.push({ kind: "notification", message, items });
            return undefined;
          },
        },
        "window",
      ),
      workspace: permissive(
        {
          workspaceFolders: undefined,
          textDocuments: [],
          notebookDocuments: [],
          createFileSystemWatcher: () => ({ dispose() {}, onDidCreate: disposable, onDidChange: disposable, onDidDelete: disposable }),
          onDidChangeConfiguration: disposable,
          getConfiguration: (section) => ({
            get: (key, fallback) => (section === "stoffel" && key in state.config ? state.config[key] : fallback),
          }),
        },
        "workspace",
      ),
      commands: permissive(
        {
          registerCommand: (id, handler) => {
            state.commands.set(id, handler);
            return disposable();
          },
          executeCommand: async () => undefined,
        },
        "commands",
      ),
      extensions: permissive({ getExtension: () => undefined }, "extensions"),
      languages: permissive({ match: () => 0 }, "languages"),
    },
    "vscode",
  );
  return { vscode, state };
}

module.exports = { createFake };
