import { FrameError } from '../../protocol/codec';

/**
 * A binary adaptive range coder (the LZMA scheme: 11-bit probabilities, 32-bit range, carry
 * propagation through a cached byte), and the value model the recording codec builds on it.
 *
 * Probabilities live in Uint16Arrays owned by the caller, so a model is a plain array reset to
 * PROB_INIT; the encoder and the decoder must see the same bits with the same probabilities in
 * the same order. Everything is integer arithmetic on doubles below 2^53: deterministic on every
 * platform.
 */

const PROB_BITS = 11;
const PROB_ONE = 1 << PROB_BITS;
/** Adaptation speed: a probability moves 1/2^MOVE of the way on each bit. */
const MOVE = 3;
/** A fresh probability: one half. */
export const PROB_INIT = PROB_ONE >> 1;
const TOP = 1 << 24;
const TWO32 = 0x1_0000_0000;

/** A new model of `n` probabilities, each one half. */
export function probs(n: number): Uint16Array {
  return new Uint16Array(n).fill(PROB_INIT);
}

export class RangeEncoder {
  private buf: Uint8Array;
  private pos = 0;
  private low = 0;
  private range = 0xffffffff;
  private cache = 0;
  private cacheSize = 1;

  constructor(initialBytes = 4096) {
    this.buf = new Uint8Array(Math.max(16, initialBytes));
  }

  /** Writes a raw byte before any coded bit (a header); call only before the first `bit`. */
  header(byte: number): void {
    this.put(byte & 0xff);
  }

  private put(b: number): void {
    if (this.pos === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.pos++] = b;
  }

  private shiftLow(): void {
    const low = this.low;
    if (low < 0xff000000 || low >= TWO32) {
      const carry = low >= TWO32 ? 1 : 0;
      let temp = this.cache;
      do {
        this.put((temp + carry) & 0xff);
        temp = 0xff;
      } while (--this.cacheSize !== 0);
      this.cache = Math.floor(low / TOP) & 0xff;
    }
    this.cacheSize++;
    this.low = (low % TOP) * 256;
  }

  /** Codes one bit with the probability `p[i]` (of a 0) and adapts it. */
  bit(p: Uint16Array, i: number, bit: number): void {
    const prob = p[i];
    const bound = (this.range >>> PROB_BITS) * prob;
    if (bit === 0) {
      this.range = bound;
      p[i] = prob + ((PROB_ONE - prob) >> MOVE);
    } else {
      this.low += bound;
      this.range -= bound;
      p[i] = prob - (prob >> MOVE);
    }
    while (this.range < TOP) {
      this.range = (this.range * 256) >>> 0;
      this.shiftLow();
    }
  }

  /** Codes the low `n` bits of `v` (n <= 32), top first, each with probability one half. */
  direct(v: number, n: number): void {
    for (let k = n - 1; k >= 0; k--) {
      this.range = this.range >>> 1;
      if ((v >>> k) & 1) this.low += this.range;
      while (this.range < TOP) {
        this.range = (this.range * 256) >>> 0;
        this.shiftLow();
      }
    }
  }

  /** Codes `v` in [0, 2^bits) as a binary tree of adaptive bits: probabilities p[at + 1 .. at + 2^bits). */
  tree(p: Uint16Array, at: number, bits: number, v: number): void {
    let m = 1;
    for (let k = bits - 1; k >= 0; k--) {
      const b = (v >>> k) & 1;
      this.bit(p, at + m, b);
      m = (m << 1) | b;
    }
  }

  /** Ends the stream; returns the coded bytes. The encoder must not be used after. */
  finish(): Uint8Array {
    for (let k = 0; k < 5; k++) this.shiftLow();
    return this.buf.subarray(0, this.pos);
  }
}

export class RangeDecoder {
  private pos: number;
  private range = 0xffffffff;
  private code = 0;
  /** Bytes read past the end (a truncated or damaged stream reads zeros there). */
  private over = 0;

  /** Starts decoding `src` at `at` (after any raw header bytes). */
  constructor(
    private readonly src: Uint8Array,
    at: number,
  ) {
    this.pos = at;
    for (let k = 0; k < 5; k++) this.code = (this.code * 256 + this.next()) % TWO32;
  }

  private next(): number {
    if (this.pos < this.src.length) return this.src[this.pos++];
    this.over++;
    return 0;
  }

