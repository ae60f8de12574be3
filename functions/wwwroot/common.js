// Shared by the visitor page and the staff page: language, API calls, problem messages, formatting.
// No framework, no build step: plain ES2020 served as is (Content-Security-Policy: script-src 'self').
'use strict';

window.FR = (() => {
  const LANG_KEY = 'fr.lang';
  const listeners = [];
  // The languages of core/Localization/Languages.cs, in the same order; the BCP 47 tags say
  // which script (zh is Simplified Chinese) and which locale formats dates.
  const LANGS = ['ko', 'en', 'zh', 'ja'];
  const TAGS = { ko: 'ko', en: 'en', zh: 'zh-Hans', ja: 'ja' };
  const LOCALES = { ko: 'ko-KR', en: 'en-US', zh: 'zh-CN', ja: 'ja-JP' };
  const NAMES = { ko: '한국어', en: 'English', zh: '简体中文', ja: '日本語' };
  const strings = { ko: { languages: '언어' }, en: { languages: 'Language' }, zh: { languages: '语言' }, ja: { languages: '言語' } };
  const known = (value) => (LANGS.includes(value) ? value : null);

  // An explicit choice (?lang=, or one made earlier on this device) wins; otherwise the language
  // the server picked from Accept-Language (the page's <html lang>), else Korean.
  const fromQuery = known(new URLSearchParams(location.search).get('lang'));
  const served = known(document.documentElement.lang.slice(0, 2));
  let lang = fromQuery ?? known(read(LANG_KEY)) ?? served ?? 'ko';

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
      'draw-not-due': '응모가 마감된 뒤에 추첨할 수 있습니다.',
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
      'draw-not-due': 'The lottery can be drawn once its entries have closed.',
      'network': 'The connection is unstable. Please try again: the same request is sent again, so nothing is booked twice.',
      'unknown': 'Something went wrong. Please try again in a moment.',
    },
    zh: {
      'validation-failed': '请检查填写的内容。',
      'invalid-phone': '请输入可以接收短信的韩国手机号码（010-1234-5678）。',
      'not-found': '未找到。',
      'session-full': '已无剩余名额。您可以登记候补。',
      'duplicate-reservation': '此手机号码已预约过本场次。请在“我的预约”中查看。',
      'already-checked-in': '此预约已完成入场。',
      'already-cancelled': '此预约已取消。',
      'not-confirmed': '候补中的预约无法办理入场。',
      'capacity-below-reserved': '名额不能少于已预约的人数。',
      'booking-not-open': '预约尚未开始。',
      'booking-closed': '本场次预约已截止。',
      'cancellation-closed': '活动已开始，无法再取消。',
      'idempotency-key-reused': '请求内容有变化。请再点一次。',
      'payload-too-large': '填写的内容过长。',
      'unsupported-media-type': '请求格式不正确。',
      'unauthorized': '工作人员密钥无效。',
      'too-many-requests': '当前请求过多。请稍后再试。',
      'storage-unavailable': '服务暂时不可用。请重试。',
      'draw-not-due': '报名截止后才能抽签。', // needs native review (zh)
      'network': '网络连接不稳定。请重试：会重新发送同一请求，不会重复预约。',
      'unknown': '出现问题。请稍后再试。',
    },
    ja: {
      'validation-failed': '入力内容をご確認ください。',
      'invalid-phone': 'SMSを受信できる韓国の携帯電話番号（010-1234-5678）を入力してください。',
      'not-found': '見つかりません。',
      'session-full': '空きがありません。キャンセル待ちに登録できます。',
      'duplicate-reservation': 'この電話番号ではこの回をすでに予約済みです。「予約の確認」でご確認ください。',
      'already-checked-in': 'この予約はすでに入場済みです。',
      'already-cancelled': 'この予約はすでにキャンセルされています。',
      'not-confirmed': 'キャンセル待ちの予約は入場処理できません。',
      'capacity-below-reserved': '定員を予約済みの人数より少なくすることはできません。',
      'booking-not-open': 'まだ予約を受け付けていません。',
      'booking-closed': 'この回の予約は締め切りました。',
      'cancellation-closed': 'プログラムが始まったため、キャンセルできません。',
      'idempotency-key-reused': 'リクエストの内容が変わりました。もう一度押してください。',
      'payload-too-large': '入力内容が長すぎます。',
      'unsupported-media-type': 'リクエストの形式が正しくありません。',
      'unauthorized': 'スタッフキーが正しくありません。',
      'too-many-requests': 'アクセスが集中しています。しばらくしてからもう一度お試しください。',
      'storage-unavailable': '一時的にサービスを利用できません。もう一度お試しください。',
      'draw-not-due': '受付終了後に抽選できます。', // needs native review (ja)
      'network': '接続が不安定です。もう一度お試しください。同じリクエストを再送するため、二重予約にはなりません。',
      'unknown': '問題が発生しました。しばらくしてからもう一度お試しください。',
    },
  };

  const fieldNames = {
    ko: { name: '이름', phone: '휴대폰 번호', partySize: '인원', code: '예약 코드', reason: '사유' },
    en: { name: 'Name', phone: 'Phone', partySize: 'Party size', code: 'Code', reason: 'Reason' },
    zh: { name: '姓名', phone: '手机号码', partySize: '人数', code: '预约编号', reason: '原因' },
    ja: { name: 'お名前', phone: '携帯電話番号', partySize: '人数', code: '予約番号', reason: '理由' },
  };

  function t(key, vars) {
    let text = strings[lang][key] ?? strings.en[key] ?? strings.ko[key] ?? key;
    if (vars) {
      text = text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
    }
    return text;
  }

  function applyI18n(root = document) {
    document.documentElement.lang = TAGS[lang];
    for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
    for (const el of root.querySelectorAll('[data-i18n-ph]')) el.placeholder = t(el.dataset.i18nPh);
    for (const el of root.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
    if (t('docTitle') !== 'docTitle') document.title = t('docTitle');
    if (t('description') !== 'description') document.querySelector('meta[name="description"]')?.setAttribute('content', t('description'));
  }

  function setLang(next) {
    lang = known(next) ?? 'ko';
    write(LANG_KEY, lang);
    applyI18n();
    renderLanguages();
    for (const fn of listeners) fn(lang);
  }

  // The language links in #langs (plain links to ?lang=xx, so they work without script too):
  // each named in its own language, the current one marked for screen readers.
  function renderLanguages() {
    const box = document.getElementById('langs');
    if (!box) return;
    box.setAttribute('aria-label', t('languages'));
    box.replaceChildren(...LANGS.map((code) => {
      const url = new URL(location.href);
      url.searchParams.set('lang', code);
      return h('a', {
        href: url.pathname + url.search,
        class: 'lang',
        lang: TAGS[code],
        hreflang: TAGS[code],
        'aria-current': code === lang ? 'true' : false,
        dataset: { lang: code },
        onclick: (event) => {
          event.preventDefault();
          if (code !== lang) setLang(code);
          history.replaceState(null, '', url.pathname + url.search + url.hash);
          box.querySelector(`[data-lang="${code}"]`)?.focus();
        },
      }, NAMES[code]);
    }));
  }

  // A readable message for a failed call, in the chosen language; never the raw body.
  function problemText(result, overrides) {
    const code = result.problem?.code ?? 'unknown';
    const own = overrides?.[code];
    let text = (own && (own[lang] ?? own.en ?? own.ko)) ?? problems[lang][code] ?? problems[lang][result.status >= 500 ? 'storage-unavailable' : 'unknown'];
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
    return new Intl.DateTimeFormat(LOCALES[lang], opts).format(date);
  }

  // An instant (UTC, Z) shown in festival time.
  function instant(utc, timeZone = 'Asia/Seoul') {
    if (!utc) return '';
    const date = new Date(utc);
    if (Number.isNaN(date.getTime())) return '';
    return new Intl.DateTimeFormat(LOCALES[lang], {
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
    get locale() { return LOCALES[lang]; },
    LANGS,
    // addStrings({ ko: {...}, en: {...}, zh: {...}, ja: {...} }); a key missing in one reads English.
    addStrings(byLang) { for (const code of LANGS) Object.assign(strings[code], byLang[code] ?? {}); },
    onLang(fn) { listeners.push(fn); },
    t, applyI18n, setLang, renderLanguages, problemText, api, newKey, hhmm, dateLabel, instant, todayIn, h, showMessage, every,
    // A contract text ({ko, en, zh?, ja?}): a language without its own text reads English (API.md).
    text(localized) { return localized ? localized[lang] || localized.en || localized.ko || '' : ''; },
  };
})();
