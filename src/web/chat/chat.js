// The customer chat: Microsoft's Web Chat (window.WebChat, loaded from /chat/webchat.js) on this
// service's Direct Line. The conversation and its token are kept for the browser tab, so a reload resumes
// the same conversation and replays its history.

const DIRECT_LINE = `${location.origin}/v3/directline`;
const SAVED = 'broadband-chat.conversation';
/** Set just before the page reloads itself because its conversation ended: the new one explains why. */
const ENDED_AT = 'broadband-chat.ended-at';
/** A conversation that ends again this soon after a restart is not restarted in a loop. */
const RESTART_GUARD_MS = 30 * 1000;
/** A failed token renewal is tried again after this long (the database may be briefly away). */
const RENEW_RETRY_S = 30;

const TEXT = {
  placeholder: '请描述您遇到的宽带问题…',
  cannotStart: '抱歉，暂时无法连接客服，请稍后刷新页面重试。',
  ended: '抱歉，本次对话已过期，已为您开始新的对话。',
};

const status = document.getElementById('chat-status');

function showStatus(text) {
  status.textContent = text;
  status.hidden = !text;
}

function saved() {
  try {
    const value = JSON.parse(sessionStorage.getItem(SAVED) ?? 'null');
    return value && typeof value.conversationId === 'string' && typeof value.token === 'string' ? value : null;
  } catch {
    return null;
  }
}

function save(conversation) {
  sessionStorage.setItem(SAVED, JSON.stringify({ conversationId: conversation.conversationId, token: conversation.token }));
}

async function post(path, token) {
  const res = await fetch(`${DIRECT_LINE}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: token ? undefined : JSON.stringify({ locale: 'zh-CN' }),
  });
  if (!res.ok) throw new Error(`Direct Line answered ${res.status}`);
  return res.json();
}

/** The saved conversation if it can still be resumed (a fresh token proves it), else a new one. */
async function conversation() {
  const previous = saved();
  if (previous) {
    try {
      const renewed = await post('/tokens/refresh', previous.token);
      return { conversationId: previous.conversationId, token: renewed.token, expiresIn: renewed.expires_in };
    } catch {
      sessionStorage.removeItem(SAVED);
    }
  }
  const started = await post('/conversations');
  return { conversationId: started.conversationId, token: started.token, expiresIn: started.expires_in };
}

const styleOptions = {
  accent: '#0a66c2',
  botAvatarInitials: '客服',
  userAvatarInitials: '我',
  bubbleBorderRadius: 10,
  bubbleFromUserBorderRadius: 10,
  bubbleFromUserBackground: '#e1eefc',
  suggestedActionLayout: 'flow',
  suggestedActionBorderRadius: 16,
  sendBoxTextWrap: true,
  hideUploadButton: true,
  primaryFont: "'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', sans-serif",
};

/** Half a token's lifetime: when it is renewed. */
function renewalDelay(expiresInSeconds) {
  return Math.max(RENEW_RETRY_S, (Number(expiresInSeconds) || 0) / 2);
}

/**
 * Renews the token at half its lifetime, keeps it for a reload and hands it to Web Chat's client, whose
 * own renewal runs every 15 minutes whatever the lifetime is (DIRECTLINE_TOKEN_TTL_MIN may be shorter).
 */
function keepTokenFresh(current, directLine, delaySeconds) {
  setTimeout(async () => {
    let next = RENEW_RETRY_S;
    try {
      const renewed = await post('/tokens/refresh', current.token);
      current.token = renewed.token;
      save(current);
      directLine.reconnect({ conversationId: current.conversationId, token: renewed.token });
      next = renewalDelay(renewed.expires_in);
    } catch {
      // Tried again shortly; meanwhile the polls tell whether the conversation is really gone.
    }
    keepTokenFresh(current, directLine, next);
  }, delaySeconds * 1000);
}

/** The conversation is gone (idle too long, or its token expired): start a fresh page on a new one. */
function restart() {
  sessionStorage.removeItem(SAVED);
  const previous = Number(sessionStorage.getItem(ENDED_AT));
  if (previous && Date.now() - previous < RESTART_GUARD_MS) {
    showStatus(TEXT.cannotStart);
    return;
  }
  sessionStorage.setItem(ENDED_AT, String(Date.now()));
  location.reload();
}

async function start() {
  let current;
  try {
    current = await conversation();
  } catch {
    showStatus(TEXT.cannotStart);
    return;
  }
  save(current);
  const endedAt = Number(sessionStorage.getItem(ENDED_AT));
  showStatus(endedAt && Date.now() - endedAt < RESTART_GUARD_MS ? TEXT.ended : '');
  const directLine = window.WebChat.createDirectLine({
    domain: DIRECT_LINE,
    token: current.token,
    conversationId: current.conversationId,
    webSocket: false,
    pollingInterval: 1000,
  });
  // ExpiredToken (3) or Ended (5): a poll was refused (403) or the conversation is gone (404).
  // FailedToConnect (4): the client could not join and will not try again; a reload will.
  let ending = false;
  directLine.connectionStatus$.subscribe((state) => {
    if (state === 4) showStatus(TEXT.cannotStart);
    if (!ending && (state === 3 || state === 5)) {
      ending = true;
      restart();
    }
  });
  keepTokenFresh(current, directLine, renewalDelay(current.expiresIn));
  window.WebChat.renderWebChat(
    { directLine, locale: 'zh-CN', styleOptions, userID: `web-${current.conversationId.slice(0, 12)}`, username: '客户', sendTypingIndicator: false },
    document.getElementById('webchat'),
  );
  const input = document.querySelector('[data-id="webchat-sendbox-input"]');
  input?.setAttribute('placeholder', TEXT.placeholder);
}

document.getElementById('new-chat').addEventListener('click', () => {
  sessionStorage.removeItem(SAVED);
  sessionStorage.removeItem(ENDED_AT);
  location.reload();
});

window.addEventListener('DOMContentLoaded', () => void start());
