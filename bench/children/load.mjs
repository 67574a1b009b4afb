/**
 * autocannon in its own process (the server under test runs in another):
 *   node bench/children/load.mjs '<json options>'
 * options: {url, connections, durationSeconds, warmupSeconds, headers, paths?}
 * (`paths`: each connection cycles through these paths of `url`'s origin instead of `url`)
 * Prints one JSON line: {requests, rps, p50, p90, p99, max, errors, non2xx, timeouts, bytes}.
 */
import autocannon from 'autocannon';

const options = JSON.parse(process.argv[2]);
const run = (duration) =>
  autocannon({
    url: options.url,
    connections: options.connections,
    duration,
    headers: options.headers ?? {},
    timeout: 10,
    ...(options.paths ? { requests: options.paths.map((path) => ({ method: 'GET', path })) } : {}),
  });

if (options.warmupSeconds > 0) await run(options.warmupSeconds);
const result = await run(options.durationSeconds);
process.stdout.write(
  JSON.stringify({
    requests: result.requests.total,
    rps: result.requests.total / (result.duration || options.durationSeconds),
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
