// Text measured in the webview's own font, for boxes sized to their text and
// names cut to fit their box (the core lays out without fonts: it is handed
// these widths).
import type { TopologyNode } from '../src/protocol';
import { terminalSafe } from '../src/view-model/terminal-safe';

/** The font sizes the stylesheet gives a node's name, its detail line and a link's label (media/inspector.css). */
export const LABEL_PX = 13;
export const DETAIL_PX = 11;
export const EDGE_LABEL_PX = 11;
/** Left of the text: the stripe and the icon. Right of it: a margin. */
const TEXT_LEFT = 32;
const TEXT_RIGHT = 12;
/** A box sized to its text stays within these. */
export const MIN_BOX_WIDTH = 100;
export const MAX_BOX_WIDTH = 248;
/** A detail line may widen a box to this much text (then it is cut): the most first, less when space is short. */
export const DETAIL_ROOMS = [150, 110, 74] as const;

let context: CanvasRenderingContext2D | null | undefined;
const cache = new Map<string, number>();

function fontFamily(): string {
  return getComputedStyle(document.body).fontFamily || 'sans-serif';
}

/** The width of `text` at `px` pixels (weight 600 for names) in the panel's font. */
export function textWidth(text: string, px: number, weight = 400): number {
  const key = `${px}/${weight}/${text}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  context ??= document.createElement('canvas').getContext('2d');
  let width: number;
  if (context) {
    context.font = `${weight} ${px}px ${fontFamily()}`;
    width = context.measureText(text).width;
  } else {
    width = text.length * px * 0.62; // no 2D context: a wide font's average
  }
  if (cache.size > 20_000) cache.clear();
  cache.set(key, width);
  return width;
}

/** `text`, cut with an ellipsis where it would pass `max` pixels. */
export function fitText(text: string, px: number, max: number, weight = 400): string {
  if (textWidth(text, px, weight) <= max) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (textWidth(`${text.slice(0, mid)}…`, px, weight) <= max) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}

/** How wide a node's box is for its name (and as much of its detail as fits beside it). */
export function boxWidthFor(n: Pick<TopologyNode, 'label' | 'detail'>, detailRoom: number = DETAIL_ROOMS[0]): number {
  // Measured as shown: a control character takes the room of its visible escape.
  const name = textWidth(terminalSafe(n.label), LABEL_PX, 600);
  const detail = n.detail ? textWidth(terminalSafe(n.detail), DETAIL_PX) : 0;
  const text = Math.max(name, Math.min(detail, Math.max(name, detailRoom)));
  return Math.ceil(Math.min(MAX_BOX_WIDTH, Math.max(MIN_BOX_WIDTH, TEXT_LEFT + text + TEXT_RIGHT)));
}

/** The room for text in a box of width `w`. */
export function textRoom(w: number): number {
  return w - TEXT_LEFT - TEXT_RIGHT + 4;
}
