/** What the demo's pages and endpoints can see of the running demo. */
import type { RunningBff } from '../bff/start.ts';
import type { BusinessHours } from '../core/types.ts';
import type { ApiClient } from './api-client.ts';
import type { Simulator } from './simulator.ts';
import type { StandIns } from './standins.ts';

export interface DemoStatus {
  phase: 'starting' | 'seeding' | 'ready' | 'failed';
  /** Seeding progress, 0–100 (100 once ready). */
  percent: number;
  message: string;
  clients: number;
  devices: number;
  eventsSent: number;
  eventsTotal: number;
}

export interface DemoContext {
  /** The public base URL, e.g. http://127.0.0.1:8787 */
  url: string;
  /** Admin client of the API (the demo's bootstrap key). Server side only. */
  api: ApiClient;
  status: DemoStatus;
  bff: RunningBff | null;
  standIns: StandIns | null;
  simulator: Simulator | null;
  /** An admin API key for the dashboard's Settings tab, minted at start. */
  settingsKey: string | null;
  /** The On-Call business hours in force (chosen so that pages fire now). */
  businessHours: BusinessHours | null;
  databaseUrl: string;
  sweepIntervalSeconds: number;
}
