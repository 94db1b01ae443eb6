// The bare baseline for the load benchmarks: plain `node:http` answering one fixed JSON body, in its own
// process like the application. It does no routing, validation, logging or compression, so its
// throughput is the ceiling this machine, this Node and this load generator allow; `bench/run.ts`
// reports every scenario as a ratio to it.
//
// BARE_BODY_BYTES sets the body size (run.ts passes the size of a real navigator answer);
// it listens on 127.0.0.1 at a free port and prints `bare server listening at <url>`.
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';

const size = Math.max(64, Number(process.env.BARE_BODY_BYTES ?? 2048) || 2048);

// Synthetic content of the requested size, shaped like a small JSON document.
const items = [];
let body = '';
for (let i = 0; ; i += 1) {
  const next = JSON.stringify({
    items: [...items, { id: `item-${i}`, name: `Synthetic item ${i}`, note: 'placeholder text' }],
  });
  if (next.length > size) break;
  items.push({ id: `item-${i}`, name: `Synthetic item ${i}`, note: 'placeholder text' });
  body = next;
}
body = JSON.stringify({ items, padding: 'x'.repeat(Math.max(0, size - body.length - 13)) });
const payload = Buffer.from(body);

// BARE_FRAMEWORK=hono answers the same document from one Hono route on @hono/node-server, with
// c.json() serialising it on every request: the floor of the framework the service is built on.
const framework = process.env.BARE_FRAMEWORK === 'hono' ? 'hono' : 'node:http';
let server;
if (framework === 'hono') {
  const { Hono } = await import('hono');
  const { createAdaptorServer } = await import('@hono/node-server');
  const document = JSON.parse(body);
  const app = new Hono();
  app.get('/', (c) => c.json(document));
  server = createAdaptorServer({ fetch: app.fetch });
} else {
  server = createServer((_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': payload.length,
    });
    res.end(payload);
  });
}

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(
    `bare server listening at http://127.0.0.1:${port} (${payload.length} byte body, ${framework})`,
  );
});

process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
