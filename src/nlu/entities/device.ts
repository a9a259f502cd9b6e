import { z } from 'zod';
import { alternation, normalizeWord, readEntityData } from './data-files.js';
import type { Candidate } from './types.js';

const DeviceData = z.object({
  devices: z.record(z.string().regex(/^[a-z_]+$/), z.array(z.string().min(1)).min(1)),
  blockers: z.array(z.string().min(1)),
});
const data = DeviceData.parse(readEntityData('devices.json'));

const CANONICAL = new Map<string, string>();
for (const [id, words] of Object.entries(data.devices)) {
  for (const word of words) CANONICAL.set(normalizeWord(word), id);
}
// Latin words only count as whole words ("onu" is not inside "bonus").
const wordPattern = (w: string): string =>
  /^[a-z]/.test(w) ? `(?<![a-z])${alternation([w])}(?![a-z])` : alternation([w]);
const DEVICE = new RegExp(
  [...CANONICAL.keys()].sort((a, b) => b.length - a.length).map(wordPattern).join('|'),
  'g',
);
// Phrases in which a device word means something else ("养了只猫", "手机号", "电视台").
const BLOCKER = new RegExp(alternation(data.blockers.map(normalizeWord)), 'g');

/** Devices the customer names, as canonical ids (optical_modem, router, set_top_box, cable, …). */
export function extractDevices(text: string): Candidate[] {
  const blocked: Array<[number, number]> = [];
  for (const m of text.matchAll(BLOCKER)) blocked.push([m.index, m.index + m[0].length]);
  const out: Candidate[] = [];
  for (const m of text.matchAll(DEVICE)) {
    const start = m.index;
    const end = start + m[0].length;
    if (blocked.some(([s, e]) => start < e && s < end)) continue;
    out.push({ type: 'device', value: CANONICAL.get(m[0])!, start, end, priority: 30 });
  }
  return out;
}
