/**
 * A subscriber's grants on their way to the server: they add up while one is in flight, so however fast
 * the reader shows lines, a follow sends at most one grant per round trip (a mesh session counts control
 * messages, and a flood must not turn into a flood of grants).
 */

/** Smallest grant worth a message while the credit is not low: the sender still holds most of its window. */
const MIN_GRANT_BYTES = 16 * 1024;

export class GrantSender {
  #pending = 0;
  #inFlight = false;
  #stopped = false;

  constructor(private readonly send: (bytes: number) => Promise<unknown>) {}

  add(bytes: number): void {
    this.#pending += bytes;
    this.#flush();
  }

  stop(): void {
    this.#stopped = true;
  }

  #flush(): void {
    if (this.#inFlight || this.#stopped || this.#pending < MIN_GRANT_BYTES) return;
    const bytes = this.#pending;
    this.#pending = 0;
    this.#inFlight = true;
    // A server that does not know grants (an older one) answers with an error and sends every line anyway.
    this.send(bytes)
      .catch(() => undefined)
      .finally(() => {
        this.#inFlight = false;
        this.#flush();
      });
  }
}
