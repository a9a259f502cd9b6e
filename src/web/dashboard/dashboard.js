// The operations dashboard: GET /api/stats drawn with chart.js (window.Chart, served by this service),
// every chart with its figures as a table, so the numbers can be read without the picture.
import { api, ApiError, setToken } from '/agent/api.js';
import { $, fill, h } from '/agent/dom.js';

const TOKEN_KEY = 'broadband-dashboard.token';
const DAY_MS = 24 * 3600_000;
const BEIJING_MS = 8 * 3600_000;

let labels = null;
const charts = new Map();
/** Only the answer to the latest query is drawn, however the requests overtake each other. */
let latestQuery = 0;

const percent = (x) => (x === null || x === undefined ? '—' : `${Math.round(x * 1000) / 10}%`);
const categoryName = (c) => labels.categories[c] ?? c;
const intentName = (i) => labels.intents[i] ?? i;
const answerName = (a) => labels.satisfaction[a] ?? a;

function notice(text) {
  $('#notice').textContent = text ?? '';
  $('#notice').hidden = !text;
}

function card(metric, value, hint, alert = false) {
  return h(
    'div',
    { class: `card${alert ? ' alert' : ''}`, dataset: { metric } },
    h('div', { class: 'label' }, metric),
    h('div', { class: 'value' }, value),
    hint ? h('div', { class: 'hint' }, hint) : null,
  );
}

function table(id, header, rows) {
  const body = rows.length ? rows : [[h('span', { class: 'empty' }, '暂无数据'), ...header.slice(1).map(() => '')]];
  fill($(`#${id}`), h('thead', {}, h('tr', {}, header.map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, body.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))));
}

function draw(id, config) {
  charts.get(id)?.destroy();
  // A single bar would otherwise fill its whole box; thin bars read as "few" at a glance.
  const options = { responsive: true, maintainAspectRatio: false, animation: false, datasets: { bar: { maxBarThickness: 48 } }, ...config.options };
  charts.set(id, new window.Chart($(`#${id}`), { ...config, options }));
}

function renderCards(stats) {
  const t = stats.totals;
  fill(
    $('#cards'),
    card('会话数', t.conversations),
    card('自助解决率', percent(t.containmentRate), `${t.contained} 个会话无需工单或人工`),
    card('新建工单', t.tickets),
    card('转人工', t.handoffs),
    card('重复投诉', t.repeatComplaints, '并入已有工单的投诉', t.repeatComplaints > 0),
    card('首次响应超时', t.slaFirstResponseBreaches, '本期新建工单', t.slaFirstResponseBreaches > 0),
    card('处理超时', t.slaResolutionBreaches, '本期新建工单', t.slaResolutionBreaches > 0),
    card('满意率', percent(t.satisfaction.satisfiedRate), `${t.satisfaction.responses} 人评价`),
  );
  $('#period').textContent = `${stats.from} 至 ${stats.to}（北京时间）`;
}

function renderDays(stats) {
  const cats = Object.keys(labels.categories);
  draw('chart-days', {
    type: 'bar',
    data: {
      labels: stats.days.map((d) => d.day.slice(5)),
      datasets: [
        // Lines on their own stacks: drawn over the bars, not added to them.
        { type: 'line', label: '工单', stack: 'tickets', data: stats.days.map((d) => d.total.tickets), borderColor: '#b3261e', backgroundColor: '#b3261e' },
        { type: 'line', label: '转人工', stack: 'handoffs', data: stats.days.map((d) => d.total.handoffs), borderColor: '#52606d', backgroundColor: '#52606d' },
        ...cats.map((c) => ({ label: categoryName(c), stack: 'conversations', data: stats.days.map((d) => d.byCategory[c].conversations), backgroundColor: labels.colors[c] })),
      ],
    },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
  });
  table(
    'table-days',
    ['日期', ...cats.map(categoryName), '会话合计', '自助解决', '工单', '转人工', '重复投诉', '首响超时', '处理超时'],
    stats.days.map((d) => [
      d.day,
      ...cats.map((c) => d.byCategory[c].conversations),
      d.total.conversations,
      d.total.contained,
      d.total.tickets,
      d.total.handoffs,
      d.total.repeatComplaints,
      d.total.slaFirstResponseBreaches,
      d.total.slaResolutionBreaches,
    ]),
  );
}

function renderCategories(stats) {
  const cats = Object.keys(labels.categories);
  const withTraffic = cats.filter((c) => stats.byCategory[c].conversations > 0);
  draw('chart-containment', {
    type: 'bar',
    data: {
      labels: withTraffic.map(categoryName),
      datasets: [{ label: '自助解决率 %', data: withTraffic.map((c) => Math.round((stats.byCategory[c].containmentRate ?? 0) * 1000) / 10), backgroundColor: withTraffic.map((c) => labels.colors[c]) }],
    },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, max: 100 } } },
  });
  const active = (f) => f.conversations + f.tickets + f.handoffs + f.repeatComplaints + f.satisfaction.responses > 0;
  table(
    'table-categories',
    ['类别', '会话', '自助解决', '自助解决率', '工单', '转人工', '重复投诉', '首响超时', '处理超时', '满意率'],
    cats
      .filter((c) => active(stats.byCategory[c]))
      .map((c) => {
        const f = stats.byCategory[c];
        return [categoryName(c), f.conversations, f.contained, percent(f.containmentRate), f.tickets, f.handoffs, f.repeatComplaints, f.slaFirstResponseBreaches, f.slaResolutionBreaches, percent(f.satisfaction.satisfiedRate)];
      }),
  );
}

