/** Length-prefixed JSON frames over a byte stream: 4-byte big-endian length, then UTF-8 JSON. */

const MAX_FRAME = 64 * 1024 * 1024;

export function encodeFrame(value: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  const head = Buffer.allocUnsafe(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

/** Accumulates chunks and yields each complete frame's parsed value. */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): unknown[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: unknown[] = [];
    let off = 0;
    while (this.buf.length - off >= 4) {
      const len = this.buf.readUInt32BE(off);
      if (len > MAX_FRAME) throw new Error(`frame of ${len} bytes exceeds the limit`);
      if (this.buf.length - off - 4 < len) break;
      out.push(JSON.parse(this.buf.toString('utf8', off + 4, off + 4 + len)));
      off += 4 + len;
    }
    this.buf = off === this.buf.length ? Buffer.alloc(0) : this.buf.subarray(off);
    return out;
  }
}
