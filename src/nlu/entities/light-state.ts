import { z } from 'zod';
import { readEntityData } from './data-files.js';
import type { Candidate } from './types.js';

const LightData = z.object({
  fragments: z.record(z.string(), z.string()),
  states: z
    .array(z.object({ value: z.string().regex(/^[a-z_]+$/), patterns: z.array(z.string().min(1)).min(1) }))
    .min(1),
});
const data = LightData.parse(readEntityData('light-states.json'));

const expand = (pattern: string): string =>
  pattern.replace(/\{([a-z]+)\}/g, (whole, name: string) => {
    const fragment = data.fragments[name];
    if (fragment === undefined) throw new Error(`light-states.json: unknown fragment ${whole}`);
    return fragment;
  });

const STATES = data.states.map((s) => ({
  value: s.value,
  patterns: s.patterns.map((p) => new RegExp(expand(p), 'g')),
}));

/**
 * Indicator-light states ("LOS灯亮红灯" → los_red, "光猫一直闪" → blinking). States are tried in
 * the data file's order and a span, once claimed, is not claimed again: the specific reading
 * ("LOS灯不亮" → los_off) wins over the generic one inside it ("亮").
 */
export function extractLightStates(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const state of STATES) {
    for (const re of state.patterns) {
      for (const m of text.matchAll(re)) {
        if (m[0].length === 0) continue;
        const start = m.index;
        const end = start + m[0].length;
        if (out.some((c) => start < c.end && c.start < end)) continue;
        out.push({ type: 'light_state', value: state.value, start, end, priority: 40 });
      }
    }
  }
  return out;
}
