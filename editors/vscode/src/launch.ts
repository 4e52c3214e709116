// Decides how to launch the StoffelLang language server (no dependency on the
// language client, so it can be unit-tested with a stub `vscode` module).
//
// Order of preference:
//   1. `stoffel.server.path`        -> <path> [args]
//   2. `stoffel.server.pythonPath`  -> <python> -m stoffel.lsp [args]
//   3. the Python extension's selected interpreter, if it can import stoffel.lsp
//   4. `stoffel-lsp` found on PATH
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as vscode from "vscode";
import { getSelectedInterpreter } from "./python";
import { SETTING_PATH, SETTING_PYTHON, type ServerSettings } from "./settings";

export const SERVER_EXECUTABLE = "stoffel-lsp";
export const SERVER_MODULE = "stoffel.lsp";

export type LaunchSource = "server.path" | "server.pythonPath" | "python-extension" | "PATH";

export interface Launch {
  command: string;
  args: string[];
  source: LaunchSource;
  /** The setting a user should change when this launch fails. */
  setting: string;
}

/** A launch that cannot work; `message` says what is wrong and which setting to fix. */
export class LaunchError extends Error {
  constructor(
    message: string,
    readonly setting: string,
  ) {
    super(message);
    this.name = "LaunchError";
  }
}

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    if (process.platform !== "win32") {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

/** Resolves a command the way a shell would: a path is checked as is, a bare name is looked up on PATH. */
export function findExecutable(command: string): string | undefined {
  if (command.length === 0) {
    return undefined;
  }
  const exts =
    process.platform === "win32"
      ? ["", ...(process.env.PATHEXT ?? ".EXE;.CMD;.BAT;.COM").split(";").filter((e) => e.length > 0)]
      : [""];
  if (command.includes("/") || command.includes("\\") || path.isAbsolute(command)) {
    for (const ext of exts) {
      if (isExecutableFile(command + ext)) {
        return command + ext;
      }
    }
    return undefined;
  }
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir.length === 0) {
      continue;
    }
    for (const ext of exts) {
      const candidate = path.join(dir, command + ext);
      if (isExecutableFile(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

type ProbeResult = "ok" | "missing-module" | "no-interpreter";

const PROBE_CODE = [
  "import sys",
  "try:",
  "  import importlib.util",
  `  found = importlib.util.find_spec('${SERVER_MODULE}.__main__') is not None`,
  "except Exception:",
  "  found = False",
  "sys.exit(0 if found else 3)",
].join("\n");

/** Checks that `interpreter` runs and can import stoffel.lsp (a timeout counts as ok). */
function probeInterpreter(interpreter: string[]): Promise<ProbeResult> {
  return new Promise((resolve) => {
    execFile(
      interpreter[0],
      [...interpreter.slice(1), "-c", PROBE_CODE],
      { timeout: 15000, windowsHide: true },
      (error) => {
        if (!error) {
          resolve("ok");
          return;
        }
        const err = error as NodeJS.ErrnoException & { code?: string | number; killed?: boolean };
        if (err.killed) {
          resolve("ok");
        } else if (typeof err.code === "string") {
          resolve("no-interpreter"); // ENOENT, EACCES, ...
        } else {
          resolve("missing-module");
        }
      },
    );
  });
}

/** Works out the server command from the settings; throws LaunchError with a fix-it message. */
export async function resolveLaunch(
  settings: ServerSettings,
  log: (line: string) => void,
  resource?: vscode.Uri,
): Promise<Launch> {
  if (settings.path) {
    const exe = findExecutable(settings.path);
    if (!exe) {
      throw new LaunchError(
        `The StoffelLang language server "${settings.path}" was not found or is not executable. ` +
          `Fix the "${SETTING_PATH}" setting (or clear it to use "${SETTING_PYTHON}" or "${SERVER_EXECUTABLE}" on PATH).`,
        SETTING_PATH,
      );
    }
    return { command: exe, args: [...settings.args], source: "server.path", setting: SETTING_PATH };
  }

  if (settings.pythonPath) {
    const probe = await probeInterpreter([settings.pythonPath]);
    if (probe === "no-interpreter") {
      throw new LaunchError(
        `The Python interpreter "${settings.pythonPath}" could not be run. Fix the "${SETTING_PYTHON}" setting.`,
        SETTING_PYTHON,
      );
    }
    if (probe === "missing-module") {
      throw new LaunchError(
        `The Python interpreter "${settings.pythonPath}" cannot run "python -m ${SERVER_MODULE}": ` +
          `the stoffel package (with its language server) is not installed in it. ` +
          `Install it (${settings.pythonPath} -m pip install stoffel) or point "${SETTING_PYTHON}" at an environment that has it.`,
        SETTING_PYTHON,
      );
    }
    return {
      command: settings.pythonPath,
      args: ["-m", SERVER_MODULE, ...settings.args],
      source: "server.pythonPath",
      setting: SETTING_PYTHON,
    };
  }

  const notes: string[] = [];
  const interpreter = await getSelectedInterpreter(resource);
  if (interpreter) {
    const probe = await probeInterpreter(interpreter);
    if (probe === "ok") {
      return {
        command: interpreter[0],
        args: [...interpreter.slice(1), "-m", SERVER_MODULE, ...settings.args],
        source: "python-extension",
        setting: SETTING_PYTHON,
      };
    }
    const shown = interpreter.join(" ");
    log(`Selected Python interpreter ${shown} cannot run ${SERVER_MODULE} (${probe}); trying ${SERVER_EXECUTABLE} on PATH.`);
    notes.push(`the selected Python interpreter (${shown}) cannot run "python -m ${SERVER_MODULE}"`);
  }

  const onPath = findExecutable(SERVER_EXECUTABLE);
  if (onPath) {
    return { command: onPath, args: [...settings.args], source: "PATH", setting: SETTING_PATH };
  }
  notes.push(`"${SERVER_EXECUTABLE}" is not on PATH`);
  throw new LaunchError(
    `Cannot start the StoffelLang language server: ${notes.join(" and ")}. ` +
      `Install the stoffel package (pip install stoffel), then set "${SETTING_PATH}" to the ${SERVER_EXECUTABLE} ` +
      `executable or "${SETTING_PYTHON}" to a Python interpreter that has it.`,
    SETTING_PATH,
  );
}

export function describeLaunch(launch: Launch): string {
  return [launch.command, ...launch.args].join(" ");
}
