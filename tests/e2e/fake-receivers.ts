// Small real HTTP servers for the outbox and endpoint tests: a counting proxy
// in front of the real receiver (so "sent once" is counted in POSTs, not in
// de-duplicated rows), and local stand-ins for the webhooks schools use
// (docs/endpoints.md). Node's own http module: nothing to install.
import * as http from 'http';
import { expect, Page } from '@playwright/test';

/** A port relative to this run's E2E_PORT, so parallel runs never collide.
 *  `port(2)` and `port(3)` are the 8183/8184 the specs used before. */
export const port = (n: number) => Number(process.env.E2E_PORT ?? 8181) + n;

/** One POST as a server saw it. */
export interface Post { at: number; contentType: string; key?: string; body: string; status?: number }

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A server on 127.0.0.1:`port` answering with `handle`. */
export class Server {
  private server?: http.Server;
  constructor(public port: number, private handle: Handler) {}
  get url() { return `http://127.0.0.1:${this.port}`; }
  async start() {
    this.server = http.createServer(async (req, res) => this.handle(req, res, await readBody(req)));
    await new Promise<void>((ok, fail) => { this.server!.once('error', fail); this.server!.listen(this.port, '127.0.0.1', ok); });
  }
  async stop() {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise(r => this.server!.close(r));
    this.server = undefined;
  }
}

/** Forwards everything to `upstream` and records each POST to the
 *  submissions path that reached it. With `hang`, such POSTs are accepted and
 *  never answered (a hung endpoint); `aborted` counts the ones the page gave
 *  up on. When the upstream is down the page sees a network failure. */
