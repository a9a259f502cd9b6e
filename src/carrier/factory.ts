import { fileURLToPath } from 'node:url';
import { CarrierConfigError } from './errors.js';
import { HttpCarrier } from './http-carrier.js';
import type { CarrierPort } from './port.js';
import { CarrierSimulator } from './simulator.js';

export interface CarrierSettings {
  /** CARRIER_FIXTURES: the simulator's fixtures file; unset → the bundled demo back office. */
  fixturesPath?: string | undefined;
  /** CARRIER_URL: a real back office speaking the contract in http-carrier.ts. */
  url?: string | undefined;
  /** CARRIER_TIMEOUT_MS: the budget of one back-office call, its single retry included. */
  timeoutMs: number;
}

export const DEMO_FIXTURES_PATH = fileURLToPath(new URL('./demo-fixtures.json', import.meta.url));

/** Picks the adapter from configuration; fixtures are read here, once, so a bad file stops start-up. */
export function createCarrier(settings: CarrierSettings): CarrierPort {
  if (settings.url && settings.fixturesPath) {
    // Silently preferring one would leave someone debugging the data source they did not get.
    throw new CarrierConfigError('CARRIER_URL: set either CARRIER_URL or CARRIER_FIXTURES, not both');
  }
  if (settings.url) {
    return new HttpCarrier({ baseUrl: settings.url, timeoutMs: settings.timeoutMs });
  }
  return CarrierSimulator.fromFile(settings.fixturesPath ?? DEMO_FIXTURES_PATH);
}
