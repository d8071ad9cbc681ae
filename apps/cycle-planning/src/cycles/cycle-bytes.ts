/**
 * The byte-level primitives of the binary stored form of cycles (format 3 of cycle-codec.ts):
 * unsigned and signed integers as varints (7 bits a byte, low first), strings as their UTF-8 bytes
 * after their length, instants as a signed offset from a base instant (whole days when they fall on
 * one, which is what due dates do). Plain arithmetic instead of bit operators: values go up to
 * 2^53, past the 32 bits those work on.
 */

const MS_PER_DAY = 86_400_000;
/** Bytes written at once without checking the room left (the largest fixed-size value: a varint of 2^53). */
const HEADROOM = 16;

/**
 * Writes into one scratch buffer shared by every encoding (encodings are synchronous and never
 * nest), then copies out exactly the bytes written: an encoding allocates one small buffer.
 */
export class ByteWriter {
  private static scratch = Buffer.allocUnsafe(64 * 1024);
  private buf = ByteWriter.scratch;
  private pos = 0;

  byte(value: number): void {
    this.room(1);
    this.buf[this.pos++] = value;
  }

  /** A non-negative safe integer. */
  uint(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${value} is not a non-negative integer`);
    this.room(HEADROOM);
    while (value >= 128) {
      this.buf[this.pos++] = (value % 128) + 128;
      value = Math.floor(value / 128);
    }
    this.buf[this.pos++] = value;
  }

  /** A safe integer of either sign (zigzag: 0, -1, 1, -2 … as 0, 1, 2, 3 …). */
  int(value: number): void {
    this.uint(value < 0 ? -2 * value - 1 : 2 * value);
  }

  /**
   * A string as its UTF-8 bytes after their count doubled; a string that is not well-formed UTF-16
   * (a lone surrogate: UTF-8 cannot hold it) goes as its UTF-16 code units after their count
   * doubled plus one, so every string reads back as it was.
   */
  string(value: string): void {
    const length = value.length;
    let ascii = true;
    for (let i = 0; i < length; i++) {
      if (value.charCodeAt(i) >= 128) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      this.uint(2 * length);
      this.room(length);
      for (let i = 0; i < length; i++) this.buf[this.pos++] = value.charCodeAt(i);
    } else if (wellFormed(value)) {
      const bytes = Buffer.byteLength(value, 'utf8');
      this.uint(2 * bytes);
      this.room(bytes);
      this.pos += this.buf.write(value, this.pos, 'utf8');
    } else {
      this.uint(2 * length + 1);
      for (let i = 0; i < length; i++) this.uint(value.charCodeAt(i));
    }
  }

  /**
   * An instant as its offset from `base` (ms): whole days when it falls on one (the low bit 0),
   * else milliseconds (the low bit 1).
   */
  instant(value: Date, base: number): void {
    const offset = value.getTime() - base;
    if (!Number.isFinite(offset)) throw new RangeError(`invalid date ${String(value)}`);
    const inDays = offset % MS_PER_DAY === 0;
    const n = inDays ? offset / MS_PER_DAY : offset;
    this.uint(2 * (n < 0 ? -2 * n - 1 : 2 * n) + (inDays ? 0 : 1));
  }

  /** The bytes written, in a buffer of their own. */
  finish(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    return out;
  }

  private room(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.pos + bytes));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
    ByteWriter.scratch = bigger;
  }
}

/** No lone surrogate: every code unit of a pair is in a pair (what UTF-8 can hold). */
function wellFormed(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    if (unit > 0xdbff) return false;
    const next = value.charCodeAt(i + 1);
    if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
    i++;
  }
  return true;
}

/** Reads what `ByteWriter` wrote, in the same order; running past the end throws. */
export class ByteReader {
  private readonly buf: Buffer;
  private pos: number;

  constructor(bytes: Uint8Array, start: number) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  byte(): number {
    if (this.pos >= this.buf.length) throw new RangeError('stored cycles end too early');
    return this.buf[this.pos++]!;
  }

  uint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      if (b < 128) return value + b * scale;
      value += (b - 128) * scale;
      scale *= 128;
    }
  }

  int(): number {
    const z = this.uint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  string(): string {
    const header = this.uint();
    const length = Math.floor(header / 2);
    if (header % 2 === 1) {
      const units: number[] = [];
      for (let i = 0; i < length; i++) units.push(this.uint());
      return String.fromCharCode(...units);
    }
    const end = this.pos + length;
    if (end > this.buf.length) throw new RangeError('stored cycles end too early');
    const value = this.buf.toString('utf8', this.pos, end);
    this.pos = end;
    return value;
  }

  instant(base: number): Date {
    const header = this.uint();
    const z = Math.floor(header / 2);
    const n = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
    return new Date(base + (header % 2 === 0 ? n * MS_PER_DAY : n));
  }
}