export class CountingProxy extends Server {
  /** POSTs that reached the upstream, with its status. */
  posts: Post[] = [];
  /** Every POST the proxy saw, reached or not. */
  attempts = 0;
  hang = false;
  /** Holds each POST this long before forwarding it (a slow endpoint). */
  delayMs = 0;
  aborted = 0;
  /** Every other request: its path and the upstream's status. */
  gets: { path: string; status: number }[] = [];
  constructor(port: number, public upstream: string) {
    super(port, (req, res, body) => this.forward(req, res, body));
  }
  private forward(req: http.IncomingMessage, res: http.ServerResponse, body: string) {
    const isPost = req.method === 'POST' && req.url!.startsWith('/api/submissions');
    const at = Date.now();
    if (isPost) {
      this.attempts++;
      if (this.hang) {
        res.once('close', () => { if (!res.writableEnded) this.aborted++; });
        return;
      }
    }
    if (isPost && this.delayMs > 0) setTimeout(() => this.send(req, res, body, at, isPost), this.delayMs);
    else this.send(req, res, body, at, isPost);
  }
  private send(req: http.IncomingMessage, res: http.ServerResponse, body: string, at: number, isPost: boolean) {
    const up = http.request(this.upstream + req.url, { method: req.method, headers: req.headers, agent: false }, upRes => {
      if (isPost) this.posts.push({ at, contentType: String(req.headers['content-type']), body, status: upRes.statusCode });
      else this.gets.push({ path: req.url!, status: upRes.statusCode! });
      res.writeHead(upRes.statusCode!, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', () => req.socket.destroy());
    up.end(body);
  }
}

/** What the fake webhooks below share: their POSTs, their stored records
 *  (one per submission_id), and `failNext` answers of 503 first. */
export class Webhook extends Server {
  posts: Post[] = [];
  options = 0;
  records = new Map<string, string>();
  failNext = 0;
  constructor(port: number, answer: (w: Webhook, req: http.IncomingMessage, res: http.ServerResponse, body: string) => void) {
    super(port, (req, res, body) => {
      if (req.method === 'OPTIONS') this.options++;
      if (req.method === 'POST') {
        const key = req.headers['idempotency-key'] as string | undefined;
        this.posts.push({ at: Date.now(), contentType: String(req.headers['content-type']), key, body });
        if (this.failNext > 0) {
          this.failNext--;
          this.posts[this.posts.length - 1].status = 503;
          res.writeHead(503, { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'text/plain' }).end('busy');
          return;
        }
      }
      answer(this, req, res, body);
    });
  }
  /** Stores the body under its submission_id unless already there. */
  store(body: string): { id: string; repeat: boolean } {
    const id = JSON.parse(body).submission_id;
    const repeat = this.records.has(id);
    if (!repeat) this.records.set(id, body);
    return { id, repeat };
  }
  /** The POSTs answered with anything but the 503s it was told to give. */
  get accepted() { return this.posts.filter(p => p.status !== 503); }
}

/** Google Apps Script's shape: no preflight (OPTIONS is 405 with no CORS
 *  headers), a text/plain POST runs doPost, whose output is served from a
 *  second host after a 302; both answers carry ACAO *. */
export function appsScriptLike(scriptPort: number, echoPort: number) {
  const outputs = new Map<string, string>();
  let n = 0;
  const echo = new Server(echoPort, (req, res) => {
    const key = new URL(req.url!, 'http://x').searchParams.get('user_content_key') ?? '';
    if (req.method !== 'GET' || !outputs.has(key)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'application/json' }).end(outputs.get(key));
  });
  const script = new Webhook(scriptPort, (w, req, res, body) => {
    if (req.method !== 'POST') { res.writeHead(405, { 'Content-Type': 'text/html' }).end('<p>Method not allowed</p>'); return; }
    // doPost: de-duplicate by submission_id, append, answer with the id.
    const { id, repeat } = w.store(body);
    const key = `out${++n}`;
    outputs.set(key, JSON.stringify({ status: repeat ? 'already_received' : 'received', submission_id: id }));
    res.writeHead(302, { 'Access-Control-Allow-Origin': '*', Location: `${echo.url}/macros/echo?user_content_key=${key}` }).end();
  });
  return { script, echo, async start() { await echo.start(); await script.start(); }, async stop() { await script.stop(); await echo.stop(); } };
}

/** An endpoint that takes only the JSON mode: it answers the preflight for
 *  Content-Type and Idempotency-Key, and refuses anything but JSON with the key. */
export function jsonOnly(p: number) {
  return new Webhook(p, (w, req, res, body) => {
    const cors = { 'Access-Control-Allow-Origin': '*' };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': 'content-type, idempotency-key' }).end();
      return;
    }
    const key = req.headers['idempotency-key'];
    if (!String(req.headers['content-type']).startsWith('application/json') || !key || JSON.parse(body).submission_id !== key) {
      res.writeHead(415, { ...cors, 'Content-Type': 'application/json' }).end('{"error":"send application/json with Idempotency-Key"}');
      return;
    }
    const { repeat } = w.store(body);
    res.writeHead(repeat ? 200 : 201, { ...cors, 'Content-Type': 'application/json' }).end('{"status":"ok"}');
  });
}

/** A form backend that cannot answer a preflight and de-duplicates by the
 *  body's id only; it answers 204 with no body. */
export function dedupById(p: number) {
  return new Webhook(p, (w, req, res, body) => {
    if (req.method !== 'POST') { res.writeHead(405).end(); return; }
    w.store(body);
    res.writeHead(204, { 'Access-Control-Allow-Origin': '*' }).end();
  });
}

/** The outbox entries stored in the page, parsed. */
export async function stored(page: Page): Promise<any[]> {
  return page.evaluate(() => Object.keys(localStorage).filter(k => k.startsWith('cohort-survey:outbox:'))
    .map(k => { try { return JSON.parse(localStorage.getItem(k)!); } catch { return null; } }));
}

/** Whether this page holds the outbox's Web Lock (a send is under way). */
export async function lockHeld(page: Page): Promise<boolean> {
  return page.evaluate(async () => (await navigator.locks.query()).held!.some(l => l.name === 'cohort-survey-outbox'));
}

/** Waits until `page` has nothing waiting and its sender is idle: after
 *  this, it sends nothing more. */
export async function outboxIdle(page: Page) {
  await expect(page.locator('.outbox')).toHaveCount(0, { timeout: 30_000 });
  await expect.poll(async () => (await stored(page)).length + (await lockHeld(page) ? 1 : 0), { timeout: 30_000 }).toBe(0);
}
