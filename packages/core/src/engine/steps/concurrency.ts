/** A counting semaphore: the engine-wide limit on steps running at once. */
export class ConcurrencyLimiter {
  private running = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
  }

  /** Takes a slot if one is free now (no promise: the common case of a step starting); pair with `release()`. */
  tryAcquire(): boolean {
    if (this.running >= this.limit) return false;
    this.running++;
    return true;
  }

  /** Resolves when a slot is free; pair with `release()`. */
  acquire(): Promise<void> {
    if (this.running < this.limit) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Frees a slot, handing it straight to the oldest waiter. */
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.running--;
  }
}
