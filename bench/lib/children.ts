/** Child processes of the benchmark: servers that announce `READY {json}`, and one-shot JSON tools. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface Running<T> {
  info: T;
  child: ChildProcess;
  /** Captured stderr (last 20 kB), for failures. */
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts `node [--import tsx] file args…` and waits for its READY line. */
export async function startChild<T>(file: string, args: string[], options: { tsx?: boolean; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Running<T>> {
  const argv = [...(options.tsx === false ? [] : ['--import', 'tsx']), file, ...args];
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
  let err = '';
  child.stderr!.on('data', (chunk) => {
    err = (err + chunk).slice(-20_000);
  });
  const info = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not start in time:\n${err}`)), options.timeoutMs ?? 60_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('READY ')) {
        clearTimeout(timer);
        resolve(JSON.parse(line.slice(6)) as T);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited (${code}) before it was ready:\n${err}`));
    });
  });
  return {
    info,
    child,
    stderr: () => err,
    stop: () => stopChild(child),
  };
}

/** SIGTERM, then SIGKILL after 15 s; resolves once the child has exited. */
export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Runs `node file arg` and parses the last stdout line as JSON. */
export function runJson<T>(file: string, arg: string, options: { tsx?: boolean } = {}): Promise<T> {
  const argv = [...(options.tsx ? ['--import', 'tsx'] : []), file, arg];
  return new Promise<T>((resolve, reject) => {
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk) => (out += chunk));
    child.stderr!.on('data', (chunk) => (err = (err + chunk).slice(-20_000)));
    child.once('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`${file} exited ${code}:\n${err}`));
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${file} printed no JSON:\n${out}\n${err}`));
      }
    });
  });
}
