// The webhooks benchmark's receiver (its own process, so that it does not share the worker's event loop):
// answers 200 to every POST, counts each webhook-id; GET /stats gives the counts.
import { createServer } from 'node:http';

const seen = new Map();
let total = 0;
const server = createServer((req, res) => {
  if (req.method === 'GET') {
    const doubled = [...seen.values()].filter((n) => n > 1).length;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ total, unique: seen.size, doubled }));
    return;
  }
  req.resume();
  req.on('end', () => {
    total++;
    const id = String(req.headers['webhook-id']);
    seen.set(id, (seen.get(id) ?? 0) + 1);
    res.writeHead(200).end('ok');
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
