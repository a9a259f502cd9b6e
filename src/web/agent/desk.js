// The agent desk: sign in with an agent token, go online, take waiting customers from the hand-off
// queue, talk to them beside the bot's context, close. Polls the API every 2 s; never reloads.
// All text reaches the page as text nodes (dom.js): customer words are never parsed as HTML.

import { ApiError, desk, serverNow, setToken } from './api.js';
import { $, fill, h } from './dom.js';
import {
  accountStatusLabel,
  categoryLabel,
  channelLabel,
  clockTime,
  dayTime,
  errorText,
  flagLabel,
  intentLabel,
  priorityLabel,
  scoreText,
  ticketStatusLabel,
  waitText,
} from './format.js';

const POLL_MS = 2_000;
const WAIT_WARN_MS = 2 * 60_000;
const WAIT_LONG_MS = 5 * 60_000;
const KEYS = { token: 'agentDesk.token', status: 'agentDesk.status', agent: 'agentDesk.agent', current: 'agentDesk.current' };

const store = {
  get(key) {
    try {
      return sessionStorage.getItem(key) ?? '';
    } catch {
      return '';
    }
  },
  set(key, value) {
    try {
      if (value) sessionStorage.setItem(key, value);
      else sessionStorage.removeItem(key);
    } catch {
      /* private mode or storage full: the desk still works for this page's life */
    }
  },
};

const state = {
  token: '',
  agent: '',
  status: 'offline',
  /** Bumped on every sign-in and sign-out: answers to an older session are dropped. */
  session: 0,
  queue: { waiting: [], active: [] },
  accepting: null,
  /** The open conversation: {id, conversation, steps, account, tickets, lastSeq, ended, openedAt}. */
  current: null,
  pollTimer: 0,
};

const el = {};

// ---------------------------------------------------------------------------------------------- banner

let bannerTimer = 0;
let bannerKey = '';

function showBanner(text, detail = '', kind = 'error', key = '') {
  clearTimeout(bannerTimer);
  bannerKey = key;
  el.banner.dataset.kind = kind;
  el.bannerText.textContent = text;
  el.bannerDetail.textContent = detail;
  el.banner.hidden = false;
  // Polling trouble stays until polling works again; anything else fades on its own.
  if (!key) bannerTimer = setTimeout(hideBanner, kind === 'info' ? 5_000 : 12_000);
}

function hideBanner(key) {
  if (key !== undefined && key !== bannerKey) return;
  clearTimeout(bannerTimer);
  bannerKey = '';
  el.banner.hidden = true;
}

/** Every failed call ends here: a 401 signs out, anything else is a banner. Nothing is thrown on. */
function reportError(err, action, key = '') {
  if (!(err instanceof ApiError)) {
    console.error(err);
    showBanner(action ? `${action}：页面出错` : '页面出错', String(err?.message ?? err), 'error', key);
    return;
  }
  if (err.status === 401) {
    signOut('令牌无效');
    return;
  }
  const { text, detail } = errorText(err);
  showBanner(action ? `${action}：${text}` : text, detail, 'error', key);
}

// ---------------------------------------------------------------------------------------------- views

function showView(name) {
  for (const view of ['signin', 'queue', 'conversation']) el[`view_${view}`].hidden = view !== name;
  el.sessionBar.hidden = name === 'signin';
  document.body.dataset.view = name;
}

function renderSessionBar() {
  el.agentName.textContent = state.agent ? `客服：${state.agent}` : '';
  el.presence.dataset.status = state.status;
  el.presence.textContent = state.status === 'online' ? '在线' : '离线';
  el.statusToggle.textContent = state.status === 'online' ? '下线' : '上线';
  el.statusToggle.dataset.next = state.status === 'online' ? 'offline' : 'online';
  el.offlineHint.hidden = state.status === 'online';
}

// ---------------------------------------------------------------------------------------------- sign-in

function showSigninError(text) {
  el.signinError.textContent = text;
  el.signinError.hidden = !text;
}

