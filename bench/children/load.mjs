/**
 * autocannon in its own process (the server under test runs in another):
 *   node bench/children/load.mjs '<json options>'
 * options: {url, connections, durationSeconds, warmupSeconds, headers, paths?}
 * (`paths`: each connection cycles through these paths of `url`'s origin instead of `url`),
 * or for a POST load {url, connections, headers, bodiesFile}: every body of the JSON array
 * file sent once, in order.
 * Prints one JSON line: {requests, rps, seconds, p50, p90, p99, max, errors, non2xx, timeouts, bytes}.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const options = JSON.parse(process.argv[2]);
const bodies = options.bodiesFile ? JSON.parse(readFileSync(options.bodiesFile, 'utf8')) : null;
let next = 0;
const run = (duration) =>
  bodies
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

if (!bodies && options.warmupSeconds > 0) await run(options.warmupSeconds);
const result = await run(options.durationSeconds);
process.stdout.write(
  JSON.stringify({
    requests: result.requests.total,
    rps: result.requests.total / (result.duration || options.durationSeconds),
    seconds: result.duration,
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