function renderSteps(stats) {
  // Two lines (chart.js draws an array label as lines): long step names would be clipped on one.
  // The rate is in the label too: a 0 % step draws no bar at all.
  const name = (s) => [s.step, `${labels.flows[s.flow] ?? s.flow} · ${s.attempts} 次 · ${percent(s.rate)}`];
  draw('chart-steps', {
    type: 'bar',
    data: { labels: stats.selfChecks.map(name), datasets: [{ label: '解决率 %', data: stats.selfChecks.map((s) => Math.round(s.rate * 1000) / 10), backgroundColor: '#2f7d32' }] },
    options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, max: 100 } } },
  });
  table('table-steps', ['步骤', '流程', '尝试', '解决', '解决率'], stats.selfChecks.map((s) => [s.step, labels.flows[s.flow] ?? s.flow, s.attempts, s.solved, percent(s.rate)]));
}

function renderLowConfidence(stats) {
  const top = stats.lowConfidenceIntents;
  draw('chart-low', {
    type: 'bar',
    data: { labels: top.map((l) => intentName(l.intent)), datasets: [{ label: '低置信度轮次', data: top.map((l) => l.turns), backgroundColor: '#e07a00' }] },
    options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  table('table-low', ['意图', '轮次'], top.map((l) => [intentName(l.intent), l.turns]));
}

function renderSatisfaction(stats) {
  const s = stats.totals.satisfaction;
  draw('chart-satisfaction', {
    type: 'doughnut',
    data: { labels: stats.satisfactionAnswers.map(answerName), datasets: [{ data: stats.satisfactionAnswers.map((a) => s.answers[a]), backgroundColor: labels.satisfactionColors }] },
  });
  table('table-satisfaction', ['评价', '人数', '占比'], stats.satisfactionAnswers.map((a) => [answerName(a), s.answers[a], percent(s.responses ? s.answers[a] / s.responses : null)]));
}

function render(stats) {
  renderCards(stats);
  renderDays(stats);
  renderCategories(stats);
  renderSteps(stats);
  renderLowConfidence(stats);
  renderSatisfaction(stats);
}

async function load() {
  const query = ++latestQuery;
  $('#query').disabled = true;
  try {
    const stats = await api('GET', `/api/stats?from=${encodeURIComponent($('#from').value)}&to=${encodeURIComponent($('#to').value)}`);
    if (query !== latestQuery) return;
    notice('');
    render(stats);
  } catch (err) {
    if (query !== latestQuery) return;
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
      signOut();
      notice('抱歉，令牌无效或没有查看权限，请使用管理员令牌重新登录。');
    } else if (err instanceof ApiError && err.status === 400) {
      notice('抱歉，日期范围不正确：开始日期不能晚于结束日期，且最多查询 92 天。');
    } else {
      notice('抱歉，暂时无法获取数据，请稍后重试。');
    }
  } finally {
    if (query === latestQuery) $('#query').disabled = false;
  }
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  setToken('');
  for (const id of ['#board', '#range', '#sign-out']) $(id).hidden = true;
  $('#sign-in').hidden = false;
}

/** YYYY-MM-DD of Beijing time, `offsetDays` from today. */
function beijingDay(offsetDays = 0) {
  return new Date(Date.now() + BEIJING_MS + offsetDays * DAY_MS).toISOString().slice(0, 10);
}

async function signIn(token) {
  if (!(await ready)) return;
  setToken(token);
  sessionStorage.setItem(TOKEN_KEY, token);
  $('#sign-in').hidden = true;
  for (const id of ['#board', '#range', '#sign-out']) $(id).hidden = false;
  if (!$('#from').value) $('#from').value = beijingDay(-6);
  if (!$('#to').value) $('#to').value = beijingDay();
  await load();
}

/** The page's Chinese labels (labels.json); sign-in waits for them. */
const ready = fetch('/dashboard/labels.json', { cache: 'no-cache' })
  .then((res) => (res.ok ? res.json() : Promise.reject(new Error(`labels: ${res.status}`))))
  .then((loaded) => {
    labels = loaded;
    return true;
  })
  .catch(() => {
    notice('抱歉，页面没有加载完整，请刷新重试。');
    return false;
  });

$('#sign-in').addEventListener('submit', (event) => {
  event.preventDefault();
  notice('');
  void signIn($('#token').value.trim());
});
$('#range').addEventListener('submit', (event) => {
  event.preventDefault();
  void load();
});
$('#sign-out').addEventListener('click', signOut);

const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) void signIn(saved);
