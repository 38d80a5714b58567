/** Returned by queued work that finishes later, through `resume()` or `fail()` (a commit in flight): the queue holds until then. */
export const held: unique symbol = Symbol('held');

/** One item of a run's queue: returning a promise, or `held`, keeps the queue waiting until it settles. */
export type Work = () => void | Promise<void> | typeof held;

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * A run's work (step outcomes, timers, sent events), one item at a time, in order. A plain array
 * drained in a loop rather than a promise chain: a then/catch pair per event, and the microtask
 * hops between them, were a measurable share of a no-op step's cost.
 */
export class RunQueue {
  private readonly items: Work[] = [];
  private draining = false;
  // The callers awaiting their item (`send`, timers); made on first use, as most runs never need it.
  private waiters: Map<Work, Waiter> | undefined;

  /**
   * @param stopped while true, items are skipped (the run ended or left this engine)
   * @param onError handles an item's error (the run records it); its own failure goes to the item's awaiting caller
   */
  constructor(
    private readonly stopped: () => boolean,
    private readonly onError: (error: unknown) => Promise<void>,
  ) {}

  /** Queues `work`. */
  push(work: Work): void {
    this.items.push(work);
    if (this.draining) return;
    this.draining = true;
    queueMicrotask(this.drain);
  }

  /** Queues `work`; resolves once it ran (or was skipped), its errors handled. */
  pushAwaited(work: Work): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiters ??= new Map();
      this.waiters.set(work, { resolve, reject });
      this.push(work);
    });
  }

  /** The head item, which returned `held`, is done: goes on with the next. */
  readonly resume = (): void => {
    this.finishHead();
    this.drain();
  };

  /** The head item failed after its synchronous part: its error is handled, then the queue goes on. */
  readonly fail = (error: unknown): void => {
    void this.onError(error).then(this.resume, (unhandled: unknown) => {
      this.finishHead(unhandled);
      this.drain();
    });
  };

  // Runs items until the queue is empty or its head waits (a promise, or `held`).
  private readonly drain = (): void => {
    for (;;) {
      const work = this.items[0];
      if (work === undefined) {
        this.draining = false;
        return;
      }
      let result: ReturnType<Work>;
      try {
        result = this.stopped() ? undefined : work();
      } catch (error) {
        result = this.onError(error);
      }
      if (result === held) return;
      if (result instanceof Promise) {
        void result.then(this.resume, this.fail);
        return;
      }
      this.finishHead();
    }
  };

  // Drops the head; its awaiting caller, if any, hears how it ended.
  private finishHead(error?: unknown): void {
    const work = this.items.shift();
    const waiter = work && this.waiters?.get(work);
    if (!waiter || !work) {
      if (error !== undefined) queueMicrotask(() => Promise.reject(error));
      return;
    }
    this.waiters?.delete(work);
    if (error === undefined) waiter.resolve();
    else waiter.reject(error);
  }
}
