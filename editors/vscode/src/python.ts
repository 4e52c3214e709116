// Optional integration with the Python extension (ms-python.python): asks it for the
// interpreter the user selected. There is no hard dependency: when the extension is
// missing or its API is unfamiliar, every function here returns undefined.
import * as vscode from "vscode";

const PYTHON_EXTENSION_ID = "ms-python.python";

/** The parts of the Python extension API we use, typed loosely on purpose. */
interface PythonEnvironmentsApi {
  getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined;
  resolveEnvironment(
    env: { path: string } | string,
  ): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
}

interface PythonLegacySettingsApi {
  getExecutionDetails(resource?: vscode.Uri): { execCommand: string[] | undefined };
  onDidChangeExecutionDetails?: vscode.Event<unknown>;
}

interface PythonExtensionApi {
  environments?: PythonEnvironmentsApi;
  settings?: PythonLegacySettingsApi;
}

async function getApi(): Promise<PythonExtensionApi | undefined> {
  const ext = vscode.extensions.getExtension<PythonExtensionApi>(PYTHON_EXTENSION_ID);
  if (!ext) {
    return undefined;
  }
  try {
    const api = ext.isActive ? ext.exports : await ext.activate();
    return api ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * The command of the interpreter selected in the Python extension
 * (usually one element, the executable path), or undefined.
 */
export async function getSelectedInterpreter(resource?: vscode.Uri): Promise<string[] | undefined> {
  const api = await getApi();
  if (!api) {
    return undefined;
  }
  try {
    const envs = api.environments;
    if (envs && typeof envs.getActiveEnvironmentPath === "function") {
      const active = envs.getActiveEnvironmentPath(resource);
      if (active) {
        const resolved = await envs.resolveEnvironment(active);
        const exe = resolved?.executable?.uri?.fsPath;
        if (exe) {
          return [exe];
        }
      }
    }
    const legacy = api.settings;
    if (legacy && typeof legacy.getExecutionDetails === "function") {
      const cmd = legacy.getExecutionDetails(resource).execCommand;
      if (cmd && cmd.length > 0 && cmd[0]) {
        return cmd;
      }
    }
  } catch {
    // Fall through: the Python extension is optional.
  }
  return undefined;
}

/** Subscribes to interpreter changes in the Python extension, if it is installed. */
export async function onInterpreterChanged(listener: () => void): Promise<vscode.Disposable | undefined> {
  const api = await getApi();
  const event = api?.environments?.onDidChangeActiveEnvironmentPath ?? api?.settings?.onDidChangeExecutionDetails;
  if (typeof event !== "function") {
    return undefined;
  }
  try {
    return event(() => listener());
  } catch {
    return undefined;
  }
}
