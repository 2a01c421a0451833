// A scripted, misbehaving HTTP server on a loopback port for the hostile-input table
// (tests/vectors/hostile.json): each request gets the next scripted answer (slowly, cut short,
// oversized, or none at all) and is recorded. A second listener, the decoy, only counts requests:
// a client following a foreign link or redirect shows up there. Real sockets (node:net).
import net from 'node:net';
import { once } from 'node:events';

// No connection is served for longer than this, whatever the script says.
const MAX_CONNECTION_MS = 10_000;
const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/** Starts both listeners; `close()` stops them. */
export async function startHostileServer(answers) {
  const state = { seen: [], decoyHits: 0, stopped: false };
  const sockets = new Set();
  const servers = [net.createServer(), net.createServer()];
  for (const server of servers) {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  }
  const base = `http://127.0.0.1:${servers[0].address().port}`;
  const decoy = `http://127.0.0.1:${servers[1].address().port}`;
  servers.forEach((server, index) => server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {}); // a client hanging up early is part of the tests
    serve(socket, index === 1).catch(() => socket.destroy());
  }));

  async function serve(socket, isDecoy) {
    const seen = await readRequest(socket);
    if (!seen) return;
    if (isDecoy) {
      state.decoyHits += 1;
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}');
      return;
    }
    const answer = answers[Math.min(state.seen.length, answers.length - 1)];
    state.seen.push(seen);
    await answerWith(socket, answer, seen);
  }

  async function answerWith(socket, answer, seen) {
    const started = Date.now();
    const alive = () => !state.stopped && !socket.destroyed && Date.now() - started < MAX_CONNECTION_MS;
    if (answer.close) {
      socket.destroy();
      return;
    }
    while (Date.now() < started + (answer.headDelayMs ?? 0) && alive()) await sleep(20);
    const header = Object.fromEntries(seen.headers);
    const fill = (text) => text.replaceAll('{server}', base).replaceAll('{decoy}', decoy)
      .replaceAll('{authorization}', header.authorization ?? '')
      .replaceAll('{apiKey}', header['x-api-key'] ?? '');
    let body = answer.bodyHex !== undefined
      ? Buffer.from(answer.bodyHex, 'hex') : Buffer.from(fill(answer.body ?? ''));
    if (answer.repeat) {
      body = Buffer.concat([body, Buffer.from(answer.repeat.text.repeat(answer.repeat.times)),
        Buffer.from(answer.repeat.suffix ?? '')]);
    }
    let head = `HTTP/1.1 ${answer.status ?? 200} Scripted\r\nConnection: close\r\n`;
    for (const [name, value] of answer.headers ?? []) head += `${name}: ${fill(value)}\r\n`;
    head += answer.chunked ? 'Transfer-Encoding: chunked\r\n\r\n'
      : `Content-Length: ${answer.declaredLength ?? body.length}\r\n\r\n`;
    const byteDelay = answer.byteDelayMs ?? 0;
    const bodyDelay = Math.max(byteDelay, answer.bodyByteDelayMs ?? 0);
    if (!await trickle(socket, Buffer.from(head), byteDelay, alive)) return;
    if (answer.chunked) {
      for (let start = 0; start < body.length; start += 16 * 1024) {
        if (!alive()) return;
        const chunk = body.subarray(start, start + 16 * 1024);
        await write(socket, Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]));
      }
      await write(socket, Buffer.from('0\r\n\r\n'));
    } else {
      await trickle(socket, body, bodyDelay, alive);
    }
    socket.end();
  }

  return {
    base,
    decoy,
    get seen() { return state.seen; },
    get decoyHits() { return state.decoyHits; },
    async close() {
      state.stopped = true;
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((server) => new Promise((resolve) => { server.close(resolve); })));
    },
  };
}

/** Reads the request head and any Content-Length body; null if the peer gave up. */
function readRequest(socket) {
  return new Promise((resolve) => {
    let data = Buffer.alloc(0);
    let head = null;
    const done = (value) => {
      socket.removeAllListeners('data');
      resolve(value);
    };
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (!head) {
        const end = data.indexOf('\r\n\r\n');
        if (end < 0) return;
        const lines = data.subarray(0, end).toString('latin1').split('\r\n');
        const [method, target] = lines[0].split(' ');
        const headers = lines.slice(1).map((line) => {
          const colon = line.indexOf(':');
          return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
        });
        head = { method, target, headers, bodyStart: end + 4 };
      }
      const length = Number(Object.fromEntries(head.headers)['content-length'] ?? 0);
      if (data.length - head.bodyStart >= Math.min(length, 1 << 20)) {
        done({ method: head.method, target: head.target, headers: head.headers });
      }
    });
    socket.once('end', () => done(null));
    socket.once('close', () => done(null));
  });
}

function write(socket, buffer) {
  return new Promise((resolve) => {
    if (socket.destroyed) { resolve(false); return; }
    socket.write(buffer, (err) => resolve(!err));
  });
}

async function trickle(socket, buffer, delay, alive) {
  if (!delay) return write(socket, buffer);
  for (const byte of buffer) {
    if (!alive() || !await write(socket, Buffer.from([byte]))) return false;
    await sleep(delay);
  }
  return true;
}
