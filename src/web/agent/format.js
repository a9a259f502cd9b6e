// Chinese labels and time formats for the agent desk. Pure functions: no DOM, no state.

const CATEGORIES = {
  network: '网络质量',
  business: '业务使用',
  service: '服务质量',
  billing: '资费争议',
  callback: '回电',
  utility: '其他',
  other: '其他',
};

const INTENTS = {
  'network.no_connection': '无法上网',
  'network.slow': '网速慢',
  'network.unstable': '网络不稳定',
  'business.site_unreachable': '网站打不开',
  'business.video_game_lag': '视频/游戏卡顿',
  'service.install_delay': '装机延误',
  'service.repair_delay': '维修延误',
  'service.staff_attitude': '服务态度',
  'billing.dispute': '资费争议',
  'ticket.status': '查询工单',
  'handoff.request': '转人工',
  greeting: '问候',
  goodbye: '告别',
  none: '未识别',
};

const CHANNELS = {
  webchat: '网页',
  wechat: '微信',
  msteams: 'Teams',
  emulator: '模拟器',
  console: '终端',
  sms: '短信',
};

const TICKET_STATUSES = { open: '待处理', in_progress: '处理中', resolved: '已解决', closed: '已关闭' };
const PRIORITIES = { normal: '普通', high: '高', urgent: '紧急' };
const ACCOUNT_STATUSES = { active: '正常', arrears: '欠费', suspended: '停机' };
const FLAGS = { escalation_risk: '升级风险' };

const own = (table, key) => (typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : undefined);

/** "网络质量"; unknown categories read 其他 (the taxonomy's utility/other). */
export const categoryLabel = (category) => own(CATEGORIES, category) ?? '其他';
/** "网速慢", or the code itself when the desk does not know it. */
export const intentLabel = (intent) => own(INTENTS, intent) ?? String(intent ?? '');
export const channelLabel = (channel) => own(CHANNELS, channel) ?? String(channel ?? '');
export const ticketStatusLabel = (status) => own(TICKET_STATUSES, status) ?? String(status ?? '');
export const priorityLabel = (priority) => own(PRIORITIES, priority) ?? String(priority ?? '');
export const accountStatusLabel = (status) => own(ACCOUNT_STATUSES, status) ?? String(status ?? '');
export const flagLabel = (flag) => own(FLAGS, flag) ?? String(flag);

const pad = (n) => String(n).padStart(2, '0');

/** 65 000 ms → "1分05秒"; 45 000 → "45秒"; 3 725 000 → "1小时02分". Negative (clock skew) counts as 0. */
export function formatDuration(ms) {
  const total = Math.max(0, Math.floor((Number(ms) || 0) / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours}小时${pad(minutes)}分`;
  if (minutes > 0) return `${minutes}分${pad(seconds)}秒`;
  return `${seconds}秒`;
}

/** "等待 1分05秒" since an ISO time, as of `now` (ms). */
export function waitText(since, now) {
  const start = Date.parse(since);
  return Number.isNaN(start) ? '等待 —' : `等待 ${formatDuration(now - start)}`;
}

/** "14:03:09", local time. */
export function clockTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "11月23日 14:03", local time. */
export function dayTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : `${d.getMonth() + 1}月${d.getDate()}日 ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** NLU confidence as shown under a customer line: 0.934 → "0.93". */
export function scoreText(score) {
  const n = Number(score);
  return Number.isFinite(n) ? n.toFixed(2) : '—';
}

/** Chinese for the error codes the API answers, with its own message kept as detail. */
export function errorText(err) {
  const status = err?.status ?? 0;
  const code = err?.code ?? '';
  const base =
    status === 0
      ? '无法连接服务器'
      : status === 400
        ? '请求无效'
        : status === 401
          ? '令牌无效'
          : status === 403
            ? '此令牌无权执行该操作（需要客服令牌）'
            : status === 404
              ? '会话不存在或已结束'
              : status === 409
                ? '操作冲突：会话状态已变化'
                : status === 503
                  ? '服务暂时不可用，请稍后重试'
                  : `服务器错误（${status}）`;
  const detail = err?.message && err.message !== base ? err.message : '';
  return { text: base, detail: detail && code ? `${detail}（${code}）` : detail };
}
