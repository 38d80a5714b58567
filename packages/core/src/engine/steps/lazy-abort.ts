/**
 * An AbortController made only when someone asks for its signal. Most steps never read
 * `ctx.signal`, and a controller (with its signal, an EventTarget) per step was measurable in
 * the engine's profile (allocation and garbage collection). Aborting before the signal exists
 * keeps the reason, so a signal asked for later is already aborted with that reason: the same
 * thing a step would observe with an eager controller.
 */
export class LazyAbort {
  private controller: AbortController | undefined;
  private aborted = false;
  private reason: unknown;

  /** The signal, created on first use (already aborted if `abort` came first). */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** Aborts the signal (now if it exists, else when it is first asked for); later calls do nothing, like AbortController. */
  abort(reason: unknown): void {
    if (this.controller) this.controller.abort(reason);
    else if (!this.aborted) {
      this.aborted = true;
      this.reason = reason;
    }
  }
}
