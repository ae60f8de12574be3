// Shared by the visitor page and the staff page: language, API calls, problem messages, formatting.
// No framework, no build step: plain ES2020 served as is (Content-Security-Policy: script-src 'self').
'use strict';

window.FR = (() => {
  const LANG_KEY = 'fr.lang';
  const listeners = [];
  const strings = { ko: {}, en: {} };

  const fromQuery = new URLSearchParams(location.search).get('lang');
  let lang = fromQuery === 'en' || fromQuery === 'ko' ? fromQuery : read(LANG_KEY) === 'en' ? 'en' : 'ko';

  function read(key) {
    try { return localStorage.getItem(key); } catch { return null; }
  }

  function write(key, value) {
    try { localStorage.setItem(key, value); } catch { /* private mode: the choice lasts for this page only */ }
  }

  // Messages for the contract's problem codes (API.md), plus the client's own "network".
  const problems = {
    ko: {
      'validation-failed': '입력한 내용을 확인해 주세요.',
      'invalid-phone': '휴대폰 번호(010-1234-5678 형식)를 입력해 주세요. 문자 안내를 받을 수 있는 번호만 가능합니다.',
      'not-found': '찾을 수 없습니다.',
      'session-full': '남은 자리가 없습니다. 대기자 명단에 등록할 수 있습니다.',
      'duplicate-reservation': '이 휴대폰 번호로 이미 이 회차를 예약하셨습니다. ‘내 예약’에서 확인해 주세요.',
      'already-checked-in': '이미 입장 처리된 예약입니다.',
      'already-cancelled': '이미 취소된 예약입니다.',
      'not-confirmed': '대기 중인 예약은 입장 처리할 수 없습니다.',
      'capacity-below-reserved': '이미 예약된 인원보다 정원을 줄일 수 없습니다.',
      'booking-not-open': '아직 예약이 열리지 않았습니다.',
      'booking-closed': '이 회차는 예약이 마감되었습니다.',
      'cancellation-closed': '프로그램이 시작되어 더 이상 취소할 수 없습니다.',
      'idempotency-key-reused': '요청 내용이 바뀌었습니다. 다시 한 번 눌러 주세요.',
      'payload-too-large': '입력한 내용이 너무 깁니다.',
      'unsupported-media-type': '요청 형식이 올바르지 않습니다.',
      'unauthorized': '스태프 키가 올바르지 않습니다.',
      'too-many-requests': '요청이 많아 잠시 기다려야 합니다. 잠시 후 다시 시도해 주세요.',
      'storage-unavailable': '잠시 서비스가 원활하지 않습니다. 다시 시도해 주세요.',
      'network': '연결이 불안정합니다. 다시 시도해 주세요. 같은 요청으로 다시 보내므로 중복 예약되지 않습니다.',
      'unknown': '문제가 생겼습니다. 잠시 후 다시 시도해 주세요.',
    },
    en: {
      'validation-failed': 'Please check what you entered.',
      'invalid-phone': 'Please enter a Korean mobile number (010-1234-5678) that can receive text messages.',
      'not-found': 'Not found.',
      'session-full': 'There are no seats left. You can join the waitlist.',
      'duplicate-reservation': 'This phone number already has a reservation for this session. See “My reservation”.',
      'already-checked-in': 'This reservation has already been checked in.',
      'already-cancelled': 'This reservation has already been cancelled.',
      'not-confirmed': 'A waitlisted reservation cannot be checked in.',
      'capacity-below-reserved': 'Capacity cannot go below the seats already reserved.',
      'booking-not-open': 'Booking has not opened yet.',
      'booking-closed': 'Booking for this session has closed.',
      'cancellation-closed': 'The program has started, so it can no longer be cancelled.',
      'idempotency-key-reused': 'The request changed. Please tap once more.',
      'payload-too-large': 'What you entered is too long.',
      'unsupported-media-type': 'The request was not in the right format.',
      'unauthorized': 'The staff key is not valid.',
      'too-many-requests': 'Too many requests right now. Please try again in a moment.',
      'storage-unavailable': 'The service is briefly unavailable. Please try again.',
      'network': 'The connection is unstable. Please try again: the same request is sent again, so nothing is booked twice.',
      'unknown': 'Something went wrong. Please try again in a moment.',
    },
  };

  const fieldNames = {
    ko: { name: '이름', phone: '휴대폰 번호', partySize: '인원', code: '예약 코드', reason: '사유' },
    en: { name: 'Name', phone: 'Phone', partySize: 'Party size', code: 'Code', reason: 'Reason' },
  };

  function t(key, vars) {
    let text = strings[lang][key] ?? strings.ko[key] ?? key;
    if (vars) {
      text = text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
    }
    return text;
  }

  function applyI18n(root = document) {
    document.documentElement.lang = lang;
    for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
    for (const el of root.querySelectorAll('[data-i18n-ph]')) el.placeholder = t(el.dataset.i18nPh);
    for (const el of root.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
    if (strings[lang].docTitle) document.title = t('docTitle');
  }

  function setLang(next) {
    lang = next === 'en' ? 'en' : 'ko';
    write(LANG_KEY, lang);
    applyI18n();
    for (const fn of listeners) fn(lang);
  }

  // A readable message for a failed call, in the chosen language; never the raw body.
  function problemText(result, overrides) {
    const code = result.problem?.code ?? 'unknown';
    const own = overrides?.[code];
    let text = (own && (own[lang] ?? own.ko)) ?? problems[lang][code] ?? problems[lang][result.status >= 500 ? 'storage-unavailable' : 'unknown'];
    const errors = result.problem?.errors;
    if (code === 'validation-failed' && errors && typeof errors === 'object') {
      const fields = Object.keys(errors).map((f) => fieldNames[lang][f] ?? null).filter(Boolean);
      if (fields.length) text += ` (${fields.join(', ')})`;
    }
    return text;
  }

  // fetch with a timeout. Resolves to { ok, status, data, problem, retryable, headers }; never throws.
  async function api(method, path, options = {}) {
    const headers = { Accept: options.accept ?? 'application/json', ...(options.headers ?? {}) };
    let body;
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 15000);
    try {
      const response = await fetch(path, { method, headers, body, signal: controller.signal, cache: 'no-store', credentials: 'same-origin' });
      const type = response.headers.get('Content-Type') ?? '';
      if (response.ok) {
        let data = null;
        if (options.blob) data = await response.blob();
        else if (type.includes('json')) data = await response.json();
        return { ok: true, status: response.status, data, headers: response.headers };
      }
      let problem = null;
      if (type.includes('json')) {
        try { problem = await response.json(); } catch { problem = null; }
      }
      if (!problem || typeof problem.code !== 'string') {
        problem = { code: response.status === 401 ? 'unauthorized' : response.status === 429 ? 'too-many-requests' : response.status >= 500 ? 'storage-unavailable' : 'unknown' };
      }
      return { ok: false, status: response.status, problem, retryable: response.status >= 500 || response.status === 429, headers: response.headers };
    } catch {
      return { ok: false, status: 0, problem: { code: 'network' }, retryable: true, network: true };
    } finally {
      clearTimeout(timer);
    }
  }

  // A fresh Idempotency-Key (printable ASCII, well under 64 characters).
  function newKey() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  // Festival-local times come as 2024-09-08T15:00:00+09:00: show the wall-clock part as it is.
  function hhmm(local) {
    return typeof local === 'string' && local.length >= 16 ? local.slice(11, 16) : '';
  }

  function dateLabel(ymd, style = 'long') {
    const [y, m, d] = ymd.split('-').map(Number);
    const date = new Date(Date.UTC(y, m - 1, d));
    const opts = style === 'short'
      ? { month: 'numeric', day: 'numeric', weekday: 'short', timeZone: 'UTC' }
      : { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short', timeZone: 'UTC' };
    return new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-US', opts).format(date);
  }

  // An instant (UTC, Z) shown in festival time.
  function instant(utc, timeZone = 'Asia/Seoul') {
    if (!utc) return '';
    const date = new Date(utc);
    if (Number.isNaN(date.getTime())) return '';
    return new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-US', {
      month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, timeZone,
    }).format(date);
  }

  // Today's date in festival time, YYYY-MM-DD.
  function todayIn(timeZone = 'Asia/Seoul') {
    const parts = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone }).format(new Date());
    return parts.slice(0, 10);
  }

  // Tiny DOM helper: h('p', { class: 'x', text: 'y' }, child, ...).
  function h(tag, props, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(props ?? {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'text') el.textContent = value;
      else if (name === 'class') el.className = value;
      else if (name === 'dataset') Object.assign(el.dataset, value);
      else if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
      else if (value === true) el.setAttribute(name, '');
      else el.setAttribute(name, String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  function showMessage(el, text, kind = 'error') {
    if (!text) {
      el.hidden = true;
      el.textContent = '';
      return;
    }
    el.textContent = text;
    el.className = `message ${kind}`;
    el.hidden = false;
  }

  // Calls fn every `ms` while the page is visible, and at once when it becomes visible again.
  function every(ms, fn) {
    let timer = null;
    const tick = async () => {
      clearTimeout(timer);
      if (!document.hidden) {
        try { await fn(); } catch { /* the next tick tries again */ }
      }
      timer = setTimeout(tick, ms);
    };
    document.addEventListener('visibilitychange', () => { if (!document.hidden) tick(); });
    timer = setTimeout(tick, ms);
    return { now: tick };
  }

  return {
    get lang() { return lang; },
    addStrings(ko, en) { Object.assign(strings.ko, ko); Object.assign(strings.en, en); },
    onLang(fn) { listeners.push(fn); },
    t, applyI18n, setLang, problemText, api, newKey, hhmm, dateLabel, instant, todayIn, h, showMessage, every,
    text(localized) { return localized ? localized[lang] ?? localized.ko ?? '' : ''; },
  };
})();
