// The status bar item: where the model comes from (the workspace, or
// "⎈ <context>" with the connection's state) and how many problems it has; a
// click opens the inspector.
import * as vscode from 'vscode';
import type { ClusterController } from './cluster/controller';
import { renderStatus, type RenderStatus } from '../core/workspace/render-status';
import type { EditorState } from './editor-state';
import { describeUnread } from '../core/model/unread';
import type { UnreadResource } from '../core/model/types';
import { terminalSafe } from '../view-model/terminal-safe';

const STATE_ICON: Record<string, string> = { connecting: '$(sync~spin)', synced: '', degraded: '$(debug-disconnect)', error: '$(error)' };

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('kni.status', vscode.StatusBarAlignment.Left, 10);
  private readonly disposables: vscode.Disposable[] = [this.item];
  /** The workspace tooltip's text as last set (undefined while a cluster's is shown). */
  private shownTooltip: string | undefined;

  /** @param editor the server's index: counts and renders */
  constructor(
    private readonly editor: EditorState,
    private readonly cluster?: ClusterController,
  ) {
    this.item.name = 'Kubernetes Network Inspector';
    this.item.command = { command: 'kni.openInspector', title: 'Open Network Inspector' };
    this.disposables.push(editor.onDidChange(() => this.render()));
    if (cluster) this.disposables.push(cluster.onDidChange(() => this.render()));
    this.render();
    this.item.show();
  }

  get text(): string {
    return this.item.text;
  }

  private render(): void {
    const state = this.editor.state;
    const workspace = state?.problems ?? { error: 0, warning: 0, info: 0 };
    const files = state?.files ?? 0;
    const objects = state?.objects ?? 0;
    const filesLine = `the workspace's manifests (${files} file${files === 1 ? '' : 's'}, ${objects} object${objects === 1 ? '' : 's'}): ${countsText(workspace)}`;
    const connection = this.cluster?.connection();
    const renders = this.renderStatus();
    const rendersText = renders.short === '' ? '' : ` ${RENDER_ICON[renders.worst]} ${renders.short}`;
    const rendersTooltip = renders.lines.length === 0 ? '' : `\n\nRenders (**[show one in the inspector](command:kni.showRenderInInspector)**):\n\n${renders.lines.map((l) => `- ${escape(l)}`).join('\n')}${renders.worst === 'tool-missing' || renders.worst === 'failed' ? '\n\nThe Problems panel has the details (render-tool-missing, render-failed).' : ''}`;
    if (!connection) {
      const text = `$(server-environment) KNI: workspace $(error) ${workspace.error} $(warning) ${workspace.warning}${rendersText}`;
      const tooltip = `**Kubernetes Network Inspector**\n\nSource: ${filesLine}${rendersTooltip}\n\nClick to open the Network Inspector.`;
      // Every assignment is a message to the workbench; most keystrokes change no count.
      if (text === this.item.text && tooltip === this.shownTooltip) return;
      this.shownTooltip = tooltip;
      this.item.text = text;
      const md = new vscode.MarkdownString(tooltip);
      md.isTrusted = { enabledCommands: ['kni.showRenderInInspector'] };
      this.item.tooltip = md;
      this.item.backgroundColor = renders.worst === 'failed' || renders.worst === 'tool-missing' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
      return;
    }
    this.shownTooltip = undefined;
    // Names and messages from a kubeconfig or an API server: control characters and bidi overrides shown.
    const { namespaces, status, unread } = connection;
    const context = terminalSafe(connection.context);
    // Before the first sync the cluster has no findings to count yet.
    const counts = this.cluster?.counts();
    const icon = STATE_ICON[status.state] ?? '';
    // A partial read is no clean result: the state says so beside the counts.
    const partial = unread.length > 0 && status.state === 'synced' ? ' (partial)' : '';
    this.item.text =
      `$(server-environment) KNI: ⎈ ${context}${icon ? ` ${icon}` : ''} ${status.state}${partial}` + (counts ? ` $(error) ${counts.error} $(warning) ${counts.warning}` : '');
    const md = new vscode.MarkdownString();
    md.appendMarkdown('**Kubernetes Network Inspector**\n\n');
    md.appendText(`Cluster: context ${context}, ${namespaces.length > 0 ? `namespaces ${terminalSafe(namespaces.join(', '))}` : 'all namespaces'} (${status.state})\n\n`);
    md.appendText(`${terminalSafe(status.message)}\n\n`);
    if (unread.length > 0) md.appendText(`${terminalSafe(unreadText(unread))}\n\n`);
    if (counts) md.appendText(`The cluster${unread.length > 0 ? ', as far as it could be read' : ''}: ${countsText(counts)}\n\n`);
    md.appendText(`${filesLine[0].toUpperCase()}${filesLine.slice(1)}\n\n`);
    md.appendMarkdown(`The inspector shows ${this.cluster?.view === 'cluster' ? 'the cluster' : 'the files'}. Click to open it; **KNI: Select Cluster Context** to change.`);
    this.item.tooltip = md;
    this.item.backgroundColor =
      status.state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : status.state === 'degraded' || partial ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  private renderStatus(): RenderStatus {
    const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    const { renders, off, offCount } = this.editor.renders;
    const list = renders.map((r) => ({ name: r.name, kind: r.kind, state: r.state, reason: r.reason, folder: multiRoot ? r.folder : undefined, id: r.id }));
    return renderStatus(list, off, offCount);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** "Not readable (results incomplete): networkpolicies in shop (forbidden (403)): policy verdicts unknown; …" */
export function unreadText(unread: readonly UnreadResource[]): string {
  return `Not readable, so the results are incomplete (rules that depend on these are not applied there; policy verdicts there are unknown): ${unread.map(describeUnread).join('; ')}.`;
}

function countsText(c: { error: number; warning: number; info: number }): string {
  return `${c.error} error${c.error === 1 ? '' : 's'}, ${c.warning} warning${c.warning === 1 ? '' : 's'}, ${c.info} info`;
}

const RENDER_ICON: Record<RenderStatus['worst'], string> = { ok: '$(package)', busy: '$(sync~spin)', failed: '$(warning)', 'tool-missing': '$(warning)', off: '$(shield)' };

/** Markdown-escaped text (render names hold parentheses, quotes and paths). */
function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]<>#|]/g, (c) => `\\${c}`);
}