async function signIn(token, fromStorage = false) {
  const session = ++state.session;
  setToken(token);
  el.signinButton.disabled = true;
  showSigninError('');
  try {
    const queue = await desk.queue();
    if (session !== state.session) return;
    state.token = token;
    state.agent = store.get(KEYS.agent);
    state.status = store.get(KEYS.status) === 'online' ? 'online' : 'offline';
    store.set(KEYS.token, token);
    el.tokenInput.value = '';
    hideBanner();
    applyQueue(queue, Date.now());
    renderSessionBar();
    showView('queue');
    // A reload in the same tab keeps the agent as they were: online, and in their conversation.
    if (state.status === 'online') void setStatus('online');
    const saved = readSavedConversation();
    const stillMine = saved && queue.active?.find((item) => item.conversationId === saved.id);
    if (stillMine) resumeConversation(stillMine);
    else store.set(KEYS.current, '');
    schedulePoll();
  } catch (err) {
    if (session !== state.session) return;
    setToken('');
    if (err instanceof ApiError && err.status === 401) {
      store.set(KEYS.token, '');
      showSigninError('令牌无效');
    } else if (err instanceof ApiError && err.status === 403) {
      store.set(KEYS.token, '');
      showSigninError('此令牌无权使用客服工作台');
    } else {
      showSigninError(`登录失败：${errorText(err).text}`);
      if (fromStorage) el.tokenInput.value = token;
    }
    showView('signin');
  } finally {
    el.signinButton.disabled = false;
  }
}

async function signOut(reason = '') {
  const wasOnline = state.token && state.status === 'online' && reason === '';
  state.session += 1;
  clearTimeout(state.pollTimer);
  if (wasOnline) await desk.setStatus('offline').catch(() => undefined);
  setToken('');
  Object.assign(state, { token: '', agent: '', status: 'offline', current: null, accepting: null, queue: { waiting: [], active: [] } });
  for (const key of Object.values(KEYS)) store.set(key, '');
  fill(el.waitingList);
  fill(el.activeList);
  hideBanner();
  updateTitle();
  showSigninError(reason);
  showView('signin');
  el.tokenInput.focus();
}

// ---------------------------------------------------------------------------------------------- status

