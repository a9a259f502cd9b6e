// The operations dashboard: GET /api/stats drawn with chart.js (window.Chart, served by this service),
// every chart with its figures as a table beside it.
import { api, ApiError, setToken } from '/agent/api.js';
import { $, fill, h } from '/agent/dom.js';

const TOKEN_KEY = 'broadband-dashboard.token';
const CATEGORIES = { network: '网络故障', business: '业务使用', service: '服务', billing: '资费', utility: '其他请求', other: '无关' };
const COLORS = { network: '#0a66c2', business: '#7b61ff', service: '#e07a00', billing: '#2f7d32', utility: '#8d99a6', other: '#c5ccd3' };
const INTENTS = {
  'network.no_connection': '无法上网',
  'network.slow': '网速慢',
  'network.unstable': '频繁掉线',
  'business.site_unreachable': '部分网站打不开',
  'business.video_game_lag': '视频/游戏卡顿',
  'service.install_delay': '装机/移机不及时',
  'service.repair_delay': '维修不及时',
  'service.staff_attitude': '服务态度',
  'billing.dispute': '资费争议',
  'ticket.status': '查询工单',
  'handoff.request': '转人工',
  greeting: '问候',
  goodbye: '结束/感谢',
  none: '无关',
};
const SATISFACTION = { satisfied: '满意', neutral: '一般', dissatisfied: '不满意' };

const charts = new Map();
const percent = (x) => (x === null || x === undefined ? '—' : `${Math.round(x * 1000) / 10}%`);

function notice(text) {
  $('#notice').textContent = text ?? '';
  $('#notice').hidden = !text;
}

function card(label, value, hint, alert = false) {
  return h('div', { class: `card${alert ? ' alert' : ''}`, dataset: { metric: label } }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value), hint ? h('div', { class: 'hint' }, hint) : null);
}

function table(id, header, rows) {
  fill($(`#${id}`), h('thead', {}, h('tr', {}, header.map((c) => h('th', {}, c)))), h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))));
}

function draw(id, config) {
  charts.get(id)?.destroy();
  charts.set(id, new window.Chart($(`#${id}`), { ...config, options: { responsive: true, animation: false, maintainAspectRatio: false, ...config.options } }));
}

function render(stats) {
  const t = stats.totals;
  fill(
    $('#cards'),
    card('会话数', t.conversations),
    card('自助解决率', percent(t.containmentRate), `${t.contained} 个会话无需工单或人工`),
    card('新建工单', t.tickets),
    card('转人工', t.handoffs),
    card('重复投诉', t.repeatComplaints, '', t.repeatComplaints > 0),
    card('首次响应超时', t.slaFirstResponseBreaches, '', t.slaFirstResponseBreaches > 0),
    card('处理超时', t.slaResolutionBreaches, '', t.slaResolutionBreaches > 0),
    card('满意率', percent(t.satisfaction.satisfiedRate), `${t.satisfaction.responses} 人评价`),
  );

  const days = stats.days.map((d) => d.day.slice(5));
  const cats = Object.keys(CATEGORIES);
  draw('chart-days', {
    type: 'bar',
    data: { labels: days, datasets: cats.map((c) => ({ label: CATEGORIES[c], data: stats.days.map((d) => d.byCategory[c].conversations), backgroundColor: COLORS[c] })) },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
  });
  table('table-days', ['日期', ...cats.map((c) => CATEGORIES[c]), '工单', '转人工'], stats.days.map((d) => [d.day, ...cats.map((c) => d.byCategory[c].conversations), cats.reduce((n, c) => n + d.byCategory[c].tickets, 0), cats.reduce((n, c) => n + d.byCategory[c].handoffs, 0)]));

  const withTraffic = cats.filter((c) => stats.byCategory[c].conversations > 0);
  draw('chart-containment', {
    type: 'bar',
    data: { labels: withTraffic.map((c) => CATEGORIES[c]), datasets: [{ label: '自助解决率 %', data: withTraffic.map((c) => Math.round((stats.byCategory[c].containmentRate ?? 0) * 1000) / 10), backgroundColor: withTraffic.map((c) => COLORS[c]) }] },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, max: 100 } } },
  });
  table('table-containment', ['类别', '会话', '自助解决', '解决率', '工单', '转人工'], withTraffic.map((c) => { const f = stats.byCategory[c]; return [CATEGORIES[c], f.conversations, f.contained, percent(f.containmentRate), f.tickets, f.handoffs]; }));

  draw('chart-steps', {
    type: 'bar',
    data: { labels: stats.selfChecks.map((s) => s.step), datasets: [{ label: '解决率 %', data: stats.selfChecks.map((s) => Math.round(s.rate * 1000) / 10), backgroundColor: '#2f7d32' }] },
    options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, max: 100 } } },
  });
  table('table-steps', ['步骤', '流程', '尝试', '解决', '解决率'], stats.selfChecks.map((s) => [s.step, s.flow, s.attempts, s.solved, percent(s.rate)]));

  draw('chart-low', {
    type: 'bar',
    data: { labels: stats.lowConfidenceIntents.map((l) => INTENTS[l.intent] ?? l.intent), datasets: [{ label: '低置信度轮次', data: stats.lowConfidenceIntents.map((l) => l.turns), backgroundColor: '#e07a00' }] },
    options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  table('table-low', ['意图', '轮次'], stats.lowConfidenceIntents.map((l) => [INTENTS[l.intent] ?? l.intent, l.turns]));

  const answers = Object.keys(SATISFACTION);
  draw('chart-satisfaction', {
    type: 'doughnut',
    data: { labels: answers.map((a) => SATISFACTION[a]), datasets: [{ data: answers.map((a) => t.satisfaction[a]), backgroundColor: ['#2f7d32', '#f2c94c', '#b3261e'] }] },
  });
  table('table-satisfaction', ['评价', '人数'], answers.map((a) => [SATISFACTION[a], t.satisfaction[a]]));
}

async function load() {
  try {
    const stats = await api('GET', `/api/stats?from=${$('#from').value}&to=${$('#to').value}`);
    notice('');
    render(stats);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
      signOut();
      notice('令牌无效或没有查看权限，请重新登录。');
    } else {
      notice(err instanceof ApiError ? `查询失败：${err.message}` : '查询失败，请稍后重试。');
    }
  }
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  setToken('');
  for (const id of ['#board', '#range', '#sign-out']) $(id).hidden = true;
  $('#sign-in').hidden = false;
}

function beijingDay(offsetDays = 0) {
  return new Date(Date.now() + 8 * 3600_000 + offsetDays * 24 * 3600_000).toISOString().slice(0, 10);
}

async function signIn(token) {
  setToken(token);
  sessionStorage.setItem(TOKEN_KEY, token);
  $('#sign-in').hidden = true;
  for (const id of ['#board', '#range', '#sign-out']) $(id).hidden = false;
  if (!$('#from').value) $('#from').value = beijingDay(-6);
  if (!$('#to').value) $('#to').value = beijingDay();
  await load();
}

$('#sign-in').addEventListener('submit', (event) => {
  event.preventDefault();
  void signIn($('#token').value.trim());
});
$('#range').addEventListener('submit', (event) => {
  event.preventDefault();
  void load();
});
$('#sign-out').addEventListener('click', signOut);

const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) void signIn(saved);
