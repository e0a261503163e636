// How the drawing is arranged to be read whole in the panel it has: the
// columns across or down, boxes and gaps sized to their text, and a Service's
// endpoints folded into its links when space is short. The first arrangement
// that shows everything at a legible scale wins; when none does, the columns
// run across and the view frames what matters (see Inspector.fit).
import type { TopologyGraph } from '../src/protocol';
import { DOWN_RANK_GAP, DOWN_ROW_GAP, type Layout, type LayoutDirection, type LayoutOptions, type ViewOptions } from '../src/view-model';
import { boxWidthFor, DETAIL_ROOMS, EDGE_LABEL_PX, LABEL_PX, textWidth } from './measure';
import { buildScene, shownText, type Scene } from './scene';

export interface Arrangement {
  direction: LayoutDirection;
  foldEndpoints: boolean;
  /** How much of a detail line may widen a box (px of text; longer ones are cut): less when space is short. */
  detailRoom: number;
}

/**
 * In order of preference: every hop drawn before endpoints are folded; within
 * that, whole detail lines before cut ones; across before down.
 */
export const ARRANGEMENTS: readonly Arrangement[] = [false, true].flatMap((foldEndpoints) =>
  DETAIL_ROOMS.flatMap((detailRoom) => (['across', 'down'] as const).map((direction) => ({ direction, foldEndpoints, detailRoom }))),
);

/** Node names are drawn at LABEL_PX; on screen they must be 11 px at least. */
export const LEGIBLE_TITLE_PX = 11;
export const LEGIBLE_ZOOM = LEGIBLE_TITLE_PX / LABEL_PX;
/** Space around the drawing when it is fitted, and above it for the column titles. */
export const FIT_PAD = 16;
export const TITLE_SPACE = 22;
/** Edge labels longer than this are cut (the full text is in their tooltip). */
export const EDGE_LABEL_CHARS = 24;
/** Across, the gap between columns: at least this, more for the labels of the links crossing it, up to the most. */
const ACROSS_GAP = 40;
const ACROSS_MAX_GAP = 150;

export function layoutOptionsFor(a: Arrangement): LayoutOptions {
  return {
    direction: a.direction,
    widthOf: (n) => boxWidthFor(n, a.detailRoom),
    labelWidth: (label) => textWidth(shownText(label, EDGE_LABEL_CHARS), EDGE_LABEL_PX),
    rankGap: a.direction === 'down' ? DOWN_RANK_GAP : ACROSS_GAP,
    maxRankGap: ACROSS_MAX_GAP,
  };
}

/** The largest scale (at most 1) at which the whole layout fits a view of w × h. */
export function wholeScale(layout: Pick<Layout, 'width' | 'height'>, w: number, h: number): number {
  return Math.min(1, w / (Math.max(layout.width, 1) + 2 * FIT_PAD), h / (Math.max(layout.height, 1) + 2 * FIT_PAD + TITLE_SPACE));
}

export interface Arranged {
  arrangement: Arrangement;
  scene: Scene;
  /** The scale that shows all of it. */
  k: number;
}

/**
 * The first arrangement legible whole in w × h. When not even the most
 * compact ones are (endpoints folded, detail lines cut short, across or down),
 * none is: then the columns run across with every hop drawn, the reading the
 * view frames a trace or a finding in (and two layouts, not twelve, were spent
 * finding out).
 */
export function arrange(graph: TopologyGraph, view: ViewOptions, w: number, h: number): Arranged {
  const tryOne = (arrangement: Arrangement): Arranged => {
    const scene = sceneFor(graph, view, arrangement);
    return { arrangement, scene, k: wholeScale(scene.layout, w, h) };
  };
  const compact = ARRANGEMENTS.slice(-2).map(tryOne);
  if (compact.every((a) => a.k < LEGIBLE_ZOOM)) return tryOne(ARRANGEMENTS[0]);
  for (const arrangement of ARRANGEMENTS.slice(0, -2)) {
    const arranged = tryOne(arrangement);
    if (arranged.k >= LEGIBLE_ZOOM) return arranged;
  }
  return compact.find((a) => a.k >= LEGIBLE_ZOOM)!;
}

/**
 * The scene of an arrangement. Down, a row of few boxes takes as much of the
 * widest row's width as its detail lines can use (the Internet alone on its
 * row needs no cut detail because the Pods' row is full).
 */
export function sceneFor(graph: TopologyGraph, view: ViewOptions, arrangement: Arrangement): Scene {
  const options = { ...view, foldEndpoints: arrangement.foldEndpoints };
  const scene = buildScene(graph, options, layoutOptionsFor(arrangement));
  if (arrangement.direction !== 'down' || arrangement.detailRoom >= DETAIL_ROOMS[0]) return scene;
  const layoutOptions = layoutOptionsFor(arrangement);
  const gap = layoutOptions.rowGap ?? DOWN_ROW_GAP;
  const roomOf = new Map<number, number>();
  for (const row of scene.columns) {
    const room = DETAIL_ROOMS.find((r) => r <= arrangement.detailRoom || row.reduce((sum, n) => sum + boxWidthFor(n, r) + gap, -gap) <= scene.layout.width) ?? arrangement.detailRoom;
    if (row.length > 0) roomOf.set(row[0].column, room);
  }
  if ([...roomOf.values()].every((r) => r === arrangement.detailRoom)) return scene;
  const columnOf = new Map(scene.nodes.map((n) => [n.id, n.column]));
  const widened = buildScene(graph, options, { ...layoutOptions, widthOf: (n) => boxWidthFor(n, roomOf.get(columnOf.get(n.id) ?? -1) ?? arrangement.detailRoom) });
  // Wider boxes can push a row past the widest one (centred on their links): then the cut detail stays.
  return widened.layout.width <= scene.layout.width + 0.5 ? widened : scene;
}

export function isArrangement(value: unknown): value is Arrangement {
  const a = value as Arrangement | undefined;
  return typeof a === 'object' && a !== null && (a.direction === 'across' || a.direction === 'down') && typeof a.foldEndpoints === 'boolean' && typeof a.detailRoom === 'number' && a.detailRoom >= 0 && a.detailRoom <= 400;
}
