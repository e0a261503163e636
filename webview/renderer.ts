// What the inspector asks of a drawing surface (SVG for small graphs, canvas
// for large ones), and what the surface tells it back.
import type { ZoomTransform } from 'd3';
import type { Highlight, Scene } from './scene';

export interface RendererEvents {
  /** The pointer is over a node (undefined: over nothing), or over a link to the world outside (`to`: its destination, `id` its source). */
  hover(id: string | undefined, to?: string): void;
  /** A node was clicked (or Enter was pressed on it), or a link to the world outside (`to`). */
  activate(id: string, how: 'click' | 'key', to?: string): void;
  /** A node got keyboard focus. */
  focus(id: string): void;
}

export interface Renderer {
  readonly kind: 'svg' | 'canvas';
  readonly element: Element;
  /** `animate`: a small change of the model; nodes that stay glide to their new places (unless reduced motion). */
  setScene(scene: Scene, animate: boolean): void;
  /**
   * `jump`: the view was moved to a place at once (a fit, a framed trace, a
   * new scene), to be drawn sharp there; otherwise a step of a pan or zoom,
   * whose later steps the renderer may show from what it last drew.
   */
  setTransform(t: ZoomTransform, jump?: boolean): void;
  setHighlight(h: Highlight | undefined, pinned: boolean): void;
  setMatches(ids: ReadonlySet<string>): void;
  setSelected(id: string | undefined): void;
  /** Moves keyboard focus to a node (the canvas draws a focus ring instead). */
  focusNode(id: string): void;
  /**
   * No pan or zoom gesture is open: the next step starts a new one, and what
   * the last one showed is laid out (or cached) where it stopped. Tests wait
   * for it instead of sleeping past the renderer's timers.
   */
  readonly settled: boolean;
  destroy(): void;
}

/** How long a small model change glides to its new places, on either surface. */
export const ANIMATION_MS = 250;

/** The user (or VS Code's accessibility setting) asked for no motion: changes jump. */
export function reducedMotion(): boolean {
  return matchMedia('(prefers-reduced-motion: reduce)').matches;
}
