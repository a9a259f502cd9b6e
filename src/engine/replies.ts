import type { Slot } from './flow-schema.js';

/** One thing the bot says; `slot` (and `choices`) only when it waits for an answer. Channel-neutral. */
export interface Reply {
  text: string;
  slot?: Slot;
  choices?: Array<{ value: string; label: string }>;
}

const PLACEHOLDER = /\{([a-z_][a-z0-9_]*)\}/g;

/** Fills `{name}` from values; a value the customer never gave reads as `missing` (未提供). */
export function fillPlaceholders(template: string, values: Readonly<Record<string, string | number | undefined>>, missing: string): string {
  return template.replace(PLACEHOLDER, (_all, name: string) => {
    const value = values[name];
    return value === undefined || value === '' ? missing : String(value);
  });
}

const CUSTOMER_TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** How customers read times: Beijing time, "11月23日 14:00". */
export function customerTime(date: Date): string {
  const parts = Object.fromEntries(CUSTOMER_TIME.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.month}月${parts.day}日 ${parts.hour}:${parts.minute}`;
}
