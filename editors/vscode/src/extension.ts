// Entry point of the StoffelLang VS Code extension: owns the output channel, the
// language client and the "Stoffel: Restart Language Server" command.
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { onInterpreterChanged } from "./python";
import { describeLaunch, LaunchError, resolveLaunch } from "./launch";
import { CLIENT_NAME, createClient } from "./server";
import { affectsServer, getServerSettings, SETTING_PATH } from "./settings";

export const RESTART_COMMAND = "stoffel.restartServer";

class ServerManager implements vscode.Disposable {
  private client: LanguageClient | undefined;
  /** Start/stop requests run one after another. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly output: vscode.LogOutputChannel,
    private readonly watcher: vscode.FileSystemWatcher,
  ) {}

  restart(reason: string): Promise<void> {
    this.queue = this.queue.then(async () => {
      await this.stopNow();
      await this.startNow(reason);
    });
    return this.queue;
  }

  stop(): Promise<void> {
    this.queue = this.queue.then(() => this.stopNow());
    return this.queue;
  }

  dispose(): void {
    void this.stop();
  }

  private log(line: string): void {
    this.output.info(line);
  }

  private async startNow(reason: string): Promise<void> {
    const settings = getServerSettings();
    let launchSetting = SETTING_PATH;
    try {
      const resource = vscode.window.activeTextEditor?.document.uri;
      const launch = await resolveLaunch(settings, (line) => this.log(line), resource);
      launchSetting = launch.setting;
      this.log(`Starting ${CLIENT_NAME} (${reason}) via ${launch.source}: ${describeLaunch(launch)}`);
      const client = createClient(launch, this.output, this.watcher);
      this.client = client;
      await client.start();
      this.log("Language server started.");
    } catch (error) {
      const client = this.client;
      this.client = undefined;
      if (client) {
        try {
          await client.dispose(2000);
        } catch {
          // already stopped
        }
      }
      const setting = error instanceof LaunchError ? error.setting : launchSetting;
      const detail = error instanceof Error ? error.message : String(error);
      const message =
        error instanceof LaunchError
          ? error.message
          : `The StoffelLang language server failed to start: ${detail}. Check the "${setting}" setting.`;
      this.output.error(message);
      void this.notifyFailure(message, setting);
    }
  }

  private async stopNow(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) {
      return;
    }
    try {
      await client.dispose(2000);
    } catch (error) {
      this.log(`Stopping the language server failed: ${String(error)}`);
    }
  }

  private async notifyFailure(message: string, setting: string): Promise<void> {
    const openSettings = "Open Settings";
    const showOutput = "Show Output";
    const choice = await vscode.window.showErrorMessage(message, openSettings, showOutput);
    if (choice === openSettings) {
      await vscode.commands.executeCommand("workbench.action.openSettings", setting);
    } else if (choice === showOutput) {
      this.output.show(true);
    }
  }
}

let manager: ServerManager | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  const watcher = vscode.workspace.createFileSystemWatcher("**/*.stfl");
  const mgr = new ServerManager(output, watcher);
  manager = mgr;
  context.subscriptions.push(
    output,
    watcher,
    mgr,
    vscode.commands.registerCommand(RESTART_COMMAND, () => mgr.restart("restart command")),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsServer(event)) {
        void mgr.restart("settings changed");
      }
    }),
  );
  // Start without blocking activation. Afterwards follow interpreter changes in the
  // Python extension (if installed); they matter only while neither
  // stoffel.server.path nor stoffel.server.pythonPath is set.
  void mgr.restart("activation").then(async () => {
    const interpreterWatch = await onInterpreterChanged(() => {
      const s = getServerSettings();
      if (!s.path && !s.pythonPath) {
        void mgr.restart("Python interpreter changed");
      }
    });
    if (interpreterWatch) {
      context.subscriptions.push(interpreterWatch);
    }
  });
}

export async function deactivate(): Promise<void> {
  const mgr = manager;
  manager = undefined;
  if (mgr) {
    await mgr.stop();
  }
}
