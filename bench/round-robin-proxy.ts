/**
 * A small round-robin HTTP proxy: each request goes to the next instance in turn, as a load balancer
 * without sticky sessions would send it. Used by the two-instance benchmark (bench/instances.ts) and
 * test (test/instances.db.test.ts). It adds `X-Forwarded-For` with the client's address and counts the
 * requests each instance answered.
 */
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobinProxy {
  /** The proxy's own origin, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Sets the instances (their origins) the proxy spreads requests over. */
  setTargets(targets: string[]): void;
  /** Requests sent to each instance so far, in the order of `setTargets`. */
  counts(): number[];
  close(): Promise<void>;
}

/**
 * Starts the proxy on a free port of 127.0.0.1 (or `port`). Targets can be set later, so an instance
 * may be configured with the proxy's origin as its public address before it starts.
 *
 * @example
 * const proxy = await startRoundRobinProxy();
 * proxy.setTargets([a.url, b.url]);
 * await fetch(`${proxy.url}/healthz`); // answered by a, the next by b …
 */
export async function startRoundRobinProxy(port = 0): Promise<RoundRobinProxy> {
  let targets: URL[] = [];
  let counts: number[] = [];
  let next = 0;
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const forward = (req: IncomingMessage, res: ServerResponse) => {
    if (targets.length === 0) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('No instance to send the request to.');
      return;
    }
    const i = next % targets.length;
    next = (next + 1) % targets.length;
    counts[i] = (counts[i] ?? 0) + 1;
    const target = targets[i]!;
    const client = req.socket.remoteAddress ?? '';
    const forwardedFor = req.headers['x-forwarded-for'];
    const upstream = request(
      {
        agent,
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: {
          ...req.headers,
          'x-forwarded-for': forwardedFor ? `${String(forwardedFor)}, ${client}` : client,
        },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end();
    });
    req.pipe(upstream);
  };
  const server = createServer({ keepAlive: true }, forward);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: listening } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${listening}`,
    setTargets(list) {
      targets = list.map((t) => new URL(t));
      counts = list.map(() => 0);
      next = 0;
    },
    counts: () => [...counts],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
