// The language server in its own process (`kni lsp --node-ipc`, forked from
// the bundled CLI) and the client that talks to it. The server decides; the
// extension host only forwards: the workspace's trust, the user's own tool
// paths (never a workspace's: a repository must not choose the program kni
// runs), and the documents VS Code syncs.
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type Location as LspLocation, type Position as LspPosition, type ServerOptions } from 'vscode-languageclient/node';
import { DID_CHANGE_TOOL_PATHS, DID_GRANT_TRUST, SHOW_WORKLOADS_COMMAND, type KniInitializationOptions, type ToolPathsParams } from '../protocol/lsp';
import { readToolSettings } from './settings';

/** YAML and JSON in any scheme (files, untitled buffers). */
export const MANIFEST_DOCUMENTS = [{ language: 'yaml' }, { language: 'json' }];

/** The tool paths of the user's own settings, as the server takes them. */
function toolPaths(): ToolPathsParams {
  const { helmPath, kustomizePath, kubernetesExtension } = readToolSettings();
  return { ...(helmPath ? { helmPath } : {}), ...(kustomizePath ? { kustomizePath } : {}), ...(kubernetesExtension ? { kubernetesExtension } : {}) };
}

/** Creates the client (not started: `start()` it); the middleware observes what arrives (the editor's timings). */
export function createLanguageClient(context: vscode.ExtensionContext, middleware: LanguageClientOptions['middleware'] = {}): LanguageClient {
  const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module, args: ['lsp'], transport: TransportKind.ipc },
    debug: { module, args: ['lsp'], transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  // Read when the client starts (or restarts), so trust granted before that is not lost.
  // Notices come as kni/notice: the extension shows them with its own buttons (Manage Workspace Trust, Install, Set the path).
  const initializationOptions = (): KniInitializationOptions => ({ trusted: vscode.workspace.isTrusted, untrustedWords: 'in Restricted Mode', notices: true, themeIcons: true, commands: [SHOW_WORKLOADS_COMMAND], ...toolPaths() });
  const clientOptions: LanguageClientOptions = {
    documentSelector: MANIFEST_DOCUMENTS,
    initializationOptions,
    middleware,
    // The server registers its own file watchers and the settings it follows (kni.*, files.exclude), which it reads through workspace/configuration.
    outputChannelName: 'Kubernetes Network Inspector (server)',
    markdown: { supportThemeIcons: true },
  };
  const client = new LanguageClient('kni', 'Kubernetes Network Inspector', serverOptions, clientOptions);
  context.subscriptions.push(
    client,
    // A Service's "3 pods · 1 workload" lens: peek at the workloads it selects.
    vscode.commands.registerCommand(SHOW_WORKLOADS_COMMAND, (uri: string, position: LspPosition, locations: LspLocation[]) =>
      vscode.commands.executeCommand(
        'editor.action.showReferences',
        vscode.Uri.parse(uri),
        client.protocol2CodeConverter.asPosition(position),
        locations.map((l) => client.protocol2CodeConverter.asLocation(l)),
      ),
    ),
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
