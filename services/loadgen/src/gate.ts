/** Where shoppers wait while the generator is paused; an abort lets every waiter go with an error. */
export class Gate {
  private open = true;
  private waiters: (() => void)[] = [];

  get isOpen(): boolean {
    return this.open;
  }

  /** How many are waiting for the gate to open. */
  get waiting(): number {
    return this.waiters.length;
  }

  close(): void {
    this.open = false;
  }

  /** Opens the gate and lets everyone waiting through. */
  release(): void {
    this.open = true;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves at once when open, else when released; rejects when the signal aborts. */
  async pass(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (this.open) return;
    await new Promise<void>((resolve, reject) => {
      const wake = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        this.waiters = this.waiters.filter((waiter) => waiter !== wake);
        reject(signal.reason as Error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(wake);
    });
  }
}
