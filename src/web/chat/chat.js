// The customer chat: Microsoft's Web Chat (window.WebChat, loaded from /chat/webchat.js) on this
// service's Direct Line. The conversation and its token are kept for the browser tab, so a reload resumes
// the same conversation and replays its history.

const DIRECT_LINE = `${location.origin}/v3/directline`;
const SAVED = 'broadband-chat.conversation';
/** Direct Line tokens live 30 minutes by default; the saved one is renewed well before that. */
const TOKEN_RENEW_MS = 10 * 60 * 1000;

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
      return { conversationId: previous.conversationId, token: renewed.token, resumed: true };
    } catch {
      sessionStorage.removeItem(SAVED);
    }
  }
  const started = await post('/conversations');
  return { conversationId: started.conversationId, token: started.token, resumed: false };
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

let renewTimer;

async function start(notice = '') {
  clearInterval(renewTimer);
  let current;
  try {
    current = await conversation();
  } catch {
    showStatus(TEXT.cannotStart);
    return;
  }
  save(current);
  showStatus(notice);
  const directLine = window.WebChat.createDirectLine({
    domain: DIRECT_LINE,
    token: current.token,
    conversationId: current.conversationId,
    webSocket: false,
    pollingInterval: 1000,
  });
  // ExpiredToken (3) or Ended (5): the conversation is gone (idle too long); begin a new one, once.
  let replaced = false;
  directLine.connectionStatus$.subscribe((state) => {
    if (!replaced && (state === 3 || state === 5)) {
      replaced = true;
      sessionStorage.removeItem(SAVED);
      directLine.end?.();
      void start(TEXT.ended);
    }
  });
  renewTimer = setInterval(async () => {
    try {
      const renewed = await post('/tokens/refresh', saved()?.token);
      save({ conversationId: current.conversationId, token: renewed.token });
    } catch {
      // The next poll tells whether the conversation is really gone.
    }
  }, TOKEN_RENEW_MS);
  window.WebChat.renderWebChat(
    { directLine, locale: 'zh-CN', styleOptions, userID: `web-${current.conversationId.slice(0, 12)}`, username: '客户', sendTypingIndicator: false },
    document.getElementById('webchat'),
  );
  const input = document.querySelector('[data-id="webchat-sendbox-input"]');
  input?.setAttribute('placeholder', TEXT.placeholder);
}

document.getElementById('new-chat').addEventListener('click', () => {
  sessionStorage.removeItem(SAVED);
  location.reload();
});

window.addEventListener('DOMContentLoaded', () => void start());
