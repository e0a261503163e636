// Hovers that answer "what does this reach?": the core's hoverAt over the
// file's loose manifests and the objects renders drew from it, in a
// MarkdownString with VS Code's theme icons as status marks and links that
// open the other end (an egress rule's traces under `kni.trace.clusterDomain`).
import * as vscode from 'vscode';
import { hoverAt, type HoverSource } from '../core/editor/hover-text';
import { codiconMark } from '../core/editor/marks';
import { readSettings } from './settings';
import type { WorkspaceIndex } from './workspace-index';

export class Hovers implements vscode.HoverProvider {
  constructor(private readonly index: WorkspaceIndex) {}

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    if (!this.index.isCurrent(doc)) return undefined;
    const sources: HoverSource[] = [{ objects: this.index.objectsIn(doc.uri), index: this.index.modelIndex(), at: (l) => l }];
    for (const v of this.index.renderViewsOf(doc.uri)) sources.push({ objects: v.objects, index: v.index, at: (l) => v.toSource(l), render: v.render.entry.spec.name });
    const found = hoverAt(sources, doc.offsetAt(position), {
      mark: codiconMark,
      clusterDomain: readSettings().clusterDomain,
      link: (loc, label) => {
        const uri = loc && this.index.uriOf(loc.file);
        if (!uri || !loc) return label;
        const p = this.index.positionAt(loc.file, loc.start);
        return `[${label}](${uri.with({ fragment: `L${p.line + 1}` }).toString()})`;
      },
    });
    if (!found) return undefined;
    const md = new vscode.MarkdownString(found.text);
    md.supportThemeIcons = true;
    return new vscode.Hover(md, this.index.rangeOf(found.loc));
  }
}
