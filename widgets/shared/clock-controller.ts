import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Re-renders the host every minute so relative times ("3 minutes ago") do not go stale
 * on a console left open all day. No data is fetched.
 */
export class ClockController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #intervalMs: number;
  #timer?: ReturnType<typeof setInterval>;

  /** The current time, read at render. */
  get now(): number {
    return Date.now();
  }

  constructor(host: ReactiveControllerHost, intervalMs = 60_000) {
    this.#host = host;
    this.#intervalMs = intervalMs;
    host.addController(this);
  }

  hostConnected(): void {
    this.#timer = setInterval(() => this.#host.requestUpdate(), this.#intervalMs);
  }

  hostDisconnected(): void {
    clearInterval(this.#timer);
  }
}
