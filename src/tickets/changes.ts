import type { UpdateFilter } from 'mongodb';
import type { TicketDoc } from './documents.js';
import { InvalidTicketInputError } from './errors.js';
import { openKeyOf } from './request.js';
import { checkTransition, isOpenStatus } from './status.js';
import { categoryOf, type Intent } from '../nlu/taxonomy.js';
import { TICKET_CATEGORIES, type Actor, type HistoryEntry, type TicketCategory, type TicketPatch } from './types.js';

export function checkPatch(patch: TicketPatch): void {
  if (patch.status === undefined && patch.assignee === undefined && patch.note === undefined && patch.intent === undefined) {
    throw new InvalidTicketInputError('Nothing to change: give at least one of status, assignee, intent, note.');
  }
}

/**
 * The update an agent's or admin's change makes to `current`, each part recorded in the history
 * with who did it; undefined when the patch changes nothing (setting the current status again is
 * not an error, so a retried request is harmless).
 */
export function patchUpdate(current: TicketDoc, patch: TicketPatch, by: Actor, now: Date): UpdateFilter<TicketDoc> | undefined {
  const set: Record<string, unknown> = {};
  const unset: Record<string, ''> = {};
  const entries: HistoryEntry[] = [];
  let note = patch.note;

  if (patch.status !== undefined && patch.status !== current.status) {
    checkTransition(current.status, patch.status, by);
    set.status = patch.status;
    entries.push({ at: now, by: by.name, action: 'status', from: current.status, to: patch.status, ...(note ? { note } : {}) });
    note = undefined;
    // A reopened ticket takes part in repeat detection again; a finished one must stop blocking new tickets.
    if (isOpenStatus(patch.status)) set.openKey = openKeyOf(current, current.department);
    else unset.openKey = '';
  }
  if (patch.assignee !== undefined && (patch.assignee ?? undefined) !== current.assignee) {
    if (patch.assignee === null) unset.assignee = '';
    else set.assignee = patch.assignee;
    entries.push({
      at: now,
      by: by.name,
      action: 'assign',
      ...(current.assignee ? { from: current.assignee } : {}),
      ...(patch.assignee ? { to: patch.assignee } : {}),
    });
  }
  if (patch.intent !== undefined && patch.intent !== current.intent) {
    set.intent = patch.intent;
    const category = ticketCategoryOf(patch.intent);
    // A call-back ticket stays one; otherwise the category (and so repeat detection) follows the intent.
    if (category && current.category !== 'callback') {
      set.category = category;
      if (isOpenStatus((set.status as TicketDoc['status'] | undefined) ?? current.status)) set.openKey = openKeyOf({ ...current, category }, current.department);
    }
    entries.push({ at: now, by: by.name, action: 'recategorise', from: current.intent, to: patch.intent });
  }
  if (note) entries.push({ at: now, by: by.name, action: 'note', note });
  if (!entries.length) return undefined;

  set.updatedAt = now;
  // The first thing staff do with a ticket is its first response, which the SLA measures.
  if (!current.firstResponseAt && by.role !== 'system') set.firstResponseAt = now;
  return {
    $set: set,
    ...(Object.keys(unset).length ? { $unset: unset } : {}),
    $push: { history: { $each: entries } },
    $inc: { rev: 1 },
  } as UpdateFilter<TicketDoc>;
}

/** The ticket category of a complaint intent; undefined for intents that are not complaints (greeting, none…). */
function ticketCategoryOf(intent: Intent): TicketCategory | undefined {
  const category = categoryOf(intent);
  return (TICKET_CATEGORIES as readonly string[]).includes(category) ? (category as TicketCategory) : undefined;
}
