/** Structured JSON logs on stderr. Never pass secrets (keys, tokens) in fields. */
type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
let threshold: Level = (process.env.BHM_LOG_LEVEL as Level) in order ? (process.env.BHM_LOG_LEVEL as Level) : 'info';

function write(level: Level, message: string, fields?: Record<string, unknown>) {
  if (order[level] < order[threshold]) return;
  process.stderr.write(JSON.stringify({ at: new Date().toISOString(), level, message, ...fields }) + '\n');
}

export const log = {
  debug: (message: string, fields?: Record<string, unknown>) => write('debug', message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write('info', message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write('warn', message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write('error', message, fields),
  setLevel(level: Level) {
    threshold = level;
  },
};
