// The site's backend: serves the privacy page and mints the logged-in visitor's subject token for the receiver.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gpcFromHeaders, mintSubjectToken } from 'ccpa-optout';

const here = (file) => new URL(file, import.meta.url);
const html = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The site's routes: `/` (the page, pointed at `receiver`), `/site.js`, `/ccpa-optout/page.js`
 * (the package's page entry) and `/subject-token`, which mints a token for `visitor`: a real
 * site takes the email (or PKey) from its own session, never from the request.
 */
export function siteHandler({ receiver, secret, visitor }) {
  const page = readFileSync(here('index.html'), 'utf8').replace('%RECEIVER%', html(receiver));
  const files = {
    '/site.js': readFileSync(here('site.js')),
    '/ccpa-optout/page.js': readFileSync(fileURLToPath(import.meta.resolve('ccpa-optout/page'))),
  };
  return (request, response) => {
    const path = new URL(request.url, 'http://site').pathname;
    if (path === '/' || path === '/index.html') {
      // The receiver reads Sec-GPC itself; this line only shows that the browser sent it.
      console.log(`GET / from a browser with${gpcFromHeaders(request.headers) ? '' : 'out'} Sec-GPC: 1`);
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    } else if (files[path]) {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(files[path]);
    } else if (path === '/subject-token') {
      // Ten minutes are enough for one page view; `no-store` keeps it out of caches.
      const token = mintSubjectToken(secret, visitor, 600);
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify({ token }));
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { RECEIVER_URL, SUBJECT_TOKEN_SECRET, SUBJECT_TOKEN_SECRET_FILE, VISITOR_EMAIL, PORT } = process.env;
  const secret = SUBJECT_TOKEN_SECRET ?? (SUBJECT_TOKEN_SECRET_FILE && readFileSync(SUBJECT_TOKEN_SECRET_FILE, 'utf8').trim());
  if (!RECEIVER_URL || !secret) {
    console.error('set RECEIVER_URL and SUBJECT_TOKEN_SECRET (or SUBJECT_TOKEN_SECRET_FILE): see README.md');
    process.exit(2);
  }
  const visitor = VISITOR_EMAIL ?? 'isabel.obrien1@example.net'; // a demo profile of `serve --emulator`
  const server = createServer(siteHandler({ receiver: RECEIVER_URL, secret, visitor }));
  server.listen(Number(PORT ?? 3000), '127.0.0.1', () => {
    console.log(`site on http://127.0.0.1:${server.address().port} (visitor ${visitor}, receiver ${RECEIVER_URL})`);
  });
}
