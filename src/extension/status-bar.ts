// The status bar item: where the model comes from and how many problems it
// has; a click opens the inspector.
import * as vscode from 'vscode';
import type { Diagnostics } from './diagnostics';
import type { WorkspaceIndex } from './workspace-index';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('kni.status', vscode.StatusBarAlignment.Left, 10);
  private readonly disposables: vscode.Disposable[] = [this.item];

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly diagnostics: Diagnostics,
  ) {
    this.item.name = 'Kubernetes Network Inspector';
    this.item.command = { command: 'kni.openInspector', title: 'Open Network Inspector' };
    this.disposables.push(diagnostics.onDidPublish(() => this.render()));
    this.render();
    this.item.show();
  }

  private render(): void {
    const { error, warning, info } = this.diagnostics.counts;
    const files = this.index.fileCount;
    this.item.text = `$(server-environment) KNI: workspace $(error) ${error} $(warning) ${warning}`;
    const tip = new vscode.MarkdownString(
      `**Kubernetes Network Inspector**\n\nSource: the workspace's manifests (${files} file${files === 1 ? '' : 's'})\n\n` +
        `${error} error${error === 1 ? '' : 's'}, ${warning} warning${warning === 1 ? '' : 's'}, ${info} info\n\nClick to open the Network Inspector.`,
    );
    this.item.tooltip = tip;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
