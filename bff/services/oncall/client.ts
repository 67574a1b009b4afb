/** The On-Call service's page endpoint (docs/decisions.md): `POST {baseUrl}/pages` with `X-Integration-Key`. */
import { requestJson } from '../outbox/http.ts';
import type { IntegrationConnection } from '../outbox/connection.ts';

/** A page as On-Call receives it. `dedupKey` ties a resolve to its trigger. */
export interface PageRequest {
  action: 'trigger' | 'resolve';
  dedupKey: string;
  escalationPolicy: string;
  severity: 'critical';
  summary: string;
  client: { id: string; name: string };
  device: { id: string; name: string };
  /** Hours in breach when sent, one decimal. */
  breachHours: number;
  /** The device in the console. */
  link: string;
}

export type OnCallConnection = IntegrationConnection;

/** Sends one page; failures are thrown as DeliveryError. */
export async function sendPage(
  connection: OnCallConnection,
  page: PageRequest,
  options: { idempotencyKey: string; now: number },
): Promise<unknown> {
  const { json } = await requestJson({
    method: 'POST',
    url: `${connection.baseUrl.replace(/\/+$/, '')}/pages`,
    headers: { 'X-Integration-Key': connection.integrationKey, 'Idempotency-Key': options.idempotencyKey },
    body: page,
    timeoutMs: connection.timeoutMs,
    networks: connection.networks,
    now: options.now,
  });
  return json;
}
