/** The WeChat channel's data files (menu keys and its own wording), validated at start-up. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

const chinese = z.string().trim().regex(/[\u4e00-\u9fff]/, 'must be Chinese text');

const MenuSchema = z.record(z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'EventKey must be 1-128 letters, digits, "_" or "-"'), chinese);
const TextsSchema = z.strictObject({ unsupportedMessage: chinese });

export type MenuKeys = z.infer<typeof MenuSchema>;
export type ChannelTexts = z.infer<typeof TextsSchema>;

function load<T>(file: string, schema: z.ZodType<T>): T {
  const url = new URL(file, import.meta.url);
  const result = schema.safeParse(parse(readFileSync(url, 'utf8')));
  if (!result.success) throw new Error(`src/channels/wechat/${file}: ${z.prettifyError(result.error)}`);
  return result.data;
}

export function loadChannelContent(): { menu: MenuKeys; texts: ChannelTexts } {
  return { menu: load('menu.yaml', MenuSchema), texts: load('texts.yaml', TextsSchema) };
}
