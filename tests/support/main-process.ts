import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * As `npm start` runs it: the flags silence two import-time warnings of dependencies (restify's spdy,
 * nlp.js's logger) that no operator can act on and that would bury a configuration error.
 */
const START_FLAGS = ['--disable-warning=DEP0111', '--disable-warning=PINODEP008'];

function spawnMain(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [...START_FLAGS, '--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs the service until it exits by itself (e.g. on a configuration error). */
export function runMain(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnMain(env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

export interface MainProcess {
  child: ChildProcess;
  baseUrl: string;
  logLines: () => Record<string, unknown>[];
  exited: Promise<number | null>;
}

/** Starts the service as `npm start` would, and resolves once it logs that it is listening. */
export function startMain(env: Record<string, string>): Promise<MainProcess> {
  const child = spawnMain({ PORT: '0', ...env });
  const lines: Record<string, unknown>[] = [];
  let buffered = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      buffered += d.toString();
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          lines.push(entry);
          if (entry.msg === 'complaint desk listening') {
            resolve({ child, baseUrl: `http://127.0.0.1:${String(entry.port)}`, logLines: () => lines, exited });
          }
        } catch {
          // not a log line
        }
      }
    });
    void exited.then((code) => reject(new Error(`service exited with ${code} before listening: ${stderr}`)));
  });
}
