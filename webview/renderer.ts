// What the inspector asks of a drawing surface (SVG for small graphs, canvas
// for large ones), and what the surface tells it back.
import type { ZoomTransform } from 'd3';
import type { Highlight, Scene } from './scene';

export interface RendererEvents {
  /** The pointer is over a node (undefined: over nothing). */
  hover(id: string | undefined): void;
  /** A node was clicked (or Enter was pressed on it). */
  activate(id: string, how: 'click' | 'key'): void;
  /** A node got keyboard focus. */
  focus(id: string): void;
}

export interface Renderer {
  readonly kind: 'svg' | 'canvas';
  readonly element: Element;
  setScene(scene: Scene, animate: boolean): void;
  setTransform(t: ZoomTransform): void;
  setHighlight(h: Highlight | undefined, pinned: boolean): void;
  setMatches(ids: ReadonlySet<string>): void;
  setSelected(id: string | undefined): void;
  /** Moves keyboard focus to a node (the canvas draws a focus ring instead). */
  focusNode(id: string): void;
  destroy(): void;
}
