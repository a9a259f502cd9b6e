// The agent desk API client: bearer token, JSON in and out, errors as ApiError {status, code, message}.

const TIMEOUT_MS = 10_000;

export class ApiError extends Error {
  /** status 0: the server could not be reached (or did not answer in time). */
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

let token = '';
/** Server time minus this browser's time (ms), from the Date header; only a real skew is kept. */
let clockOffset = 0;

export function setToken(value) {
  token = value;
}

/** Now on the server's clock, so wait times are right even when this laptop's clock is off. */
export function serverNow() {
  return Date.now() + clockOffset;
}

function noteServerClock(response, sentAt) {
  const date = Date.parse(response.headers.get('date') ?? '');
  if (Number.isNaN(date)) return;
  const local = (sentAt + Date.now()) / 2;
  const skew = date - local;
  // The header has one-second resolution: smaller differences are noise.
  clockOffset = Math.abs(skew) > 5_000 ? skew : 0;
}

/** Calls the API; resolves with the parsed JSON body of a 2xx answer, rejects with ApiError. */
export async function api(method, path, body) {
  const headers = { accept: 'application/json', authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const sentAt = Date.now();
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    const timedOut = err?.name === 'TimeoutError';
    throw new ApiError(0, timedOut ? 'timeout' : 'network', timedOut ? '服务器响应超时' : '无法连接服务器');
  }
  noteServerClock(response, sentAt);
  let data = null;
  try {
    const text = await response.text();
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const code = typeof data?.error === 'string' ? data.error : `http_${response.status}`;
    const message = typeof data?.message === 'string' ? data.message : response.statusText;
    throw new ApiError(response.status, code, message);
  }
  if (data === null || typeof data !== 'object') throw new ApiError(response.status, 'bad_response', '服务器返回了无法识别的内容');
  return data;
}

const conversationPath = (conversationId, action) => `/api/handoff/${encodeURIComponent(conversationId)}/${action}`;

export const desk = {
  queue: () => api('GET', '/api/handoff/queue'),
  setStatus: (status) => api('PUT', '/api/agent/status', { status }),
  accept: (id) => api('POST', conversationPath(id, 'accept')),
  transcript: (id, after) => api('GET', conversationPath(id, after === undefined ? 'transcript' : `transcript?after=${encodeURIComponent(after)}`)),
  send: (id, text) => api('POST', conversationPath(id, 'messages'), { text }),
  close: (id, resolution) => api('POST', conversationPath(id, 'close'), resolution ? { resolution } : {}),
};
