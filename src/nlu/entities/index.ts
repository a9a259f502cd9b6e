import { extractAccounts } from './account.js';
import { extractDevices } from './device.js';
import { extractErrorCodes } from './error-code.js';
import { extractLightStates } from './light-state.js';
import { NormalizedText } from './normalized-text.js';
import { extractPhones } from './phone.js';
import { resolveOverlaps } from './resolve-overlaps.js';
import { extractSpeeds } from './speed.js';
import { extractTicketNumbers } from './ticket-number.js';
import type { Entity, Extractor } from './types.js';
import { extractUrls } from './url.js';

export type { Entity, EntityType } from './types.js';

const EXTRACTORS: readonly Extractor[] = [
  extractTicketNumbers,
  extractUrls,
  extractPhones,
  extractAccounts,
  extractSpeeds,
  extractErrorCodes,
  extractLightStates,
  extractDevices,
];

/** Entities of a raw customer message, sorted by start, never overlapping. */
export function extractEntities(text: string): Entity[] {
  const normalized = new NormalizedText(text);
  const candidates = EXTRACTORS.flatMap((extract) => extract(normalized.text));
  return resolveOverlaps(candidates).map((c) => {
    const { start, end } = normalized.toOriginal(c.start, c.end);
    return { type: c.type, value: c.value, text: text.slice(start, end), start, end };
  });
}
