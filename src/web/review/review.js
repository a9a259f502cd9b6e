// The review page: one unsure customer turn at a time (masked, with its context); the reviewer picks the
// right intent, skips it, or marks it unusable, and the next one appears.
import { api, ApiError, setToken } from '/agent/api.js';
import { $, fill, h } from '/agent/dom.js';

const TOKEN_KEY = 'broadband-review.token';

let intents = [];
let signalLabels = {};
let current = null;
let chosen = null;

function notice(text) {
  const el = $('#notice');
  el.textContent = text ?? '';
  el.hidden = !text;
}

function labelOf(id) {
  return intents.find((i) => i.id === id)?.label ?? id;
}

function choose(id) {
  chosen = id;
  for (const button of $('#intents').children) button.setAttribute('aria-checked', String(button.dataset.intent === id));
  $('#label').disabled = !chosen;
}

function show(item, total) {
  current = item;
  const remaining = $('#remaining');
  remaining.hidden = false;
  remaining.textContent = `待复核 ${total} 条`;
  $('#empty').hidden = Boolean(item);
  $('#item').hidden = !item;
  if (!item) return;
  fill($('#signals'), item.signals.map((s) => h('span', { class: 'signal' }, signalLabels[s] ?? s)), item.skipped ? h('span', { class: 'signal' }, '曾跳过') : null);
  const guess = item.intent ? `机器人判断：${labelOf(item.intent)}（置信度 ${Math.round((item.score ?? 0) * 100)}%）` : '';
  fill(
    $('#bot-guess'),
    guess,
    item.suggestedIntent ? `；人工改为：${labelOf(item.suggestedIntent)}` : '',
    item.earlierLabel ? `；上次标注：${labelOf(item.earlierLabel)}（导入时准确率下降，未采用，请复查）` : '',
  );
  $('#utterance').textContent = item.text;
  fill(
    $('#context'),
    item.context.map((line) => h('li', { class: `${line.sender}${line.current ? ' current' : ''}` }, line.text)),
  );
  fill(
    $('#intents'),
    intents.map((intent) =>
      h(
        'button',
        { type: 'button', role: 'radio', 'aria-checked': 'false', dataset: { intent: intent.id }, class: intent.id === item.suggestedIntent ? 'suggested' : '', onclick: () => choose(intent.id) },
        intent.label,
      ),
    ),
  );
  choose(item.suggestedIntent ?? null);
}

async function next() {
  try {
    const { items, total } = await api('GET', '/api/review/queue?limit=1');
    notice('');
    show(items[0] ?? null, total);
  } catch (err) {
    failed(err);
  }
}

async function decide(action) {
  if (!current) return;
  try {
    await api('POST', `/api/review/items/${encodeURIComponent(current.id)}`, action === 'label' ? { action, intent: chosen } : { action });
    await next();
  } catch (err) {
    failed(err);
  }
}

function failed(err) {
  if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
    signOut();
    notice('令牌无效或没有复核权限，请重新登录。');
    return;
  }
  notice(err instanceof ApiError ? `操作失败：${err.message}` : '操作失败，请稍后重试。');
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  setToken('');
  $('#review').hidden = true;
  $('#sign-out').hidden = true;
  $('#remaining').hidden = true;
  $('#sign-in').hidden = false;
}

async function signIn(token) {
  setToken(token);
  sessionStorage.setItem(TOKEN_KEY, token);
  $('#sign-in').hidden = true;
  $('#review').hidden = false;
  $('#sign-out').hidden = false;
  await next();
}

$('#sign-in').addEventListener('submit', (event) => {
  event.preventDefault();
  void signIn($('#token').value.trim());
});
$('#sign-out').addEventListener('click', signOut);
$('#label').addEventListener('click', () => void decide('label'));
$('#skip').addEventListener('click', () => void decide('skip'));
$('#unusable').addEventListener('click', () => void decide('unusable'));

[intents, { signals: signalLabels }] = await Promise.all([
  fetch('/review/intents.json').then((r) => r.json()),
  fetch('/review/labels.json').then((r) => r.json()),
]);
const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) void signIn(saved);
