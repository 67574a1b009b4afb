import type { StreamEvents } from '../../core/api.ts';
import type { ApiClient } from './api-client.ts';
import { AuthExpiredError, isAbortError } from './api-errors.ts';
import { SseParser } from './sse-parser.ts';

export type StreamEventName = keyof StreamEvents;

/** What a subscriber wants to hear about. Every member is optional. */
export type StreamHandlers = { [K in StreamEventName]?: (data: StreamEvents[K]) => void } & {
  /**
   * Events may have been missed, so reload: the connection came back after a drop
   * without a point to resume from (no event id seen yet), or the BFF sent `reset`
   * (this stream fell too far behind to catch up; it continues from the reset's id).
   */
  reconnected?: () => void;
  /** The stream answered 401: it stays closed until the token changes. */
  authExpired?: () => void;
};

const STREAM_EVENTS: ReadonlySet<string> = new Set<StreamEventName>(['device.updated', 'alert.opened', 'alert.updated', 'alert.resolved']);

export const RECONNECT_BASE_MS = 1_000;
export const RECONNECT_CAP_MS = 30_000;
/**
 * A connection counts as healthy (the backoff starts over) once it delivered an event
 * or stayed open this long. The `: connected` line alone proves nothing: a server
 * that drops every stream right after it must not be met by a reconnect a second.
 */
export const HEALTHY_CONNECTION_MS = 20_000;

/**
 * Delay before reconnect attempt `attempt` (0-based): exponential from 1 s, capped at
 * 30 s, with "equal jitter" (half fixed, half random) so a BFF restart is not met by
 * every browser at the same instant.
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RECONNECT_CAP_MS, RECONNECT_BASE_MS * 2 ** attempt);
  return ceiling / 2 + random() * (ceiling / 2);
}

/**
 * The live stream of one {@link ApiClient}: `GET /stream` read with fetch and a
 * ReadableStream (EventSource cannot send the bearer), parsed as Server-Sent Events.
 * One connection serves every subscriber of the client; it opens with the first
 * subscriber and closes with the last. Drops reconnect with backoff, resuming after the
 * last event id; a `reset` from the BFF makes subscribers reload; a 401 stops it until
 * the client's token changes.
 */
export class LiveStream {
  readonly #client: ApiClient;
  readonly #subscribers = new Set<StreamHandlers>();
  #connection?: AbortController;
  #retryTimer?: ReturnType<typeof setTimeout>;
  #attempt = 0;
  #everConnected = false;
  #stoppedByAuth = false;
  #lastEventId: string | null = null;

  /** True while a response is being read. */
  connected = false;

  constructor(client: ApiClient) {
    this.#client = client;
    client.addEventListener('tokenchange', () => {
      if (this.#stoppedByAuth && this.#subscribers.size > 0) this.#start();
    });
  }

  /** Subscribes to events; answers the unsubscribe function. */
  subscribe(handlers: StreamHandlers): () => void {
    this.#subscribers.add(handlers);
    if (this.#subscribers.size === 1) this.#start();
    return () => {
      this.#subscribers.delete(handlers);
      if (this.#subscribers.size === 0) this.#stop();
    };
  }

  #start(): void {
    this.#stop();
    this.#stoppedByAuth = false;
    this.#attempt = 0;
    void this.#connect();
  }

  #stop(): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#connection?.abort();
    this.#connection = undefined;
    this.connected = false;
  }

  async #connect(): Promise<void> {
    const connection = new AbortController();
    this.#connection = connection;
    let opened = 0;
    try {
      const resumeFrom = this.#lastEventId;
      const response = await this.#client.openStream(connection.signal, resumeFrom);
      if (!response.body) throw new Error('The stream has no body');
      this.connected = true;
      opened = Date.now();
      // With an event id the BFF replays what was missed; without one, subscribers resync.
      if (this.#everConnected && resumeFrom === null) this.#notify((s) => s.reconnected?.());
      this.#everConnected = true;
      await this.#read(response.body, connection.signal);
    } catch (error) {
      if (connection.signal.aborted || isAbortError(error)) return;
      if (error instanceof AuthExpiredError) {
        this.connected = false;
        this.#stoppedByAuth = true;
        this.#notify((s) => s.authExpired?.());
        return;
      }
    }
    this.connected = false;
    if (opened > 0 && Date.now() - opened >= HEALTHY_CONNECTION_MS) this.#attempt = 0;
    if (!connection.signal.aborted) this.#scheduleReconnect();
  }

  async #read(body: ReadableStream<Uint8Array>, signal: AbortSignal): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser();
    signal.addEventListener('abort', () => void reader.cancel().catch(() => {}), { once: true });
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      // stream: true keeps a multi-byte character split across chunks intact.
      for (const message of parser.push(decoder.decode(value, { stream: true }))) {
        // An event proves the stream useful: the backoff starts over (comments do not).
        this.#attempt = 0;
        // A reset's id is the position to resume from, like any event's.
        this.#lastEventId = message.id ?? this.#lastEventId;
        if (message.event === 'reset') this.#notify((s) => s.reconnected?.());
        else this.#dispatch(message.event, message.data);
      }
    }
  }

  #dispatch(event: string, data: string): void {
    if (!STREAM_EVENTS.has(event)) return;
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return; // A malformed event must not break the stream.
    }
    const name = event as StreamEventName;
    this.#notify((s) => (s[name] as ((data: unknown) => void) | undefined)?.(payload));
  }

  #notify(call: (subscriber: StreamHandlers) => void): void {
    for (const subscriber of [...this.#subscribers]) {
      try {
        call(subscriber);
      } catch (error) {
        // One widget's bug must not silence the others.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  #scheduleReconnect(): void {
    const delay = reconnectDelay(this.#attempt);
    this.#attempt += 1;
    this.#retryTimer = setTimeout(() => void this.#connect(), delay);
  }
}
