/**
 * Turns the engine's channel-neutral replies into Bot Framework activities: the prompt contract
 * (inputHint, channelData.slot, suggestedActions) and numbered options where there are no buttons.
 */
import { ActionTypes, ActivityTypes, InputHints, type Activity } from 'botbuilder';
import type { Reply } from '../engine/replies.js';

/** Channels that show suggested actions as buttons; elsewhere options are numbered in the text. */
const BUTTON_CHANNELS = new Set(['web', 'webchat', 'directline', 'emulator', 'msteams', 'test', 'slack', 'telegram', 'facebook', 'line']);

export function hasButtons(channelId: string | undefined): boolean {
  return channelId !== undefined && BUTTON_CHANNELS.has(channelId);
}

/** "回复 1：已解决" lines: what customers on text-only channels answer with. */
export function numberedOptions(choices: ReadonlyArray<{ label: string }>): string {
  return choices.map((c, i) => `回复 ${i + 1}：${c.label}`).join('\n');
}

export function replyActivity(reply: Reply, channelId: string | undefined): Partial<Activity> {
  const buttons = hasButtons(channelId);
  const choices = reply.choices ?? [];
  const text = choices.length > 0 && !buttons ? `${reply.text}\n${numberedOptions(choices)}` : reply.text;
  const activity: Partial<Activity> = {
    type: ActivityTypes.Message,
    text,
    locale: 'zh-CN',
    inputHint: reply.slot ? InputHints.ExpectingInput : InputHints.AcceptingInput,
  };
  if (reply.slot) activity.channelData = { slot: reply.slot };
  if (choices.length > 0) {
    // imBack with the label: the customer's bubble shows what they chose, and the engine reads labels.
    activity.suggestedActions = {
      to: [],
      actions: choices.map((c) => ({ type: ActionTypes.ImBack, title: c.label, value: c.label })),
    };
  }
  return activity;
}
