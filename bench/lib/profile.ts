/**
 * CPU profiles of in-process benchmark phases (node:inspector), written as
 * .cpuprofile files (open in Chrome DevTools) with a self-time summary, so a missed
 * target comes with its evidence.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface Hotspot {
  function: string;
  location: string;
  selfMs: number;
  selfPercent: number;
}

let session: Session | null = null;

/** Runs `work` under the CPU profiler when `file` is given; returns its result and the top self-time frames. */
export async function profiled<T>(file: string | null, work: () => Promise<T>): Promise<{ result: T; hotspots: Hotspot[] | null }> {
  if (!file) return { result: await work(), hotspots: null };
  if (!session) {
    session = new Session();
    session.connect();
  }
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  let result: T;
  try {
    result = await work();
  } finally {
    const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
    mkdirSync(file.replace(/\/[^/]+$/, ''), { recursive: true });
    writeFileSync(file, JSON.stringify(profile));
    lastHotspots = summarize(profile);
  }
  return { result: result!, hotspots: lastHotspots };
}
let lastHotspots: Hotspot[] = [];

/** Self time per function (JS frames, plus "(garbage collector)" and "(program)"), biggest first. */
export function summarize(profile: Profile, top = 12): Hotspot[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i]!);
    const dt = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${shorten(url)}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'}\t${where}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, ms]) => {
      const [fn, location] = key.split('\t');
      return { function: fn!, location: location!, selfMs: Math.round(ms), selfPercent: Math.round((ms / Math.max(total, 1)) * 1000) / 10 };
    });
}

function shorten(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path.replace(/^.*node_modules\//, 'node_modules/') : rel;
}

export function formatHotspots(hotspots: readonly Hotspot[] | null, indent = '    '): string {
  if (!hotspots || hotspots.length === 0) return '';
  return hotspots.map((h) => `${indent}${String(h.selfPercent).padStart(5)} %  ${String(h.selfMs).padStart(6)} ms  ${h.function}  ${h.location}`).join('\n');
}
