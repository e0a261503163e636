// Offsets <-> 1-based line/column for one text. Built once per file text; the
// line table itself is computed on first use, so parsing a file that never
// reports anything costs nothing here.
//
// Lines end at "\n", "\r\n" or a lone "\r" (as editors count them); columns
// count UTF-16 code units, like JavaScript string offsets.

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

export class LineIndex {
  private starts: number[] | undefined;

  constructor(readonly text: string) {}

  /** Offsets at which each line starts (line 1 starts at 0). */
  private lineStarts(): number[] {
    if (this.starts) return this.starts;
    const text = this.text;
    const starts = [0];
    if (text.indexOf('\r') < 0) {
      // Only "\n" line ends (the usual case): the native search is much faster than a walk.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = starts;
      return starts;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
    return starts;
  }

  get lineCount(): number {
    return this.lineStarts().length;
  }

  /** The line/column of an offset (clamped into [0, text.length]). */
  positionAt(offset: number): Position {
    const starts = this.lineStarts();
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - starts[lo] + 1 };
  }

  /** The offset of a 1-based line/column, clamped to the text and to the line's end (before its line break). */
  offsetAt(line: number, column: number): number {
    const starts = this.lineStarts();
    if (line < 1) return 0;
    if (line > starts.length) return this.text.length;
    const start = starts[line - 1];
    const end = this.lineEnd(line);
    return Math.max(start, Math.min(start + Math.max(column, 1) - 1, end));
  }

  /** The offset where a 1-based line's content ends (before "\r\n", "\n" or "\r"). */
  lineEnd(line: number): number {
    const starts = this.lineStarts();
    if (line < 1) return 0;
    if (line >= starts.length) return this.text.length;
    let end = starts[line];
    const text = this.text;
    if (end > 0 && text.charCodeAt(end - 1) === 10) end--;
    if (end > starts[line - 1] && text.charCodeAt(end - 1) === 13) end--;
    return end;
  }
}
