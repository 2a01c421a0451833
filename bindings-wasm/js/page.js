// ccpa-optout/page: posts this visitor's privacy signals to the receiver and shows the answer (no WebAssembly: the receiver decodes).

const TEXTS = {
  checking: 'Checking your privacy choices…',
  honored: 'Opt-Out Request Honored',
  applied: 'Opt-Out Request Honored: you are opted out of the sale and sharing of your personal information',
  none: 'No opt-out signal received',
  error: 'Your opt-out status cannot be shown right now',
};
const KINDS = ['Validation', 'Config', 'Auth', 'NotFound', 'RateLimited', 'Server', 'Http', 'Transport', 'Decode'];
// After these statuses of `GET /v1/opt-outs/{id}` nothing changes any more.
const SETTLED = ['applied', 'unchanged', 'not-found', 'rejected'];
const TIMED_OUT = {};

// The main entry's error shape, so that one `isCcpaOptOutError` fits both entries.
class CcpaOptOutError extends Error {
  constructor(kind, message, status = null, field = null) {
    super(`${kind}${status ? ` (${status})` : ''}: ${message}`);
    Object.assign(this, { name: 'CcpaOptOutError', kind, status, field, retryable: kind === 'Transport' || kind === 'RateLimited' || status >= 500 });
  }
}

export const isCcpaOptOutError = (error) => error instanceof Error && error.name === 'CcpaOptOutError' && KINDS.includes(error.kind);

// `run()`'s value, or TIMED_OUT after `ms`: a CMP that never calls back must not hold the page
// (and one that throws counts as no answer).
const within = (ms, run) => new Promise((resolve) => {
  const timer = setTimeout(resolve, ms, TIMED_OUT);
  const settle = (value) => {
    clearTimeout(timer);
    resolve(value);
  };
  new Promise((done) => done(run())).then(settle, () => settle());
});

// What a CMP command's callback gets, or nothing when it reports failure.
const command = (call) => new Promise((resolve) => call((value, success) => resolve(success === false ? undefined : value)));

// GPP CMP API v1.1: `ping` carries the string once `signalStatus` is "ready" (until then, wait
// for that event); v1.0 CMPs answer `getGPPData` instead.
async function readGpp(gpp) {
  const ping = await command((back) => gpp('ping', back));
  if (ping && ping.signalStatus === 'not ready') {
    return (await command((back) => gpp('addEventListener', (event, success) => {
      const data = success !== false && event && event.pingData;
      if (data && data.signalStatus === 'ready') {
        gpp('removeEventListener', () => {}, event.listenerId);
        back(data);
      }
    }))).gppString;
  }
  if (ping && typeof ping.gppString === 'string') return ping.gppString;
  return ((await command((back) => gpp('getGPPData', back))) || {}).gppString;
}

const readUsp = async (uspapi) => ((await command((back) => uspapi('getUSPData', 1, back))) || {}).uspString;

export async function readSignals({ timeoutMs = 500 } = {}) {
  const signals = {};
  const unanswered = [];
  const gpc = globalThis.navigator && navigator.globalPrivacyControl;
  if (typeof gpc === 'boolean') signals.gpc = gpc;
  const ask = async (name, cmp, read) => {
    if (typeof cmp !== 'function') return;
    const value = await within(timeoutMs, () => read(cmp));
    if (value === TIMED_OUT) unanswered.push(name);
    else if (typeof value === 'string' && value) signals[name] = value;
  };
  await Promise.all([ask('gpp', globalThis.__gpp, readGpp), ask('usp', globalThis.__uspapi, readUsp)]);
  return { signals, unanswered };
}

// The token goes only into the Authorization header; the receiver's messages are scrubbed of it
// all the same, since errors end up in logs.
async function call(receiver, path, token, body, timeoutMs = 10000) {
  if (!receiver || typeof receiver !== 'string') throw new CcpaOptOutError('Config', 'no receiver URL', null, 'receiver');
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  if (body) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(receiver.replace(/\/+$/, '') + path, {
      method: body ? 'POST' : 'GET', headers, body: body && JSON.stringify(body),
      credentials: 'omit', cache: 'no-store', signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new CcpaOptOutError('Transport', error && error.name === 'TimeoutError'
      ? `no answer within ${timeoutMs} ms` : 'the receiver cannot be reached (offline, or this origin is not allowed)');
  }
  const answer = await response.json().catch(() => null);
  if (!response.ok) {
    const { kind, message, field } = (answer && answer.error) || {};
    const text = String(message || 'refused');
    throw new CcpaOptOutError(KINDS.includes(kind) ? kind : 'Http', token ? text.split(token).join('…') : text,
      response.status, typeof field === 'string' ? field : null);
  }
  if (!answer || typeof answer !== 'object') throw new CcpaOptOutError('Decode', 'the answer is not a JSON object', response.status);
  return answer;
}

export const sendSignals = ({ receiver, token, signals, requestTimeoutMs }) => call(receiver, '/v1/signals', token, signals || {}, requestTimeoutMs);

export async function pollStatus({ receiver, token, id, intervalMs = 1000, maxWaitMs = 60000, requestTimeoutMs }) {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const view = await call(receiver, `/v1/opt-outs/${encodeURIComponent(id)}`, token, null, requestTimeoutMs);
    if (SETTLED.includes(view.status) || Date.now() + intervalMs > deadline) return view;
    await new Promise((wake) => setTimeout(wake, intervalMs));
  }
}

function element(target, field) {
  const found = typeof target === 'string' ? document.querySelector(target) : target;
  if (found && found.setAttribute) return found;
  throw new CcpaOptOutError('Config', `no element ${typeof target == 'string' ? target : 'given'}`, null, field);
}

export async function showOptOutStatus(options) {
  const { receiver, token, requestTimeoutMs, poll } = options;
  const target = element(options.element, 'element');
  const toggle = options.toggle == null ? null : element(options.toggle, 'toggle');
  const texts = { ...TEXTS, ...options.texts };
  const show = (state) => {
    target.dataset.state = state;
    target.textContent = texts[state];
    // Only an opt-out moves the toggle: no signal today does not undo an earlier opt-out.
    if (toggle && (state === 'honored' || state === 'applied')) {
      toggle.checked = true;
      toggle.setAttribute('aria-checked', 'true');
    }
    return state;
  };
  show('checking');
  let answer, signals, unanswered;
  try {
    ({ signals, unanswered } = await readSignals(options));
    answer = await sendSignals({ receiver, token, signals, requestTimeoutMs });
  } catch (error) {
    show('error');
    throw error;
  }
  const honored = answer.honored === true;
  const result = { state: show(honored ? 'honored' : 'none'), honored, decision: answer.decision,
    id: answer.id || null, status: answer.status || null, signals, unanswered, error: null };
  if (poll && result.id && token) {
    try {
      result.status = (await pollStatus({ receiver, token, requestTimeoutMs, ...poll, id: result.id })).status;
      if (result.status === 'applied' || result.status === 'unchanged') result.state = show('applied');
    } catch (error) {
      // The opt-out is honoured and stored; only its progress could not be read, so the text stays.
      result.error = error;
    }
  }
  return result;
}
