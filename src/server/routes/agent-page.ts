import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Next, Request, Response, Server } from 'restify';

/** The agent desk: plain static files (vanilla ES modules and CSS, no build step) in src/web/agent/. */
export const AGENT_PAGE_DIR = fileURLToPath(new URL('../../web/agent/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

// Everything the page loads comes from this service; customer text can never become script or markup.
const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

/** Every servable file under `dir`, keyed by its relative path with '/' separators. Dotfiles and unknown types are left out. */
function loadAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const walk = (relative: string): void => {
    for (const entry of readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const name = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        walk(name);
        continue;
      }
      const type = CONTENT_TYPES[path.extname(entry.name).toLowerCase()];
      if (!entry.isFile() || !type) continue;
      const body = readFileSync(path.join(dir, name));
      const etag = `"${createHash('sha1').update(body).digest('base64url').slice(0, 16)}"`;
      assets.set(name, { body, type, etag });
    }
  };
  walk('');
  return assets;
}

/**
 * The asset a request path names, or undefined. Only names read from the folder at registration can
 * match, so `..`, encoded separators and absolute paths find nothing.
 */
function assetFor(assets: Map<string, Asset>, requestPath: string): Asset | undefined {
  if (requestPath === '/agent' || requestPath === '/agent/') return assets.get('index.html');
  if (!requestPath.startsWith('/agent/')) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(requestPath.slice('/agent/'.length));
  } catch {
    return undefined;
  }
  if (name.includes('\\') || name.includes('\0') || name.split('/').some((part) => part === '' || part === '.' || part === '..')) return undefined;
  return assets.get(name);
}

/**
 * GET/HEAD /agent (the desk page) and /agent/<file> (its scripts and styles), read from src/web/agent/
 * once, here. Responses are revalidated on every load (`cache-control: no-cache` with an ETag), so a
 * deployed change is picked up by the next page load and an unchanged file costs a 304.
 */
export function registerAgentPage(server: Server, dir: string = AGENT_PAGE_DIR): void {
  const assets = loadAssets(dir);
  if (!assets.has('index.html')) throw new Error(`The agent desk page is missing: no index.html in ${dir}`);

  const serve = (req: Request, res: Response, next: Next): void => {
    const asset = assetFor(assets, req.getPath());
    if (!asset) {
      res.json(404, { error: 'not_found', message: 'No such file.' });
      return next(false);
    }
    const headers: Record<string, string> = {
      'content-type': asset.type,
      'cache-control': 'no-cache',
      etag: asset.etag,
      'x-content-type-options': 'nosniff',
    };
    if (asset.type.startsWith('text/html')) {
      headers['content-security-policy'] = PAGE_CSP;
      headers['referrer-policy'] = 'no-referrer';
      headers['x-frame-options'] = 'DENY';
    }
    const conditional = req.header('if-none-match');
    if (conditional && conditional.split(',').some((tag) => tag.trim().replace(/^W\//, '') === asset.etag)) {
      res.writeHead(304, headers);
      res.end();
      return next(false);
    }
    headers['content-length'] = String(asset.body.length);
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : asset.body);
    return next(false);
  };

  for (const route of ['/agent', '/agent/*']) {
    server.get(route, serve);
    server.head(route, serve);
  }
}
