// Builds the LanguageClient for a resolved launch (see launch.ts).
import * as vscode from "vscode";
import {
  CloseAction,
  type CloseHandlerResult,
  ErrorAction,
  type ErrorHandler,
  type ErrorHandlerResult,
  type Executable,
  LanguageClient,
  type LanguageClientOptions,
  RevealOutputChannelOn,
} from "vscode-languageclient/node";
import { describeLaunch, type Launch } from "./launch";

export const CLIENT_ID = "stoffel";
export const CLIENT_NAME = "StoffelLang Language Server";

/**
 * Restarts a crashed server a few times, then gives up with a message that names the
 * setting to check (the default handler's message does not).
 */
class StoffelErrorHandler implements ErrorHandler {
  private readonly restarts: number[] = [];

  constructor(private readonly launch: Launch) {}

  error(): ErrorHandlerResult {
    return { action: ErrorAction.Continue };
  }

  closed(): CloseHandlerResult {
    const now = Date.now();
    this.restarts.push(now);
    while (this.restarts.length > 0 && now - this.restarts[0] > 3 * 60 * 1000) {
      this.restarts.shift();
    }
    if (this.restarts.length <= 4) {
      return { action: CloseAction.Restart };
    }
    return {
      action: CloseAction.DoNotRestart,
      message:
        `The StoffelLang language server (${describeLaunch(this.launch)}) crashed 5 times in 3 minutes and will not be restarted. ` +
        `See the output channel, check the "${this.launch.setting}" setting, then run "Stoffel: Restart Language Server".`,
    };
  }
}

/**
 * `watcher` (for `.stfl` files, so the server sees changes to imported modules) is owned by
 * the caller: the client does not dispose it, so one watcher is shared across restarts.
 */
export function createClient(
  launch: Launch,
  output: vscode.LogOutputChannel,
  watcher: vscode.FileSystemWatcher,
): LanguageClient {
  const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const executable: Executable = {
    command: launch.command,
    args: launch.args,
    options: { cwd, env: { ...process.env, PYTHONUNBUFFERED: "1" } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "stoffel" },
      { scheme: "untitled", language: "stoffel" },
    ],
    outputChannel: output,
    traceOutputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler: new StoffelErrorHandler(launch),
    synchronize: {
      fileEvents: watcher,
    },
    initializationOptions: { launchSource: launch.source },
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, { run: executable, debug: executable }, clientOptions);
}
