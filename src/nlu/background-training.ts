import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadRecognizer, savedModelIsCurrent } from './index.js';
import type { Recognizer } from './recognizer.js';

const TRAIN_SCRIPT = fileURLToPath(new URL('../cli/train.ts', import.meta.url));

/**
 * For the server: training is synchronous CPU work (about 13 s) that would block every request, so
 * a missing or stale model is trained in a child process (`npm run train`) before it is loaded here.
 */
export async function loadRecognizerForServer(modelPath: string, log: (msg: string) => void, signal?: AbortSignal): Promise<Recognizer> {
  if (!savedModelIsCurrent({ modelPath })) {
    log(`nlu: model at ${modelPath} is missing or stale; training in a child process`);
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [...process.execArgv, TRAIN_SCRIPT], {
        env: { ...process.env, NLU_MODEL_PATH: modelPath },
        stdio: ['ignore', 'ignore', 'pipe'],
        // Shutdown aborts: a training child must not outlive the service that started it.
        ...(signal ? { signal, killSignal: 'SIGKILL' as const } : {}),
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`training exited with ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}`)),
      );
    });
  }
  return loadRecognizer({ modelPath, log });
}
