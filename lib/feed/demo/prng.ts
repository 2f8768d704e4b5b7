/**
 * A small seeded PRNG (mulberry32: 32-bit state, full period 2^32) — plenty for demo traffic, never
 * for anything secret. Same seed → same sequence on every platform.
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  }

  /** uniform in [0, 1) */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** integer in [min, max] */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)] as T;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** exponentially distributed with the given mean (Poisson arrivals) */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  hex16(): string {
    return this.int(0, 0xffff).toString(16);
  }
}
