/** Runs the services' periodic tasks; stop() waits for runs in progress. */
import { log } from './log.ts';
import type { BackgroundTask } from './services/index.ts';

export function startBackground(tasks: readonly BackgroundTask[]): { stop(): Promise<void> } {
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();

  const schedule = (task: BackgroundTask, delay: number) => {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      const run = task
        .run()
        .catch((error) => log.error('background task failed', { task: task.name, error: String(error?.stack ?? error) }))
        .finally(() => {
          running.delete(run);
          schedule(task, task.intervalMs);
        });
      running.add(run);
    }, delay);
    timer.unref?.();
    timers.add(timer);
  };
  for (const task of tasks) schedule(task, Math.min(task.intervalMs, 1000));

  return {
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      await Promise.allSettled([...running]);
    },
  };
}
