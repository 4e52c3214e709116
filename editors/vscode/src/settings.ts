// Reads the `stoffel.*` settings that decide how the language server is launched.
import * as os from "node:os";
import * as vscode from "vscode";

export const SECTION = "stoffel";

/** Setting keys (full names), used in messages and for "Open Settings" links. */
export const SETTING_PATH = "stoffel.server.path";
export const SETTING_PYTHON = "stoffel.server.pythonPath";
export const SETTING_ARGS = "stoffel.server.args";

export interface ServerSettings {
  /** Explicit `stoffel-lsp` executable; empty when unset. */
  path: string;
  /** Interpreter for `<pythonPath> -m stoffel.lsp`; empty when unset. */
  pythonPath: string;
  /** Extra arguments for the server. */
  args: string[];
}

/** Expands `~`, `${userHome}`, `${workspaceFolder}` and `${env:NAME}` in a setting value. */
export function expandVariables(value: string, workspaceFolder?: vscode.WorkspaceFolder): string {
  let out = value.trim();
  if (out === "~" || out.startsWith("~/") || out.startsWith("~\\")) {
    out = os.homedir() + out.slice(1);
  }
  const folder = workspaceFolder ?? vscode.workspace.workspaceFolders?.[0];
  return out.replace(/\$\{([^}]+)\}/g, (whole: string, name: string): string => {
    if (name === "userHome") {
      return os.homedir();
    }
    if (name === "workspaceFolder" || name === "workspaceRoot") {
      return folder ? folder.uri.fsPath : whole;
    }
    if (name.startsWith("env:")) {
      return process.env[name.slice(4)] ?? "";
    }
    return whole;
  });
}

export function getServerSettings(): ServerSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const rawArgs = config.get<unknown>("server.args", []);
  const args = Array.isArray(rawArgs)
    ? rawArgs.filter((a): a is string => typeof a === "string").map((a) => expandVariables(a))
    : [];
  return {
    path: expandVariables(config.get<string>("server.path", "") ?? ""),
    pythonPath: expandVariables(config.get<string>("server.pythonPath", "") ?? ""),
    args,
  };
}

/** True when a configuration change should restart the server. */
export function affectsServer(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(`${SECTION}.server`);
}
