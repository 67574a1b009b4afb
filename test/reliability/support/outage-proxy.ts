/**
 * A TCP proxy on loopback in front of a stand-in, to take the receiver away for a
 * while: `refuse()` closes the port (connection refused), `reset()` accepts and
 * drops every connection, `up()` forwards again on the same port.
 */
import { once } from 'node:events';
import { createServer, connect, type Server, type Socket } from 'node:net';

export type ProxyMode = 'up' | 'refuse' | 'reset';

export interface OutageProxy {
  url: string;
  readonly mode: ProxyMode;
  /** Connections refused or reset so far. */
  readonly refused: number;
  up(): Promise<void>;
  refuse(): Promise<void>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startOutageProxy(target: { port: number; host?: string }): Promise<OutageProxy> {
  const host = target.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  let mode: ProxyMode = 'up';
  let refused = 0;
  let port = 0;

  const onConnection = (client: Socket) => {
    if (mode !== 'up') {
      refused += 1;
      client.destroy();
      return;
    }
    const upstream = connect(target.port, host);
    sockets.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream).pipe(client);
  };

  let server: Server | null = null;
  const listen = async () => {
    server = createServer(onConnection);
    server.listen(port, host);
    await once(server, 'listening');
    port = (server.address() as { port: number }).port;
  };
  const stopListening = async () => {
    const current = server;
    server = null;
    if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
  };
  const dropAll = () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  await listen();

  return {
    url: `http://${host}:${port}`,
    get mode() {
      return mode;
    },
    get refused() {
      return refused;
    },
    async up() {
      mode = 'up';
      if (!server) await listen();
    },
    async refuse() {
      mode = 'refuse';
      dropAll();
      await stopListening();
    },
    async reset() {
      mode = 'reset';
      dropAll();
      if (!server) await listen();
    },
    async close() {
      dropAll();
      await stopListening();
    },
  };
}