  bit(p: Uint16Array, i: number): number {
    const prob = p[i];
    const bound = (this.range >>> PROB_BITS) * prob;
    let b: number;
    if (this.code < bound) {
      this.range = bound;
      p[i] = prob + ((PROB_ONE - prob) >> MOVE);
      b = 0;
    } else {
      this.code -= bound;
      this.range -= bound;
      p[i] = prob - (prob >> MOVE);
      b = 1;
    }
    while (this.range < TOP) {
      this.range = (this.range * 256) >>> 0;
      this.code = this.code * 256 + this.next();
    }
    return b;
  }

  direct(n: number): number {
    let v = 0;
    for (let k = 0; k < n; k++) {
      this.range = this.range >>> 1;
      let b = 0;
      if (this.code >= this.range) {
        this.code -= this.range;
        b = 1;
      }
      v = ((v << 1) | b) >>> 0;
      while (this.range < TOP) {
        this.range = (this.range * 256) >>> 0;
        this.code = this.code * 256 + this.next();
      }
    }
    return v;
  }

  tree(p: Uint16Array, at: number, bits: number): number {
    let m = 1;
    for (let k = 0; k < bits; k++) m = (m << 1) | this.bit(p, at + m);
    return m - (1 << bits);
  }

  /**
   * Throws FrameError unless the stream ended where the encoder's did: the decoder reads ahead at
   * most 4 bytes beyond the last symbol, so a stream that needed more bytes than it has is cut,
   * and one with more left over has trailing garbage.
   */
  end(): void {
    if (this.over > 0) throw new FrameError('recorded chunk is truncated');
    if (this.code >= this.range) throw new FrameError('recorded chunk is damaged');
  }

  /** Bytes not yet consumed. */
  get remaining(): number {
    return this.src.length - this.pos;
  }
}

/** Bit length of an unsigned 32-bit value (0 for 0). */
export function bitLength(z: number): number {
  return 32 - Math.clz32(z);
}

/** Contexts of a value model: the previous value's bit length, 0..32. */
const NB_CTX = 33;
/** Bit-length tree: 6 bits (0..32 used), 64 slots per context. */
const NB_TREE = 64;

/**
 * An adaptive model for unsigned 32-bit values that are mostly small (zigzagged prediction
 * residuals): the value's bit length is coded in a binary tree whose context is the previous
 * value's bit length in the same column (so a run of zeros costs a fraction of a bit each, and a
 * noisy column learns its width), then the bit under the leading one adaptively (context: the
 * length), then the rest as raw bits. `classes` models share nothing: one per kind of column.
 */
export class ValueModel {
  private readonly len: Uint16Array;
  private readonly mant: Uint16Array;

  constructor(readonly classes: number) {
    this.len = probs(classes * NB_CTX * NB_TREE);
    this.mant = probs(classes * NB_CTX);
  }

  /** Back to the fresh state. */
  reset(): void {
    this.len.fill(PROB_INIT);
    this.mant.fill(PROB_INIT);
  }

  /** Codes `z` (unsigned 32-bit) in class `cls` after a value of bit length `prevLen`; returns its bit length. */
  encode(enc: RangeEncoder, cls: number, prevLen: number, z: number): number {
    const nb = bitLength(z);
    const ctx = cls * NB_CTX + prevLen;
    enc.tree(this.len, ctx * NB_TREE, 6, nb);
    if (nb >= 2) {
      const second = (z >>> (nb - 2)) & 1;
      enc.bit(this.mant, cls * NB_CTX + nb, second);
      if (nb > 2) enc.direct(z, nb - 2);
    }
    return nb;
  }

  /** Decodes what `encode` wrote; returns the value (its bit length is bitLength(value)). */
  decode(dec: RangeDecoder, cls: number, prevLen: number): number {
    const ctx = cls * NB_CTX + prevLen;
    const nb = dec.tree(this.len, ctx * NB_TREE, 6);
    if (nb > 32) throw new FrameError('recorded chunk is damaged');
    if (nb === 0) return 0;
    if (nb === 1) return 1;
    const second = dec.bit(this.mant, cls * NB_CTX + nb);
    const rest = nb > 2 ? dec.direct(nb - 2) : 0;
    // 2^(nb-1) + second * 2^(nb-2) + rest, exact in doubles for nb <= 32.
    return 2 ** (nb - 1) + second * 2 ** (nb - 2) + rest;
  }
}