async function setStatus(next) {
  const session = state.session;
  el.statusToggle.disabled = true;
  try {
    const answer = await desk.setStatus(next);
    if (session !== state.session) return;
    state.status = answer.status === 'online' ? 'online' : 'offline';
    if (typeof answer.agent === 'string' && answer.agent) state.agent = answer.agent;
    store.set(KEYS.status, state.status);
    store.set(KEYS.agent, state.agent);
    renderSessionBar();
  } catch (err) {
    if (session === state.session) reportError(err, next === 'online' ? '上线失败' : '下线失败');
  } finally {
    el.statusToggle.disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------- polling

function schedulePoll() {
  clearTimeout(state.pollTimer);
  state.pollTimer = setTimeout(poll, POLL_MS);
}

async function poll() {
  const session = state.session;
  if (!state.token) return;
  const conversationGone = (err) => {
    // The hand-off record is gone: nothing more will come for this conversation.
    if (err instanceof ApiError && err.status === 404) {
      markEnded();
      return undefined;
    }
    throw err;
  };
  const jobs = [refreshQueue()];
  if (state.current && !state.current.ended) jobs.push(refreshTranscript().catch(conversationGone));
  const results = await Promise.allSettled(jobs);
  if (session !== state.session) return;
  const failure = results.find((r) => r.status === 'rejected');
  if (failure) reportError(failure.reason, '连接异常，正在重试', 'poll');
  else hideBanner('poll');
  if (state.session === session && state.token) schedulePoll();
}

async function refreshQueue() {
  const session = state.session;
  const startedAt = Date.now();
  const queue = await desk.queue();
  if (session === state.session) applyQueue(queue, startedAt);
}

function applyQueue(queue, startedAt) {
  state.queue = {
    waiting: Array.isArray(queue?.waiting) ? queue.waiting : [],
    active: Array.isArray(queue?.active) ? queue.active : [],
  };
  renderQueue();
  const current = state.current;
  // Closed by the customer, timed out or taken over: only a queue read after we opened it can tell.
  if (current && !current.ended && startedAt > current.openedAt) {
    const mine = state.queue.active.find((item) => item.conversationId === current.id);
    if (!mine || (mine.agent && state.agent && mine.agent !== state.agent)) markEnded();
  }
}

function updateTitle() {
  const waiting = state.queue.waiting.length;
  el.waitingCount.textContent = `等待 ${waiting}`;
  el.waitingCount.dataset.some = waiting > 0 ? 'yes' : 'no';
  document.title = waiting > 0 ? `(${waiting}) 客服工作台 · 宽带投诉` : '客服工作台 · 宽带投诉';
}

// ---------------------------------------------------------------------------------------------- queue

function waitClock(since) {
  return h('span', { class: 'wait', dataset: { since: String(since ?? '') } }, waitText(since, serverNow()));
}

function itemFacts(item) {
  return h(
    'div',
    { class: 'facts' },
    h('span', { class: `chip cat-${categoryClass(item.category)}` }, categoryLabel(item.category)),
    h('span', { class: 'intent', title: String(item.intent ?? '') }, intentLabel(item.intent)),
    item.channel ? h('span', { class: 'channel' }, channelLabel(item.channel)) : null,
    h('span', { class: 'account' }, item.account ? `账号 ${item.account}` : '账号未提供'),
  );
}

function categoryClass(category) {
  return ['network', 'business', 'service', 'billing', 'callback'].includes(category) ? category : 'other';
}

function waitingRow(item) {
  return h(
    'li',
    { class: 'item', dataset: { id: item.conversationId } },
    h('div', { class: 'item-main' }, itemFacts(item), h('p', { class: 'summary', title: String(item.summary ?? '') }, item.summary || '（无摘要）')),
    h(
      'div',
      { class: 'item-side' },
      waitClock(item.since),
      h('button', { type: 'button', class: 'btn btn-primary accept', dataset: { id: item.conversationId }, onclick: () => accept(item.conversationId) }, '接入'),
    ),
  );
}

function activeRow(item) {
  const mine = Boolean(state.agent) && item.agent === state.agent;
  return h(
    'li',
    { class: mine ? 'item item-mine' : 'item', dataset: { id: item.conversationId } },
    h('div', { class: 'item-main' }, itemFacts(item), h('p', { class: 'summary', title: String(item.summary ?? '') }, item.summary || '（无摘要）')),
    h(
      'div',
      { class: 'item-side' },
      h('span', { class: 'handler' }, item.agent ? `客服 ${item.agent}` : '客服'),
      mine ? h('button', { type: 'button', class: 'btn', onclick: () => resumeConversation(item) }, '返回会话') : null,
    ),
  );
}

/** Keyed update: unchanged rows keep their element (and focus, hover, a pressed button). */
function syncList(list, items, render) {
  const existing = new Map([...list.children].map((li) => [li.dataset.id, li]));
  const rows = items.map((item) => {
    const signature = JSON.stringify(item) + (state.agent || '');
    const old = existing.get(item.conversationId);
    if (old && old.dataset.signature === signature) return old;
    const row = render(item);
    row.dataset.signature = signature;
    return row;
  });
  list.replaceChildren(...rows);
}

function renderQueue() {
  const { waiting, active } = state.queue;
  syncList(el.waitingList, waiting, waitingRow);
  syncList(el.activeList, active, activeRow);
  el.waitingEmpty.hidden = waiting.length > 0;
  el.activeEmpty.hidden = active.length > 0;
  el.waitingTitleCount.textContent = String(waiting.length);
  el.activeTitleCount.textContent = String(active.length);
  updateAcceptButtons();
  updateTitle();
}

function updateAcceptButtons() {
  for (const button of el.waitingList.querySelectorAll('button.accept')) {
    button.disabled = state.accepting !== null;
    button.textContent = state.accepting === button.dataset.id ? '接入中…' : '接入';
  }
}

async function accept(conversationId) {
  if (state.accepting !== null || state.current) return;
  const session = state.session;
  state.accepting = conversationId;
  updateAcceptButtons();
  try {
    const context = await desk.accept(conversationId);
    if (session !== state.session) return;
    openConversation(context);
  } catch (err) {
    if (session !== state.session) return;
    if (err instanceof ApiError && err.status === 409) {
      showBanner('已被其他客服接入', errorText(err).detail, 'warn');
      state.queue.waiting = state.queue.waiting.filter((item) => item.conversationId !== conversationId);
      renderQueue();
    } else if (err instanceof ApiError && err.status === 404) {
      showBanner('该客户已不在队列中', errorText(err).detail, 'warn');
    } else {
      reportError(err, '接入失败');
    }
  } finally {
    if (session === state.session) {
      state.accepting = null;
      updateAcceptButtons();
    }
  }
}

// ---------------------------------------------------------------------------------------------- conversation

function readSavedConversation() {
  try {
    const saved = JSON.parse(store.get(KEYS.current) || 'null');
    return saved && typeof saved.id === 'string' ? saved : null;
  } catch {
    return null;
  }
}

function openConversation(context, partial = false) {
  const conversation = context?.conversation ?? {};
  if (typeof conversation.agent === 'string' && conversation.agent && !state.agent) {
    state.agent = conversation.agent;
    store.set(KEYS.agent, state.agent);
    renderSessionBar();
  }
  state.current = {
    id: String(conversation.conversationId),
    conversation,
    steps: Array.isArray(context.steps) ? context.steps : null,
    account: context.account ?? null,
    tickets: Array.isArray(context.tickets) ? context.tickets : null,
    partial,
    lastSeq: 0,
    ended: false,
    openedAt: Date.now(),
  };
  if (!partial) {
    const { id, steps, account, tickets } = state.current;
    store.set(KEYS.current, JSON.stringify({ id, conversation, steps, account, tickets }));
  }
  renderConversation();
  appendTranscript(Array.isArray(context.transcript) ? context.transcript : []);
  showView('conversation');
  el.replyInput.focus();
}

/** Back to a conversation still ours (page reloaded, or the queue's 返回会话): the transcript is fetched anew. */
function resumeConversation(item) {
  const saved = readSavedConversation();
  const known = saved !== null && saved.id === item.conversationId;
  openConversation({ ...(known ? saved : { conversation: item }), transcript: [] }, !known);
  void refreshTranscript().catch((err) => reportError(err, '读取对话失败'));
}

function leaveConversation() {
  state.current = null;
  store.set(KEYS.current, '');
  fill(el.transcript);
  fill(el.context);
  fill(el.chatHead);
  el.chatEnded.hidden = true;
  el.replyInput.value = '';
  showView('queue');
  void refreshQueue().catch(() => undefined);
}

function markEnded() {
  if (!state.current) return;
  state.current.ended = true;
  el.chatEnded.hidden = false;
  el.replyInput.disabled = true;
  el.replySend.disabled = true;
  for (const button of el.chatHead.querySelectorAll('button')) button.disabled = true;
}

async function refreshTranscript() {
  const current = state.current;
  if (!current) return;
  const session = state.session;
  const answer = await desk.transcript(current.id, current.lastSeq);
  if (session !== state.session || state.current !== current) return;
  appendTranscript(Array.isArray(answer.transcript) ? answer.transcript : []);
}

function appendTranscript(entries) {
  const current = state.current;
  if (!current) return;
  const fresh = entries
    .filter((entry) => Number.isFinite(Number(entry?.seq)) && Number(entry.seq) > current.lastSeq)
    .sort((a, b) => Number(a.seq) - Number(b.seq));
  if (fresh.length === 0) return;
  const list = el.transcript;
  const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  for (const entry of fresh) {
    if (Number(entry.seq) <= current.lastSeq) continue;
    list.append(messageRow(entry));
    current.lastSeq = Number(entry.seq);
  }
  if (nearBottom || list.dataset.filled !== 'yes') list.scrollTop = list.scrollHeight;
  list.dataset.filled = 'yes';
}

function senderOf(entry) {
  if (entry.sender === 'customer' || entry.sender === 'bot' || entry.sender === 'agent') return entry.sender;
  return entry.direction === 'inbound' ? 'customer' : 'bot';
}

function messageRow(entry) {
  const sender = senderOf(entry);
  const who = sender === 'customer' ? '客户' : sender === 'agent' ? `客服 ${entry.agent ?? ''}`.trim() : '机器人';
  return h(
    'li',
    { class: `msg msg-${sender}`, dataset: { seq: String(entry.seq) } },
    h('div', { class: 'msg-meta' }, h('span', { class: 'who' }, who), h('span', { class: 'time' }, clockTime(entry.at))),
    h('div', { class: 'bubble' }, String(entry.text ?? '')),
    sender === 'customer' ? nluLine(entry) : null,
  );
}

function nluLine(entry) {
  const nlu = entry.nlu;
  const parts = [];
  if (nlu && typeof nlu === 'object') {
    parts.push(h('span', { class: 'nlu-intent', title: String(nlu.intent ?? '') }, `意图 ${intentLabel(nlu.intent)}`));
    parts.push(h('span', { class: 'nlu-score' }, scoreText(nlu.score)));
    for (const flag of Array.isArray(nlu.flags) ? nlu.flags : []) parts.push(h('span', { class: `nlu-flag flag-${flag === 'escalation_risk' ? 'risk' : 'other'}` }, flagLabel(flag)));
    for (const entity of Array.isArray(nlu.entities) ? nlu.entities.slice(0, 4) : []) {
      parts.push(h('span', { class: 'nlu-entity' }, `${entity?.type ?? ''}=${entity?.text ?? entity?.value ?? ''}`));
    }
  }
  if (entry.step && typeof entry.step === 'object') parts.push(h('span', { class: 'nlu-step' }, `步骤 ${entry.step.flow ?? ''}/${entry.step.step ?? ''}`));
  return parts.length ? h('div', { class: 'nlu' }, parts) : null;
}

function renderConversation() {
  const current = state.current;
  if (!current) return;
  const c = current.conversation;
  fill(
    el.chatHead,
    h(
      'div',
      { class: 'chat-title' },
      h('strong', {}, '客户对话'),
      h('span', { class: `chip cat-${categoryClass(c.category)}` }, categoryLabel(c.category)),
      h('span', {}, c.account ? `账号 ${c.account}` : '账号未提供'),
      c.channel ? h('span', { class: 'muted' }, `${channelLabel(c.channel)}渠道`) : null,
    ),
    h('div', { class: 'chat-actions' }, h('button', { type: 'button', class: 'btn btn-danger', id: 'close-open', onclick: openCloseForm }, '结束会话')),
    h(
      'form',
      { class: 'close-form', id: 'close-form', hidden: true, onsubmit: submitClose },
      h('label', { for: 'resolution-input' }, '处理结果（可选）'),
      h('input', { id: 'resolution-input', type: 'text', maxlength: '1000', placeholder: '例如：已指导重启光猫，网速恢复' }),
      h('button', { type: 'submit', class: 'btn btn-danger', id: 'close-confirm' }, '确认结束'),
      h('button', { type: 'button', class: 'btn btn-quiet', onclick: cancelCloseForm }, '取消'),
    ),
  );
  fill(el.context, conversationSection(c), accountSection(c, current), stepsSection(current), ticketsSection(current));
  el.chatEnded.hidden = !current.ended;
  el.replyInput.disabled = current.ended;
  el.replySend.disabled = current.ended;
}

function facts(rows) {
  return h(
    'dl',
    { class: 'facts-list' },
    rows.filter(Boolean).map(([term, value, cls]) => [h('dt', {}, term), h('dd', cls ? { class: cls } : {}, value)]),
  );
}

function conversationSection(c) {
  return h(
    'section',
    { class: 'panel' },
    h('h3', {}, '会话'),
    facts([
      ['类别', categoryLabel(c.category)],
      ['意图', `${intentLabel(c.intent)}（${c.intent ?? ''}）`],
      c.channel ? ['渠道', channelLabel(c.channel)] : null,
      ['排队', c.since ? `${clockTime(c.since)} 开始` : '—'],
      ['摘要', c.summary || '（无摘要）', 'summary-full'],
    ]),
  );
}

function accountSection(c, current) {
  const a = current.account;
  if (!a) {
    const note = current.partial ? '（本页未保存，请在原标签页查看）' : c.account ? '后台未查到该账号' : '客户未提供账号';
    return h('section', { class: 'panel' }, h('h3', {}, '账户'), facts([c.account ? ['账号', c.account, 'mono'] : null, ['说明', note, 'muted']]));
  }
  return h(
    'section',
    { class: 'panel' },
    h('h3', {}, '账户'),
    facts([
      ['账号', a.account, 'mono'],
      a.maskedHolder ? ['户主', a.maskedHolder] : null,
      a.region ? ['地区', a.region] : null,
      ['状态', accountStatusLabel(a.status), `account-${a.status === 'active' ? 'ok' : 'bad'}`],
      a.planMbps ? ['套餐', `${a.planMbps} Mbps`] : null,
    ]),
  );
}

function stepsSection(current) {
  const steps = current.steps;
  return h(
    'section',
    { class: 'panel' },
    h('h3', {}, '已尝试的自助排查', steps ? h('span', { class: 'count' }, String(steps.length)) : null),
    !steps
      ? h('p', { class: 'muted' }, current.partial ? '（本页未保存，请在原标签页查看）' : '—')
      : steps.length === 0
        ? h('p', { class: 'muted' }, '机器人尚未进行排查')
        : h(
            'ol',
            { class: 'steps' },
            steps.map((s) => h('li', {}, h('span', { class: 'step-name' }, String(s.step ?? '')), h('span', { class: 'step-outcome' }, String(s.outcome ?? '')), h('span', { class: 'time' }, clockTime(s.at)))),
          ),
  );
}

function ticketsSection(current) {
  const tickets = current.tickets;
  const now = serverNow();
  const due = (label, iso, open) => {
    const overdue = open && Date.parse(iso) < now;
    return h('span', { class: overdue ? 'due overdue' : 'due' }, `${label} ${dayTime(iso)}${overdue ? '（已超时）' : ''}`);
  };
  return h(
    'section',
    { class: 'panel' },
    h('h3', {}, '相关工单', tickets ? h('span', { class: 'count' }, String(tickets.length)) : null),
    !tickets
      ? h('p', { class: 'muted' }, current.partial ? '（本页未保存，请在原标签页查看）' : '—')
      : tickets.length === 0
        ? h('p', { class: 'muted' }, '无相关工单')
        : h(
            'ul',
            { class: 'tickets' },
            tickets.map((t) => {
              const open = t.status === 'open' || t.status === 'in_progress';
              return h(
                'li',
                {},
                h(
                  'div',
                  { class: 'ticket-head' },
                  h('span', { class: 'mono ticket-number' }, String(t.number ?? '')),
                  h('span', { class: `badge status-${String(t.status ?? '').replace(/[^a-z_]/g, '')}` }, ticketStatusLabel(t.status)),
                  t.priority && t.priority !== 'normal' ? h('span', { class: 'badge priority-high' }, priorityLabel(t.priority)) : null,
                  t.category ? h('span', { class: 'muted' }, categoryLabel(t.category)) : null,
                ),
                t.summary ? h('p', { class: 'ticket-summary', title: String(t.summary) }, String(t.summary)) : null,
                h('div', { class: 'ticket-due' }, due('首次响应', t.firstResponseDue, open && t.status === 'open'), due('解决', t.resolveDue, open)),
              );
            }),
          ),
  );
}

function openCloseForm() {
  const form = document.getElementById('close-form');
  if (!form || state.current?.ended) return;
  form.hidden = false;
  document.getElementById('close-open').hidden = true;
  document.getElementById('resolution-input')?.focus();
}

function cancelCloseForm() {
  const form = document.getElementById('close-form');
  if (form) form.hidden = true;
  const opener = document.getElementById('close-open');
  if (opener) opener.hidden = false;
}

async function submitClose(event) {
  event.preventDefault();
  const current = state.current;
  if (!current) return;
  const session = state.session;
  const input = document.getElementById('resolution-input');
  const confirm = document.getElementById('close-confirm');
  const resolution = String(input?.value ?? '').trim();
  if (confirm) confirm.disabled = true;
  try {
    await desk.close(current.id, resolution);
    if (session !== state.session || state.current !== current) return;
    leaveConversation();
    showBanner('会话已结束', '', 'info');
  } catch (err) {
    if (session !== state.session) return;
    if (err instanceof ApiError && (err.status === 409 || err.status === 404)) markEnded();
    reportError(err, '结束会话失败');
  } finally {
    if (confirm) confirm.disabled = false;
  }
}

async function sendReply(event) {
  event.preventDefault();
  const current = state.current;
  const text = el.replyInput.value.trim();
  if (!current || current.ended || !text) return;
  const session = state.session;
  el.replySend.disabled = true;
  try {
    await desk.send(current.id, text);
    if (session !== state.session || state.current !== current) return;
    if (el.replyInput.value.trim() === text) el.replyInput.value = '';
    await refreshTranscript().catch(() => undefined);
  } catch (err) {
    if (session !== state.session) return;
    if (err instanceof ApiError && (err.status === 409 || err.status === 404)) markEnded();
    reportError(err, '发送失败');
  } finally {
    if (state.current === current && !current.ended) {
      el.replySend.disabled = false;
      el.replyInput.focus();
    }
  }
}

// ---------------------------------------------------------------------------------------------- clock

function tickClocks() {
  const now = serverNow();
  for (const span of document.querySelectorAll('[data-since]')) {
    const since = span.dataset.since;
    span.textContent = waitText(since, now);
    const waited = now - Date.parse(since);
    span.classList.toggle('wait-warn', waited >= WAIT_WARN_MS && waited < WAIT_LONG_MS);
    span.classList.toggle('wait-long', waited >= WAIT_LONG_MS);
  }
}

// ---------------------------------------------------------------------------------------------- start

function start() {
  Object.assign(el, {
    banner: $('#banner'),
    bannerText: $('#banner-text'),
    bannerDetail: $('#banner-detail'),
    sessionBar: $('#session-bar'),
    waitingCount: $('#waiting-count'),
    agentName: $('#agent-name'),
    presence: $('#presence'),
    statusToggle: $('#status-toggle'),
    view_signin: $('#view-signin'),
    view_queue: $('#view-queue'),
    view_conversation: $('#view-conversation'),
    signinButton: $('#signin-button'),
    signinError: $('#signin-error'),
    tokenInput: $('#token-input'),
    offlineHint: $('#offline-hint'),
    waitingList: $('#waiting-list'),
    activeList: $('#active-list'),
    waitingEmpty: $('#waiting-empty'),
    activeEmpty: $('#active-empty'),
    waitingTitleCount: $('#waiting-title-count'),
    activeTitleCount: $('#active-title-count'),
    context: $('#context'),
    chatHead: $('#chat-head'),
    chatEnded: $('#chat-ended'),
    transcript: $('#transcript'),
    replyInput: $('#reply-input'),
    replySend: $('#reply-send'),
  });

  $('#signin-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = el.tokenInput.value.trim();
    if (token) void signIn(token);
  });
  $('#sign-out').addEventListener('click', () => void signOut());
  $('#banner-close').addEventListener('click', () => hideBanner());
  el.statusToggle.addEventListener('click', () => void setStatus(el.statusToggle.dataset.next === 'offline' ? 'offline' : 'online'));
  $('#reply-form').addEventListener('submit', sendReply);
  el.replyInput.addEventListener('keydown', (event) => {
    // Enter sends; Shift+Enter is a new line; Enter that confirms an IME candidate is neither.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      $('#reply-form').requestSubmit();
    }
  });
  $('#back-to-queue').addEventListener('click', leaveConversation);
  window.addEventListener('unhandledrejection', (event) => {
    event.preventDefault();
    reportError(event.reason, '');
  });
  setInterval(tickClocks, 1_000);

  const token = store.get(KEYS.token);
  if (token) void signIn(token, true);
  else showView('signin');
}

start();
