// What a picture of the inspector shows, read from the rendered DOM: the
// boxes on screen, the names' rendered size, the column titles, what the
// view leaves out. Shared by the picture tests of the examples.
import assert from 'node:assert/strict';
import type { InspectorPage } from './harness';

export interface Picture {
  stage: { x: number; y: number; width: number; height: number };
  /** Every drawn box: its kind and screen rectangle. */
  boxes: { id: string; kind: string; x: number; y: number; width: number; height: number }[];
  /** The smallest on-screen size of a node's name, in CSS pixels. */
  smallestTitlePx: number;
  columnTitles: string[];
  /** The links' labels and column titles that reach past the view (text cut off at its edge). */
  textOutside: string[];
  outsideNote: string | undefined;
}

/** Reads what is on screen from the DOM: boxes, the names' rendered font size, the column titles. */
export async function picture(view: InspectorPage): Promise<Picture> {
  return view.page.evaluate(() => {
    const r = document.querySelector('.stage')!.getBoundingClientRect();
    const boxes = [...document.querySelectorAll<SVGGElement>('#app svg g.node')].map((g) => {
      const b = g.querySelector('rect.box')!.getBoundingClientRect();
      return { id: g.dataset.id ?? '', kind: g.dataset.kind ?? '', x: b.x, y: b.y, width: b.width, height: b.height };
    });
    const sizes = [...document.querySelectorAll<SVGTextElement>('#app svg g.node text.label')].map((t) => parseFloat(getComputedStyle(t).fontSize) * (t.getScreenCTM()?.a ?? 0));
    const note = document.querySelector<HTMLElement>('.outside-note');
    const textOutside = [...document.querySelectorAll<SVGTextElement>('#app svg text.edge-label, #app svg text.column-title')]
      .filter((t) => {
        const b = t.getBoundingClientRect();
        return b.x < r.x - 0.5 || b.y < r.y - 0.5 || b.right > r.right + 0.5 || b.bottom > r.bottom + 0.5;
      })
      .map((t) => t.textContent ?? '');
    return {
      stage: { x: r.x, y: r.y, width: r.width, height: r.height },
      boxes,
      smallestTitlePx: Math.min(...sizes),
      columnTitles: [...document.querySelectorAll('#app svg text.column-title')].map((t) => t.textContent ?? ''),
      textOutside,
      outsideNote: note && !note.hidden ? (note.textContent ?? '') : undefined,
    };
  });
}

export function assertWholePathLegible(p: Picture, where: string): void {
  assert.ok(p.smallestTitlePx >= 11, `${where}: a node's name is ${p.smallestTitlePx.toFixed(1)} px on screen`);
  for (const b of p.boxes) {
    const inside = b.x >= p.stage.x - 0.5 && b.y >= p.stage.y - 0.5 && b.x + b.width <= p.stage.x + p.stage.width + 0.5 && b.y + b.height <= p.stage.y + p.stage.height + 0.5;
    assert.ok(inside, `${where}: ${b.kind} ${b.id} is outside the view (${JSON.stringify(b)} in ${JSON.stringify(p.stage)})`);
  }
  for (const title of ['Clients', 'Entry points', 'Ingress rules & routes', 'Services', 'Pods']) {
    assert.ok(p.columnTitles.includes(title), `${where}: no ${title} column (${p.columnTitles.join(', ')})`);
  }
  for (const kind of ['entry', 'ingress', 'service', 'workload']) assert.ok(p.boxes.some((b) => b.kind === kind), `${where}: no ${kind} drawn`);
  assert.equal(p.outsideNote, undefined, `${where}: the view leaves objects out`);
  assert.deepEqual(p.textOutside, [], `${where}: labels cut off at the view's edge`);
}

