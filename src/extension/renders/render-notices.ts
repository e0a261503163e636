// Said once per window: a render tool that is missing (with how to install it
// or set its path), and that renders are off in Restricted Mode (with the way
// to trust the workspace). The status bar keeps saying it afterwards.
import * as vscode from 'vscode';
import type { WorkspaceIndex } from '../workspace-index';
import { toolMissingNotice } from '../../core/workspace/render-status';

const INSTALL: Record<'helm' | 'kustomize', { url: string; setting: string }> = {
  helm: { url: 'https://helm.sh/docs/intro/install/', setting: 'kni.helm.path' },
  kustomize: { url: 'https://kubectl.docs.kubernetes.io/installation/kustomize/', setting: 'kni.kustomize.path' },
};

export class RenderNotices implements vscode.Disposable {
  private readonly said = new Set<string>();
  private readonly subscription: vscode.Disposable;
  /** What was said, for tests. */
  readonly shown: string[] = [];

  constructor(private readonly index: WorkspaceIndex) {
    this.subscription = index.onDidChangeRenders(() => this.check());
  }

  check(): void {
    const off = this.index.renders.offReason;
    if (off !== undefined && !this.said.has('restricted')) {
      this.said.add('restricted');
      this.say(`KNI: ${off}`, [{ title: 'Manage Workspace Trust', run: () => vscode.commands.executeCommand('workbench.trust.manage') }]);
    }
    for (const { tool, problem } of this.index.renders.toolProblems()) {
      if (this.said.has(tool)) continue;
      this.said.add(tool);
      const { url, setting } = INSTALL[tool];
      this.say(toolMissingNotice(tool, problem), [
        { title: `Install ${tool === 'helm' ? 'Helm' : 'kustomize'}`, run: () => vscode.env.openExternal(vscode.Uri.parse(url)) },
        { title: `Set ${setting}`, run: () => vscode.commands.executeCommand('workbench.action.openSettings', setting) },
      ]);
    }
  }

  private say(message: string, actions: { title: string; run: () => Thenable<unknown> }[]): void {
    this.shown.push(message);
    void vscode.window.showInformationMessage(message, ...actions.map((a) => a.title)).then((picked) => actions.find((a) => a.title === picked)?.run());
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
