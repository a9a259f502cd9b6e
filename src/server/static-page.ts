import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Next, Request, Response, Server } from 'restify';

/** The pages this service serves (agent desk, web chat, review, dashboard): plain static files, no build step. */
export const WEB_DIR = fileURLToPath(new URL('../web/', import.meta.url));

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

// Everything a page loads comes from this service; customer text can never become script or markup.
const DEFAULT_CSP = [
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

function asset(body: Buffer, type: string): Asset {
  return { body, type, etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 16)}"` };
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
      assets.set(name, asset(readFileSync(path.join(dir, name)), type));
    }
  };
  walk('');
  return assets;
}

/**
 * The asset a request path names, or undefined. Only names read from the folder at registration can
 * match, so `..`, encoded separators and absolute paths find nothing.
 */
function assetFor(assets: Map<string, Asset>, mount: string, requestPath: string): Asset | undefined {
  if (requestPath === mount || requestPath === `${mount}/`) return assets.get('index.html');
  if (!requestPath.startsWith(`${mount}/`)) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(requestPath.slice(mount.length + 1));
  } catch {
    return undefined;
  }
  if (name.includes('\\') || name.includes('\0') || name.split('/').some((part) => part === '' || part === '.' || part === '..')) return undefined;
  return assets.get(name);
}

export interface StaticPage {
  /** Where the page lives, e.g. "/agent": the page itself there, its files under "<mount>/". */
  mount: string;
  /** The folder of the page's files (index.html and what it loads). */
  dir: string;
  /** Files from installed packages served beside the page's own: name under the mount → absolute path. */
  vendor?: Record<string, string>;
  /** Other paths answering with the page's index.html (the web chat also lives at "/"). */
  aliases?: string[];
  /** The page's Content-Security-Policy when the default (everything from 'self', no inline code) is too strict. */
  csp?: string;
}

/**
 * GET/HEAD <mount> (the page) and <mount>/<file> (its scripts, styles and vendor bundles), read once,
 * here. Responses are revalidated on every load (`cache-control: no-cache` with an ETag), so a
 * deployed change is picked up by the next page load and an unchanged file costs a 304.
 */
export function registerStaticPage(server: Server, page: StaticPage): void {
  const { mount } = page;
  const assets = loadAssets(page.dir);
  if (!assets.has('index.html')) throw new Error(`The page at ${mount} is missing: no index.html in ${page.dir}`);
  for (const [name, file] of Object.entries(page.vendor ?? {})) {
    const type = CONTENT_TYPES[path.extname(name).toLowerCase()];
    if (!type) throw new Error(`Unknown file type for ${name}`);
    assets.set(name, asset(readFileSync(file), type));
  }
  const aliases = new Set(page.aliases ?? []);
  const csp = page.csp ?? DEFAULT_CSP;

  const serve = (req: Request, res: Response, next: Next): void => {
    const requestPath = req.getPath();
    const found = aliases.has(requestPath) ? assets.get('index.html') : assetFor(assets, mount, requestPath);
    if (!found) {
      res.json(404, { error: 'not_found', message: 'No such file.' });
      return next(false);
    }
    const headers: Record<string, string> = {
      'content-type': found.type,
      'cache-control': 'no-cache',
      etag: found.etag,
      'x-content-type-options': 'nosniff',
    };
    if (found.type.startsWith('text/html')) {
      headers['content-security-policy'] = csp;
      headers['referrer-policy'] = 'no-referrer';
      headers['x-frame-options'] = 'DENY';
    }
    const conditional = req.header('if-none-match');
    if (conditional && conditional.split(',').some((tag) => tag.trim().replace(/^W\//, '') === found.etag)) {
      res.writeHead(304, headers);
      res.end();
      return next(false);
    }
    headers['content-length'] = String(found.body.length);
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : found.body);
    return next(false);
  };

  for (const route of [mount, `${mount}/*`, ...aliases]) {
    server.get(route, serve);
    server.head(route, serve);
  }
}

/** The agent desk: vanilla ES modules and CSS in src/web/agent/. */
export function registerAgentPage(server: Server, dir: string = path.join(WEB_DIR, 'agent')): void {
  registerStaticPage(server, { mount: '/agent', dir });
}
