// A minimal stand-in for the `vscode` module, enough for src/launch.ts, src/python.ts and
// src/settings.ts. The unit-test bundle aliases `vscode` to this file (see esbuild.mjs).

type Config = Record<string, unknown>;

const state: { config: Config; pythonApi: unknown; folders: { uri: { fsPath: string } }[] | undefined } = {
  config: {},
  pythonApi: undefined,
  folders: undefined,
};

/** Sets the `stoffel.*` settings, keyed without the section, e.g. {"server.path": "/x"}. */
export function __setConfig(config: Config): void {
  state.config = config;
}

/** Installs (or, with undefined, removes) a fake ms-python.python extension API. */
export function __setPythonApi(api: unknown): void {
  state.pythonApi = api;
}

export function __setWorkspaceFolder(fsPath: string | undefined): void {
  state.folders = fsPath === undefined ? undefined : [{ uri: { fsPath } }];
}

export const workspace = {
  get workspaceFolders() {
    return state.folders;
  },
  getConfiguration(section?: string) {
    return {
      get<T>(key: string, fallback?: T): T | undefined {
        const value = state.config[key];
        if (section !== "stoffel") {
          return fallback;
        }
        return value === undefined ? fallback : (value as T);
      },
    };
  },
};

export const extensions = {
  getExtension(id: string) {
    if (id !== "ms-python.python" || state.pythonApi === undefined) {
      return undefined;
    }
    return { isActive: true, exports: state.pythonApi, activate: async () => state.pythonApi };
  },
};
