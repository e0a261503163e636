// The language server in its own process (`kni lsp --node-ipc`, forked from
// the bundled CLI) and the client that talks to it. The server decides; the
// extension host only forwards: the workspace's trust, the user's own tool
// paths (never a workspace's: a repository must not choose the program kni
// runs), and the documents VS Code syncs.
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SETTINGS_SECTION } from '../core/config/facts';
import { DID_CHANGE_TOOL_PATHS, DID_GRANT_TRUST, type KniInitializationOptions, type ToolPathsParams } from '../protocol/lsp';
import { readToolSettings } from './settings';

/** YAML and JSON in any scheme (files, untitled buffers). */
export const MANIFEST_DOCUMENTS = [{ language: 'yaml' }, { language: 'json' }];

/** The tool paths of the user's own settings, as the server takes them. */
function toolPaths(): ToolPathsParams {
  const { helmPath, kustomizePath } = readToolSettings();
  return { ...(helmPath ? { helmPath } : {}), ...(kustomizePath ? { kustomizePath } : {}) };
}

/**
 * Creates the client (not started: `start()` it). Features a middleware
 * leaves out stay with the extension host until they move to the server.
 */
export function createLanguageClient(context: vscode.ExtensionContext, middleware: LanguageClientOptions['middleware'] = {}): LanguageClient {
  const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module, args: ['lsp'], transport: TransportKind.ipc },
    debug: { module, args: ['lsp'], transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  // Read when the client starts (or restarts), so trust granted before that is not lost.
  const initializationOptions = (): KniInitializationOptions => ({ trusted: vscode.workspace.isTrusted, ...toolPaths() });
  const clientOptions: LanguageClientOptions = {
    documentSelector: MANIFEST_DOCUMENTS,
    initializationOptions,
    middleware,
    // The server registers its own file watchers and reads kni.* through workspace/configuration.
    synchronize: { configurationSection: SETTINGS_SECTION },
    outputChannelName: 'Kubernetes Network Inspector (server)',
  };
  const client = new LanguageClient('kni', 'Kubernetes Network Inspector', serverOptions, clientOptions);
  context.subscriptions.push(
    client,
    vscode.workspace.onDidGrantWorkspaceTrust(() => void whenRunning(client, () => client.sendNotification(DID_GRANT_TRUST))),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (['kni.helm.path', 'kni.kustomize.path', 'vs-kubernetes'].some((s) => e.affectsConfiguration(s))) {
        void whenRunning(client, () => client.sendNotification(DID_CHANGE_TOOL_PATHS, toolPaths()));
      }
    }),
  );
  return client;
}

/** Runs `send` now or once the starting client runs; a stopped client reads trust and tool paths again when it starts. */
async function whenRunning(client: LanguageClient, send: () => Promise<void>): Promise<void> {
  if (client.state === State.Running) return send();
  if (client.state !== State.Starting) return;
  await new Promise<void>((resolve) => {
    const sub = client.onDidChangeState((e) => {
      if (e.newState === State.Starting) return;
      sub.dispose();
      resolve();
    });
  });
  if ((client.state as State) === State.Running) await send();
}
