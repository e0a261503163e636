// Where a value came from: `--set`, the `-f` files (the last one that sets
// the path wins, as in Helm), or the chart's own values.yaml; for a subchart,
// the parent's values under the subchart's name before the subchart's own.
import type { Loc } from '../../../model/types';
import { indexedPath, keyLines, scalarText } from '../yaml-lines';

export interface ValuesFile {
  file: string;
  text: string;
  /** "a.b[0].c" -> [valueStart, valueEnd] and the key's start. */
  byPath: Map<string, { keyStart: number; valueStart: number; valueEnd: number; value: string }>;
}

export function readValuesFile(file: string, text: string): ValuesFile {
  const byPath: ValuesFile['byPath'] = new Map();
  for (const kl of keyLines(text)) {
    const key = indexedPath(kl);
    if (!byPath.has(key)) byPath.set(key, { keyStart: kl.lineStart + kl.indent, valueStart: kl.valueStart, valueEnd: kl.valueEnd, value: scalarText(text, kl) });
  }
  return { file, text, byPath };
}

export type ValueSource = { kind: 'set'; key: string; value: string } | { kind: 'file'; file: string; loc: Loc; value: string };

export interface ValuesLayers {
  /** -f files in the order given (later ones win). */
  files: ValuesFile[];
  /** The chart's values.yaml (read by Helm first). */
  chartValues?: ValuesFile;
  set: Record<string, string>;
  /** Subcharts' own values.yaml, by their folder under the chart ("charts/redis"). */
  subchartValues: Map<string, ValuesFile>;
}

/**
 * The source of `path` ("service.port") as seen by a template of the chart
 * (subchart: its folder under charts/ and its name in the parent's values).
 */
export function valueSource(layers: ValuesLayers, path: string, subchart?: { folder: string; name: string }): ValueSource | undefined {
  const paths = subchart ? [`${subchart.name}.${path}`] : [path];
  for (const p of paths) {
    if (layers.set[p] !== undefined) return { kind: 'set', key: p, value: layers.set[p] };
    for (let i = layers.files.length - 1; i >= 0; i--) {
      const hit = inFile(layers.files[i], p);
      if (hit) return hit;
    }
    if (layers.chartValues) {
      const hit = inFile(layers.chartValues, p);
      if (hit) return hit;
    }
  }
  if (subchart) {
    const own = layers.subchartValues.get(subchart.folder);
    if (own) return inFile(own, path);
  }
  return undefined;
}

function inFile(f: ValuesFile, path: string): ValueSource | undefined {
  const hit = f.byPath.get(path);
  if (!hit) return undefined;
  const empty = hit.valueEnd === hit.valueStart;
  return { kind: 'file', file: f.file, loc: { file: f.file, start: empty ? hit.keyStart : hit.valueStart, end: empty ? hit.valueStart : hit.valueEnd }, value: hit.value };
}
