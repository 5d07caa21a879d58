/**
 * Reusable typed arrays for the search. Allocating a typed array costs an
 * off-heap allocation and a zero fill; a check of many small histories (or
 * of many keys) would otherwise spend more time allocating than searching.
 * The search is not reentrant, so one pool serves every search in turn:
 * `begin()` at the start of a search hands out views from the start again.
 */
export class Scratch {
  private buffer = new ArrayBuffer(1 << 16);
  private used = 0;

  begin(): void {
    this.used = 0;
  }

  private take(bytes: number): number {
    const offset = (this.used + 7) & ~7;
    if (offset + bytes > this.buffer.byteLength) {
      // Views handed out earlier keep the old buffer; new ones come from a bigger one.
      this.buffer = new ArrayBuffer(Math.max(2 * this.buffer.byteLength, offset + bytes));
      this.used = 0;
      return this.take(bytes);
    }
    this.used = offset + bytes;
    return offset;
  }

  // take() may replace the buffer: call it before reading this.buffer.
  int32(length: number, fill = 0): Int32Array {
    const offset = this.take(4 * length);
    const a = new Int32Array(this.buffer, offset, length);
    a.fill(fill);
    return a;
  }

  uint32(length: number): Uint32Array {
    const offset = this.take(4 * length);
    const a = new Uint32Array(this.buffer, offset, length);
    a.fill(0);
    return a;
  }

  uint8(length: number): Uint8Array {
    const offset = this.take(length);
    const a = new Uint8Array(this.buffer, offset, length);
    a.fill(0);
    return a;
  }
}
