/**
 * Trains the product NLU model once per test run (or reuses it while the corpus is unchanged), so
 * conversation tests read real customer language the way production does without each file paying
 * the 13 s training.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { savedModelIsCurrent, trainModel } from '../../src/nlu/index.js';

export const PRODUCT_MODEL_PATH = path.resolve('node_modules/.cache/complaint-desk/nlu-model.json');

declare module 'vitest' {
  export interface ProvidedContext {
    productModelPath: string;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  mkdirSync(path.dirname(PRODUCT_MODEL_PATH), { recursive: true });
  if (!savedModelIsCurrent({ modelPath: PRODUCT_MODEL_PATH })) await trainModel({ modelPath: PRODUCT_MODEL_PATH });
  project.provide('productModelPath', PRODUCT_MODEL_PATH);
}
