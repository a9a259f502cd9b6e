/**
 * `npm run chat`: talk to the bot in a terminal as a customer would — the same engine, flows, NLU,
 * back office and storage as the service (DATA_DIR / MONGODB_URI). The service itself must not be
 * running on the same embedded data directory, which only one process may open.
 */
import { createInterface } from 'node:readline';
import { ConsoleAdapter } from '../bot/console-adapter.js';
import { loadConfig, ConfigError } from '../config.js';
import { createLogger } from '../logger.js';
import { buildServices } from '../services.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(process.env.LOG_LEVEL ? config.LOG_LEVEL : 'warn');
  const services = await buildServices(config, logger);
  process.stdout.write('正在加载语言模型…\n');
  if ((await services.nlu.ready()) !== 'ready') throw new Error('the language model could not be loaded (see the log above)');

  const adapter = new ConsoleAdapter((activity) => process.stdout.write(`客服：${activity.text ?? ''}\n`));
  services.channels.register('console', adapter);
  const input = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY, prompt: '您：' });
  // Taken before the first turn: it buffers lines, so a conversation piped in is read whole.
  const lines = input[Symbol.asyncIterator]();
  process.stdout.write('宽带投诉助手（输入 exit 退出）\n');
  await adapter.say('你好', (context) => services.bot.run(context));
  try {
    for (;;) {
      input.prompt();
      const next = await lines.next();
      if (next.done) break;
      const line = next.value;
      if (line.trim().toLowerCase() === 'exit') break;
      if (!process.stdin.isTTY) process.stdout.write(`${line}\n`);
      await adapter.say(line, (context) => services.bot.run(context));
    }
  } finally {
    input.close();
    await services.close();
  }
}

main().catch((err: unknown) => {
  const message = err instanceof ConfigError ? err.message : `chat failed: ${err instanceof Error ? err.message : String(err)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
