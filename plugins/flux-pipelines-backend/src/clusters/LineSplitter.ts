const NEWLINE = 0x0a;
const RETURN = 0x0d;

/**
 * Splits a byte stream into lines (`\n`, an optional `\r` before it dropped)
 * and hands each non-empty one over as a string. Bytes are decoded once per
 * line, straight from the chunk they arrived in; only a line that spans
 * chunks is copied. A multi-byte UTF-8 character split across chunks is
 * decoded whole, since decoding starts only at a line's end.
 */
export class LineSplitter {
  /** The start of a line whose end has not arrived yet. */
  private partial: Buffer[] = [];

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer): void {
    let start = 0;
    let end = chunk.indexOf(NEWLINE, start);
    if (end >= 0 && this.partial.length) {
      this.partial.push(chunk.subarray(0, end));
      const joined = Buffer.concat(this.partial);
      this.partial = [];
      this.emit(joined, 0, joined.length);
      start = end + 1;
      end = chunk.indexOf(NEWLINE, start);
    }
    while (end >= 0) {
      this.emit(chunk, start, end);
      start = end + 1;
      end = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) this.partial.push(chunk.subarray(start));
  }

  /** The stream ended: a last line without a newline still counts. */
  end(): void {
    if (!this.partial.length) return;
    const joined = Buffer.concat(this.partial);
    this.partial = [];
    this.emit(joined, 0, joined.length);
  }

  private emit(bytes: Buffer, start: number, end: number) {
    const last = end > start && bytes[end - 1] === RETURN ? end - 1 : end;
    if (last > start) this.onLine(bytes.toString('utf8', start, last));
  }
}
