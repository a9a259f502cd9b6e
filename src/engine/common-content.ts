/**
 * The bot's own wording and answer vocabulary (dialogs/common/*.yaml), validated at start-up like the
 * flows: a missing line would otherwise surface as an empty reply in front of a customer.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { COMPLAINT_INTENTS } from './flow-checks.js';
import { CHECK_NAMES, CHECK_OUTCOMES, type CheckName } from './flow-schema.js';
import { DEFAULT_DIALOGS_DIR } from './flow-loader.js';
import { STATUSES } from '../tickets/types.js';

const words = z.array(z.union([z.string(), z.number()]).transform(String)).min(1);
const chinese = z.string().regex(/[\u4e00-\u9fff]/, 'must be Chinese text');

export const AnswerLexiconSchema = z.strictObject({
  yesDespiteNegation: words,
  no: words,
  yes: words,
  nothing: words,
  cannotMeasure: words,
  commands: z.strictObject({ handoff: words, cancel: words, help: words, ticketQuery: words }),
});
export type AnswerLexicon = z.infer<typeof AnswerLexiconSchema>;
export type CommandName = keyof AnswerLexicon['commands'];

const checkLabel = z.strictObject({ name: chinese, outcomes: z.record(z.string(), chinese) });

export const ReplyTextsSchema = z
  .strictObject({
    welcome: chinese,
    help: chinese,
    goodbye: chinese,
    cancelled: chinese,
    nothingToCancel: chinese,
    emptyMessage: chinese,
    outOfScope: chinese,
    clarify: chinese,
    clarifyOther: chinese,
    clarifyOtherReply: chinese,
    notUnderstood: chinese,
    topicSwitch: chinese,
    resume: chinese,
    riskApology: chinese,
    offerHandoff: chinese,
    offerHandoffAfterMisunderstanding: chinese,
    handoffAskPhone: chinese,
    handoffCallback: chinese,
    handoffCallbackQueued: chinese,
    askTicketReference: chinese,
    ticketStatus: chinese,
    ticketStatusClosed: chinese,
    ticketNotFound: chinese,
    ticketLookupFailed: chinese,
    satisfactionQuestion: chinese,
    satisfactionThanks: chinese,
    technicalError: chinese,
    unavailable: chinese,
    yesLabel: chinese,
    noLabel: chinese,
    resolvedYesLabel: chinese,
    resolvedNoLabel: chinese,
    satisfaction: z.array(z.strictObject({ value: z.string(), label: chinese })).min(2),
    ticketStatuses: z.record(z.enum(STATUSES), chinese),
    topics: z.record(z.string(), chinese),
    checks: z.record(z.enum(CHECK_NAMES), checkLabel),
    checkUnavailable: chinese,
    resolvedOutcomes: z.strictObject({ yes: chinese, no: chinese }),
    notGiven: chinese,
    repeatTicket: chinese,
    ticketStatusPending: chinese,
    callbackSummary: chinese,
    describeProblem: chinese,
    noTicketReference: chinese,
    handoffQueued: chinese,
    handoffStillWaiting: chinese,
    handoffTransferred: chinese,
    handoffNobodyOnline: chinese,
    handoffOutsideHours: chinese,
    handoffLeftQueue: chinese,
    agentJoined: chinese,
    agentClosed: chinese,
    handoffTimedOut: chinese,
  })
  .superRefine((texts, ctx) => {
    for (const status of STATUSES) {
      if (!texts.ticketStatuses[status]) ctx.addIssue({ code: 'custom', path: ['ticketStatuses', status], message: 'missing' });
    }
    for (const intent of COMPLAINT_INTENTS) {
      if (!texts.topics[intent]) ctx.addIssue({ code: 'custom', path: ['topics', intent], message: 'missing' });
    }
    for (const check of CHECK_NAMES) {
      const label = texts.checks[check];
      const outcomes = CHECK_OUTCOMES[check].filter((o) => o !== 'unavailable');
      for (const outcome of outcomes) {
        if (!label?.outcomes[outcome]) ctx.addIssue({ code: 'custom', path: ['checks', check, 'outcomes', outcome], message: 'missing' });
      }
    }
  });
export type ReplyTexts = z.infer<typeof ReplyTextsSchema>;

export interface CommonContent {
  answers: AnswerLexicon;
  texts: ReplyTexts;
}

function loadYaml<T>(schema: z.ZodType<T>, file: string): T {
  const parsed = schema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${path.basename(file)}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function loadCommonContent(dialogsDir: string = DEFAULT_DIALOGS_DIR): CommonContent {
  const dir = path.join(dialogsDir, 'common');
  return {
    answers: loadYaml(AnswerLexiconSchema, path.join(dir, 'answers.yaml')),
    texts: loadYaml(ReplyTextsSchema, path.join(dir, 'replies.yaml')),
  };
}

/** The evidence line for a back-office check, e.g. 查询区域故障 → 无区域故障. */
export function checkEvidence(texts: ReplyTexts, check: CheckName, outcome: string): { step: string; outcome: string } {
  const label = texts.checks[check];
  return { step: label.name, outcome: outcome === 'unavailable' ? texts.checkUnavailable : (label.outcomes[outcome] ?? outcome) };
}
