import { containsWord, normalizeAnswer } from './answer-text.js';
import type { AnswerLexicon, CommandName } from './common-content.js';

/**
 * How much longer than the command word a message may be and still be the command: "我要转人工" is a
 * command, a paragraph that mentions 取消 in passing is a complaint. Asking for a person is allowed a
 * longer sentence because missing it is worse than a false alarm.
 */
const SLACK: Record<CommandName, number> = { handoff: 12, cancel: 4, help: 4, ticketQuery: 6 };
const ORDER: readonly CommandName[] = ['handoff', 'cancel', 'help', 'ticketQuery'];

/** The global command a message is, if any. */
export function detectCommand(text: string, lexicon: AnswerLexicon): CommandName | undefined {
  const normalized = normalizeAnswer(text);
  if (!normalized) return undefined;
  for (const command of ORDER) {
    const longest = lexicon.commands[command]
      .filter((word) => containsWord(normalized, text, word))
      .reduce((max, word) => Math.max(max, normalizeAnswer(word).length), 0);
    if (longest > 0 && normalized.length <= longest + SLACK[command]) return command;
  }
  return undefined;
}
