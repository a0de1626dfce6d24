import type { Clock } from '../clock.ts';

export interface OperatorProblem {
  /** What it is about: a platform (`x`), `database`, `jobs`, ... */
  area: string;
  code: string;
  message: string;
}

/**
 * Problems only the operator can fix (a platform's billing, a retired API version), as this
 * process last saw them: reported where they are noticed, listed on /readyz and logged once.
 * Each lasts until cleared or until it has not been seen again for `ttlMs`.
 */
export class OperatorProblems {
  readonly #problems = new Map<string, OperatorProblem & { seenAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 60 * 60_000,
  ) {}

  /** Returns true when the problem is new (so the caller logs it once). */
  report(problem: OperatorProblem): boolean {
    const key = `${problem.area}:${problem.code}`;
    const known = this.#problems.has(key);
    this.#problems.set(key, { ...problem, seenAt: this.clock.now().getTime() });
    return !known;
  }

  clear(area: string, code?: string): void {
    for (const key of [...this.#problems.keys()]) if (key === `${area}:${code}` || (code === undefined && key.startsWith(`${area}:`))) this.#problems.delete(key);
  }

  list(): OperatorProblem[] {
    const now = this.clock.now().getTime();
    const out: OperatorProblem[] = [];
    for (const [key, p] of this.#problems) {
      if (now - p.seenAt > this.ttlMs) this.#problems.delete(key);
      else out.push({ area: p.area, code: p.code, message: p.message });
    }
    return out;
  }
}
