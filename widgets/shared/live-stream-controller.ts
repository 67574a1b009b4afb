import type { ReactiveController } from 'lit';
import type { ApiClient } from './api-client.ts';
import type { BhElement } from './base-element.ts';
import type { StreamHandlers } from './live-stream.ts';

/**
 * Subscribes a widget to the live stream of its current client while it is connected.
 * Widgets sharing a client (a provider, a dashboard) share one connection. When the
 * client changes the subscription moves with it.
 *
 * @example
 * new LiveStreamController(this, () => this.client, {
 *   'device.updated': (device) => this.loader.applyUpdate(device),
 * });
 */
export class LiveStreamController implements ReactiveController {
  readonly #clientOf: () => ApiClient | undefined;
  readonly #handlers: StreamHandlers;
  #client?: ApiClient;
  #unsubscribe?: () => void;
  #connected = false;

  constructor(host: BhElement, clientOf: () => ApiClient | undefined, handlers: StreamHandlers) {
    this.#clientOf = clientOf;
    this.#handlers = handlers;
    host.addController(this);
  }

  hostConnected(): void {
    this.#connected = true;
    this.#sync();
  }

  hostUpdated(): void {
    this.#sync();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#sync();
  }

  #sync(): void {
    const client = this.#connected ? this.#clientOf() : undefined;
    if (client === this.#client) return;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#client = client;
    if (client) this.#unsubscribe = client.stream.subscribe(this.#handlers);
  }
}
