/**
 * autocannon in its own process (the server under test runs in another):
 *   node bench/children/load.mjs '<json options>'
 * options: {url, connections, durationSeconds, warmupSeconds, headers, paths?}
 * (`paths`: each connection cycles through these paths of `url`'s origin instead of `url`),
 * or for a POST load {url, connections, headers, bodiesFile}: every body of the JSON array
 * file sent once, in order.
 * Prints one JSON line: {startedAt, lastResponseAt?, requests, rps, seconds, p50, p90, p99, max, errors, non2xx, timeouts, bytes}.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const options = JSON.parse(process.argv[2]);
const bodies = options.bodiesFile ? JSON.parse(readFileSync(options.bodiesFile, 'utf8')) : null;
let next = 0;
let lastResponseAt = 0;
const run = (duration) => {
  const instance = bodies
    ? autocannon({
        url: options.url,
        connections: options.connections,
        amount: bodies.length,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        requests: [{ setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }) }],
        timeout: 30,
      })
    : autocannon({
        url: options.url,
        connections: options.connections,
        duration,
        headers: options.headers ?? {},
        timeout: 10,
        ...(options.paths ? { requests: options.paths.map((path) => ({ method: 'GET', path })) } : {}),
      });
  if (bodies) instance.on('response', () => (lastResponseAt = performance.now()));
  return instance;
};

if (!bodies && options.warmupSeconds > 0) await run(options.warmupSeconds);
const started = performance.now();
const result = await run(options.durationSeconds);
// A POST load of a fixed set of bodies ends at its last response; autocannon itself
// notices only at its next one-second tick (its duration is whole seconds plus a few ms).
const seconds = bodies ? (lastResponseAt - started) / 1000 : result.duration || options.durationSeconds;
const epoch = (at) => Math.round(performance.timeOrigin + at);
process.stdout.write(
  JSON.stringify({
    // Wall-clock instants (epoch ms) of the run's start and, for a POST load, its last response.
    startedAt: epoch(started),
    ...(bodies ? { lastResponseAt: epoch(lastResponseAt) } : {}),
    requests: result.requests.total,
    rps: result.requests.total / seconds,
    seconds,
    rpsAverage: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors,
    non2xx: result.non2xx,
    timeouts: result.timeouts,
    bytes: result.throughput.total,
  }) + '\n',
);
