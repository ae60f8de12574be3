// The visitor page: pick a Sunday, a program's session, reserve; look up or cancel a reservation.
'use strict';

(() => {
  const { h, t } = FR;
  const $ = (id) => document.getElementById(id);

  FR.addStrings({
    docTitle: '잠수교 뚜벅뚜벅 축제 예약',
    switchLang: 'English',
    tabBook: '예약하기',
    tabMine: '내 예약',
    pickDate: '날짜를 고르세요',
    loading: '불러오는 중…',
    noPrograms: '이 날은 예약할 수 있는 프로그램이 없습니다.',
    liveNote: '남은 자리는 10초마다 새로 고칩니다.',
    back: '← 프로그램 목록',
    name: '이름',
    phone: '휴대폰 번호',
    phonePlaceholder: '010-1234-5678',
    partySize: '인원',
    people: '{n}명',
    minutes: '{n}분',
    privacy: '이름과 휴대폰 번호는 예약 안내 문자와 현장 확인에만 쓰이며, 축제가 끝나면 삭제됩니다.',
    reserve: '예약하기',
    joinWaitlist: '대기자 명단 신청',
    sending: '보내는 중…',
    waitlistNote: '남은 자리가 없습니다. 대기자 명단에 등록하면 취소가 생길 때 순서대로 예약이 확정되고 문자로 알려 드립니다.',
    left: '잔여 {n}석',
    full: '마감 · 대기 신청',
    scheduled: '{when} 오픈',
    closed: '예약 종료',
    yourCode: '예약 코드',
    showAtGate: '입장할 때 이 코드를 보여 주세요. 문자로도 보내 드립니다.',
    doneConfirmed: '예약이 확정되었습니다',
    doneWaitlisted: '대기자 명단 {n}번째로 등록되었습니다',
    bookAnother: '다른 프로그램 예약하기',
    program: '프로그램',
    when: '일시',
    place: '장소',
    status: '상태',
    mineTitle: '내 예약 확인 · 취소',
    code: '예약 코드',
    lookup: '조회하기',
    cancel: '예약 취소',
    cancelConfirm: '정말 취소할까요? 한 번 더 누르면 취소됩니다.',
    cancelYes: '네, 취소합니다',
    cancelled: '예약이 취소되었습니다.',
    lookupNotFound: '예약 코드와 휴대폰 번호가 맞는 예약이 없습니다. 다시 확인해 주세요.',
    sessionNotFound: '이 회차를 찾을 수 없습니다. 목록을 새로 고쳐 주세요.',
    needName: '이름을 입력해 주세요 (40자 이내).',
    needPhone: '휴대폰 번호를 입력해 주세요.',
    needCode: '예약 코드를 입력해 주세요 (예: K7M2-QX9P).',
    opensAt: '예약 시작: {when}',
    'status.confirmed': '예약 확정',
    'status.waitlisted': '대기 {n}번',
    'status.checked-in': '입장 완료',
    'status.cancelled': '취소됨',
    'status.no-show': '미입장',
    'theme.art': '예술',
    'theme.play': '놀이',
    'theme.health': '건강',
    'theme.relaxation': '휴식',
    footer: '서울특별시 · 일요일 13:00–21:00 · 반포한강공원',
  }, {
    docTitle: 'Jamsugyo Bridge Festival reservations',
    switchLang: '한국어',
    tabBook: 'Reserve',
    tabMine: 'My reservation',
    pickDate: 'Pick a Sunday',
    loading: 'Loading…',
    noPrograms: 'No programs can be reserved on this day.',
    liveNote: 'Seats left refresh every 10 seconds.',
    back: '← All programs',
    name: 'Name',
    phone: 'Mobile phone',
    phonePlaceholder: '010-1234-5678',
    partySize: 'Party size',
    people: '{n}',
    minutes: '{n} min',
    privacy: 'Your name and phone number are used only for the text messages about this reservation and at the gate, and are deleted after the festival.',
    reserve: 'Reserve',
    joinWaitlist: 'Join the waitlist',
    sending: 'Sending…',
    waitlistNote: 'No seats are left. Join the waitlist: when someone cancels, the next in line is confirmed and told by text message.',
    left: '{n} left',
    full: 'Full · waitlist',
    scheduled: 'Opens {when}',
    closed: 'Closed',
    yourCode: 'Your code',
    showAtGate: 'Show this code at the entrance. We also send it by text message.',
    doneConfirmed: 'Your reservation is confirmed',
    doneWaitlisted: 'You are number {n} on the waitlist',
    bookAnother: 'Reserve another program',
    program: 'Program',
    when: 'When',
    place: 'Where',
    status: 'Status',
    mineTitle: 'Check or cancel a reservation',
    code: 'Reservation code',
    lookup: 'Look up',
    cancel: 'Cancel reservation',
    cancelConfirm: 'Cancel for sure? Tap once more to cancel.',
    cancelYes: 'Yes, cancel it',
    cancelled: 'Your reservation is cancelled.',
    lookupNotFound: 'No reservation matches this code and phone number. Please check them.',
    sessionNotFound: 'This session could not be found. Please reload the list.',
    needName: 'Please enter your name (up to 40 characters).',
    needPhone: 'Please enter your mobile phone number.',
    needCode: 'Please enter your reservation code (like K7M2-QX9P).',
    opensAt: 'Booking opens {when}',
    'status.confirmed': 'Confirmed',
    'status.waitlisted': 'Waitlist #{n}',
    'status.checked-in': 'Checked in',
    'status.cancelled': 'Cancelled',
    'status.no-show': 'No-show',
    'theme.art': 'Art',
    'theme.play': 'Play',
    'theme.health': 'Health',
    'theme.relaxation': 'Relaxation',
    footer: 'Seoul Metropolitan Government · Sundays 13:00–21:00 · Banpo Hangang Park',
  });

  const THEMES = ['art', 'play', 'health', 'relaxation'];
  const REFRESH_MS = 10000;

  const state = {
    festival: null,
    date: null,
    programs: [],
    programsJson: '',
    view: 'book',
    program: null,
    session: null,
    offerWaitlist: false,
    pending: null, // { sig, key, body, sessionId }: kept until the server gives a definitive answer
    inFlight: false,
    done: null,
    mine: null,
    minePhone: '',
    confirmCancel: false,
  };

  const message = $('message');
  const say = (text, kind) => FR.showMessage(message, text, kind);
  const sayProblem = (result, overrides) => say(FR.problemText(result, overrides), 'error');

  // ---- views -------------------------------------------------------------------------------

  function show(view) {
    state.view = view;
    $('view-book').hidden = view !== 'book';
    $('view-form').hidden = view !== 'form';
    $('view-done').hidden = view !== 'done';
    $('view-mine').hidden = view !== 'mine';
    const mine = view === 'mine';
    $('tab-book').setAttribute('aria-current', mine ? 'false' : 'page');
    $('tab-mine').setAttribute('aria-current', mine ? 'page' : 'false');
    window.scrollTo(0, 0);
  }

  function renderHeader() {
    $('lang').textContent = t('switchLang');
    $('lang').setAttribute('lang', FR.lang === 'ko' ? 'en' : 'ko');
    if (state.festival) {
      $('festival-name').textContent = FR.text(state.festival.name);
      $('venue').textContent = FR.text(state.festival.venue);
    }
  }

  function renderDates() {
    const box = $('dates');
    box.replaceChildren();
    for (const date of state.festival?.dates ?? []) {
      box.append(h('button', {
        type: 'button',
        class: 'chip',
        'aria-pressed': String(date === state.date),
        dataset: { date },
        onclick: () => selectDate(date),
      }, FR.dateLabel(date, 'short')));
    }
  }

  function slotLabel(s) {
    switch (s.status) {
      case 'open': return t('left', { n: s.remaining });
      case 'full': return t('full');
      case 'scheduled': return t('scheduled', { when: opensLabel(s.bookingOpensAt) });
      default: return t('closed');
    }
  }

  function opensLabel(local) {
    return local ? `${FR.dateLabel(local.slice(0, 10), 'short')} ${FR.hhmm(local)}` : '';
  }

  function renderPrograms() {
    const box = $('programs');
    const status = $('programs-status');
    const withSessions = state.programs.filter((p) => p.sessions.length > 0);
    status.textContent = withSessions.length ? t('liveNote') : t('noPrograms');
    box.replaceChildren();
    for (const theme of THEMES) {
      const programs = withSessions.filter((p) => p.theme === theme);
      if (!programs.length) continue;
      box.append(h('section', { class: `theme theme-${theme}`, dataset: { theme } },
        h('h2', { class: 'theme-title', text: t(`theme.${theme}`) }),
        programs.map(renderProgram)));
    }
  }

  function renderProgram(p) {
    return h('article', { class: 'program', dataset: { programId: p.programId } },
      h('h3', { text: FR.text(p.title) }),
      h('p', { class: 'meta', text: `${FR.text(p.location)} · ${t('minutes', { n: p.durationMinutes })}` }),
      h('p', { class: 'desc', text: FR.text(p.description) }),
      h('div', { class: 'slots' }, p.sessions.map((s) => h('button', {
        type: 'button',
        class: `slot ${s.status}${s.status === 'open' && s.remaining <= Math.max(3, s.capacity / 10) ? ' low' : ''}`,
        disabled: s.status !== 'open' && s.status !== 'full',
        dataset: { sessionId: s.sessionId, status: s.status, remaining: s.remaining },
        onclick: () => choose(p, s),
      }, h('strong', { text: FR.hhmm(s.start) }), h('span', { text: slotLabel(s) })))));
  }

  function renderChosen() {
    const p = state.program;
    const s = state.session;
    if (!p || !s) return;
    $('chosen').replaceChildren(
      h('p', { class: 'eyebrow', text: t(`theme.${p.theme}`) }),
      h('h2', { text: FR.text(p.title) }),
      h('p', { class: 'meta', text: `${FR.dateLabel(s.date)} ${FR.hhmm(s.start)}–${FR.hhmm(s.end)}` }),
      h('p', { class: 'meta', text: FR.text(p.location) }),
      h('p', { class: `seats ${s.status}`, text: slotLabel(s) }));
    const party = $('party');
    const current = Number(party.value) || 1;
    party.replaceChildren(...Array.from({ length: p.maxPartySize }, (_, i) =>
      h('option', { value: i + 1, text: t('people', { n: i + 1 }) })));
    party.value = String(Math.min(current, p.maxPartySize));
    $('waitlist-note').textContent = t('waitlistNote');
    $('waitlist-note').hidden = !state.offerWaitlist;
    setBusy(state.inFlight);
  }

  function setBusy(busy) {
    const button = $('submit');
    button.disabled = busy;
    button.setAttribute('aria-busy', String(busy));
    button.textContent = busy ? t('sending') : state.offerWaitlist ? t('joinWaitlist') : t('reserve');
    button.classList.toggle('waitlist', state.offerWaitlist);
  }

  function renderDone() {
    const r = state.done;
    if (!r) return;
    $('done-status').textContent = r.status === 'waitlisted'
      ? t('doneWaitlisted', { n: r.waitlistPosition ?? '?' })
      : t('doneConfirmed');
    $('done-status').className = `ticket-status ${r.status}`;
    $('done-code').textContent = r.code;
    $('done-details').replaceChildren(...details(r));
  }

  function details(r) {
    const rows = [
      [t('program'), FR.text(r.programTitle)],
      [t('when'), `${FR.dateLabel(r.start.slice(0, 10))} ${FR.hhmm(r.start)}`],
      [t('partySize'), t('people', { n: r.partySize })],
      [t('name'), r.name],
      [t('phone'), r.phoneMasked],
    ];
    return rows.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })]);
  }

  function statusText(r) {
    return t(`status.${r.status}`, { n: r.waitlistPosition ?? '?' });
  }

  function renderMine() {
    const box = $('mine-result');
    const r = state.mine;
    if (!r) {
      box.replaceChildren();
      return;
    }
    const canCancel = r.status === 'confirmed' || r.status === 'waitlisted';
    box.replaceChildren(h('div', { class: 'card reservation', dataset: { status: r.status } },
      h('p', { class: `badge ${r.status}`, text: statusText(r) }),
      h('p', { class: 'code small', text: r.code }),
      h('dl', { class: 'details' }, details(r)),
      canCancel && state.confirmCancel && h('p', { class: 'note', text: t('cancelConfirm') }),
      canCancel && h('button', {
        type: 'button',
        id: 'cancel',
        class: state.confirmCancel ? 'danger' : 'secondary',
        onclick: cancel,
      }, state.confirmCancel ? t('cancelYes') : t('cancel'))));
  }

  function renderAll() {
    renderHeader();
    renderDates();
    renderPrograms();
    renderChosen();
    renderDone();
    renderMine();
  }

  // ---- data --------------------------------------------------------------------------------

  async function fetchPrograms(date) {
    return FR.api('GET', `/api/programs?date=${encodeURIComponent(date)}`);
  }

  function dayKind(programs) {
    const statuses = programs.flatMap((p) => p.sessions.map((s) => s.status));
    if (statuses.some((s) => s === 'open' || s === 'full')) return 'open';
    if (statuses.some((s) => s === 'scheduled')) return 'scheduled';
    return 'closed';
  }

  // The first Sunday whose sessions can be booked now. Starts at today's date by this device's
  // clock and walks forward past days that are over, or back past days not open yet.
  async function findDefaultDate(dates) {
    const cache = new Map();
    const kind = async (i) => {
      const result = await fetchPrograms(dates[i]);
      if (!result.ok) throw result;
      cache.set(dates[i], result.data);
      return dayKind(result.data);
    };
    const today = FR.todayIn(state.festival.timeZone);
    let i = dates.findIndex((d) => d >= today);
    if (i < 0) i = dates.length - 1;
    let pick = i;
    const first = await kind(i);
    if (first === 'closed') {
      pick = dates.length - 1;
      for (let j = i + 1; j < dates.length; j++) {
        if (await kind(j) !== 'closed') { pick = j; break; }
      }
    } else if (first === 'scheduled') {
      pick = 0;
      for (let j = i - 1; j >= 0; j--) {
        const k = await kind(j);
        if (k === 'open') { pick = j; break; }
        if (k === 'closed') { pick = j + 1; break; }
      }
    }
    return { date: dates[pick], programs: cache.get(dates[pick]) };
  }

  function setPrograms(programs) {
    const json = JSON.stringify(programs);
    if (json === state.programsJson) return;
    state.programsJson = json;
    state.programs = programs;
    renderPrograms();
    if (state.session) {
      const program = programs.find((p) => p.programId === state.program.programId);
      const session = program?.sessions.find((s) => s.sessionId === state.session.sessionId);
      if (program && session) {
        state.program = program;
        state.session = session;
        if (session.status === 'full') state.offerWaitlist = true;
        renderChosen();
      }
    }
  }

  async function selectDate(date) {
    state.date = date;
    renderDates();
    $('programs-status').textContent = t('loading');
    const result = await fetchPrograms(date);
    if (result.ok && state.date === date) {
      state.programsJson = '';
      setPrograms(result.data);
    } else if (!result.ok) {
      sayProblem(result);
    }
  }

  async function refresh() {
    if (!state.date || state.view === 'mine' || state.view === 'done') return;
    const result = await fetchPrograms(state.date);
    if (result.ok) setPrograms(result.data);
  }

  // ---- reserving ---------------------------------------------------------------------------

  function choose(program, session) {
    say(null);
    state.program = program;
    state.session = session;
    state.offerWaitlist = session.status === 'full';
    state.pending = null;
    renderChosen();
    show('form');
    $('name').focus({ preventScroll: true });
  }

  function digits(text) {
    return text.replace(/\D/g, '');
  }

  async function submit(event) {
    event.preventDefault();
    if (state.inFlight || !state.session) return; // a double tap sends nothing more
    say(null);
    const fields = {
      name: $('name').value.trim(),
      phone: $('phone').value.trim(),
      partySize: Number($('party').value),
      joinWaitlist: state.offerWaitlist,
    };
    if (!fields.name || fields.name.length > 40) return say(t('needName'));
    if (digits(fields.phone).length < 10) return say(t('needPhone'));

    // One Idempotency-Key per submission: a retry of the same form (after a network error or a
    // 5xx) resends the same body with the same key, so the server answers it once.
    const sessionId = state.session.sessionId;
    const sig = JSON.stringify([sessionId, fields]);
    if (!state.pending || state.pending.sig !== sig) {
      state.pending = { sig, sessionId, key: FR.newKey(), body: JSON.stringify({ ...fields, language: FR.lang }) };
    }
    const pending = state.pending;

    state.inFlight = true;
    setBusy(true);
    const result = await FR.api('POST', `/api/sessions/${encodeURIComponent(sessionId)}/reservations`, {
      body: pending.body,
      headers: { 'Idempotency-Key': pending.key },
      timeoutMs: 20000,
    });
    state.inFlight = false;

    if (result.ok) {
      state.pending = null;
      state.done = result.data;
      $('lookup-code').value = result.data.code;
      $('lookup-phone').value = fields.phone;
      setBusy(false);
      renderDone();
      show('done');
      return;
    }

    if (!result.retryable) state.pending = null;
    if (result.problem.code === 'session-full') state.offerWaitlist = true;
    setBusy(false);
    renderChosen();
    let text = FR.problemText(result, { 'not-found': { ko: t('sessionNotFound'), en: t('sessionNotFound') } });
    if (result.problem.code === 'booking-not-open' && result.problem.bookingOpensAt) {
      text += ` ${t('opensAt', { when: opensLabel(result.problem.bookingOpensAt) })}`;
    }
    say(text);
    if (!result.retryable) refresh();
  }

  // ---- my reservation ----------------------------------------------------------------------

  function normalizeCode(text) {
    return text.toUpperCase().replace(/[^0-9A-Z-]/g, '');
  }

  async function lookup(event) {
    event.preventDefault();
    say(null);
    const code = normalizeCode($('lookup-code').value);
    const phone = $('lookup-phone').value.trim();
    if (code.replace(/-/g, '').length < 8) return say(t('needCode'));
    if (digits(phone).length < 10) return say(t('needPhone'));
    const button = $('lookup');
    button.disabled = true;
    const result = await FR.api('POST', `/api/reservations/${encodeURIComponent(code)}/lookup`, { body: { phone } });
    button.disabled = false;
    state.confirmCancel = false;
    if (result.ok) {
      state.mine = result.data;
      state.minePhone = phone;
    } else {
      state.mine = null;
      sayProblem(result, { 'not-found': { ko: FR.t('lookupNotFound'), en: FR.t('lookupNotFound') } });
    }
    renderMine();
  }

  async function cancel() {
    if (!state.mine) return;
    if (!state.confirmCancel) {
      state.confirmCancel = true;
      renderMine();
      return;
    }
    const button = $('cancel');
    button.disabled = true;
    const result = await FR.api('POST', `/api/reservations/${encodeURIComponent(state.mine.code)}/cancel`, { body: { phone: state.minePhone } });
    state.confirmCancel = false;
    if (result.ok) {
      state.mine = result.data;
      say(t('cancelled'), 'ok');
    } else {
      sayProblem(result, { 'not-found': { ko: FR.t('lookupNotFound'), en: FR.t('lookupNotFound') } });
    }
    renderMine();
  }

  // ---- start -------------------------------------------------------------------------------

  function start() {
    FR.applyI18n();
    renderHeader();
    $('lang').addEventListener('click', () => FR.setLang(FR.lang === 'ko' ? 'en' : 'ko'));
    FR.onLang(() => { renderAll(); setBusy(state.inFlight); });
    $('tab-book').addEventListener('click', () => { say(null); show(state.done ? 'done' : state.session ? 'form' : 'book'); });
    $('tab-mine').addEventListener('click', () => { say(null); show('mine'); });
    $('back').addEventListener('click', () => { say(null); state.session = null; show('book'); refresh(); });
    $('again').addEventListener('click', () => { say(null); state.done = null; state.session = null; show('book'); refresh(); });
    $('reserve-form').addEventListener('submit', submit);
    $('lookup-form').addEventListener('submit', lookup);
    load();
  }

  async function load() {
    const festival = await FR.api('GET', '/api/festival');
    if (!festival.ok) {
      $('programs-status').textContent = '';
      sayProblem(festival);
      setTimeout(load, 5000);
      return;
    }
    say(null);
    state.festival = festival.data;
    renderHeader();
    const wanted = new URLSearchParams(location.search).get('date');
    try {
      const found = state.festival.dates.includes(wanted)
        ? { date: wanted, programs: null }
        : await findDefaultDate(state.festival.dates);
      state.date = found.date;
      renderDates();
      if (found.programs) setPrograms(found.programs);
      else await selectDate(found.date);
    } catch (result) {
      state.date = state.festival.dates[0];
      renderDates();
      sayProblem(result);
    }
    document.body.dataset.ready = 'true';
    FR.every(REFRESH_MS, refresh);
  }

  start();
})();
