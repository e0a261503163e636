// What the language server says once per session (kni/notice), shown with
// the buttons that help: renders are off in Restricted Mode (Manage Workspace
// Trust), a render tool is missing (Install, Set its path). The status bar
// keeps saying it afterwards.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { NOTICE_NOTIFICATION, type NoticeParams } from '../../protocol/lsp';

const INSTALL: Record<'helm' | 'kustomize', { url: string; setting: string }> = {
  helm: { url: 'https://helm.sh/docs/intro/install/', setting: 'kni.helm.path' },
  kustomize: { url: 'https://kubectl.docs.kubernetes.io/installation/kustomize/', setting: 'kni.kustomize.path' },
};

export class RenderNotices {
  /** What was said, for tests. */
  readonly shown: string[] = [];
  /** The server says each once per process; a restarted server may say it again, the window does not. */
  private readonly said = new Set<string>();

  constructor(client: LanguageClient) {
    client.onNotification(NOTICE_NOTIFICATION, (n: NoticeParams) => this.say(n));
  }

  private say({ key, message }: NoticeParams): void {
    if (this.said.has(key)) return;
    this.said.add(key);
    if (key === 'untrusted') {
      this.show(message, [{ title: 'Manage Workspace Trust', run: () => vscode.commands.executeCommand('workbench.trust.manage') }]);
      return;
    }
    const { url, setting } = INSTALL[key];
    this.show(message, [
      { title: `Install ${key === 'helm' ? 'Helm' : 'kustomize'}`, run: () => vscode.env.openExternal(vscode.Uri.parse(url)) },
      { title: `Set ${setting}`, run: () => vscode.commands.executeCommand('workbench.action.openSettings', setting) },
    ]);
  }

  private show(message: string, actions: { title: string; run: () => Thenable<unknown> }[]): void {
    this.shown.push(message);
    void vscode.window.showInformationMessage(message, ...actions.map((a) => a.title)).then((picked) => actions.find((a) => a.title === picked)?.run());
  }
}
