// The visitor page: pick a Sunday, a program's session, reserve; look up or cancel a reservation.
'use strict';

(() => {
  const { h, t } = FR;
  const $ = (id) => document.getElementById(id);

  FR.addStrings({
    ko: {
      openTicket: "입장권(QR 코드) 열기",
      tabsLabel: '예약 메뉴',
      docTitle: '잠수교 뚜벅뚜벅 축제 예약',
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
      'status.entered': '응모 완료 · 추첨 대기',
      'status.not-selected': '추첨 미당첨',
      lotteryOpen: '추첨 응모 중 · {n}명 응모',
      lotteryScheduled: '추첨 응모 {when} 시작',
      lotteryClosed: '응모 마감 · {when} 추첨',
      lotteryNote: '이 회차는 추첨으로 자리를 정합니다. 응모: {open}–{close}, 추첨: {draw}. 결과는 문자로 알려 드립니다.',
      enter: '응모하기',
      doneEntered: '추첨 응모가 접수되었습니다',
      'theme.art': '예술',
      'theme.play': '놀이',
      'theme.health': '건강',
      'theme.relaxation': '휴식',
      footer: '서울특별시 · 일요일 13:00–21:00 · 반포한강공원',
      description: '서울 잠수교 차 없는 뚜벅뚜벅 축제(일요일) 프로그램 예약: 날짜와 회차를 고르고 휴대폰으로 예약하면 예약 코드를 문자로 받습니다.',
    },
    en: {
      openTicket: "Open the ticket (QR code)",
      tabsLabel: 'Booking menu',
      docTitle: 'Jamsugyo Bridge Festival reservations',
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
      'status.entered': 'Entered · awaiting the draw',
      'status.not-selected': 'Not selected',
      lotteryOpen: 'Lottery open · {n} entered',
      lotteryScheduled: 'Lottery entries from {when}',
      lotteryClosed: 'Entries closed · draw {when}',
      lotteryNote: 'Seats for this session are drawn by lottery. Entries: {open}–{close}, draw: {draw}. We will text you the result.',
      enter: 'Enter the lottery',
      doneEntered: 'Your lottery entry is in',
      'theme.art': 'Art',
      'theme.play': 'Play',
      'theme.health': 'Health',
      'theme.relaxation': 'Relaxation',
      footer: 'Seoul Metropolitan Government · Sundays 13:00–21:00 · Banpo Hangang Park',
      description: 'Book programs of the Car-Free Jamsugyo Bridge Festival in Seoul (Sundays): pick a date and a session, reserve from your phone and get your code by text message.',
    },
    zh: {
      openTicket: "打开入场券（二维码）", // for native review (issue 19)
      tabsLabel: '预约菜单',
      docTitle: '潜水桥漫步节预约',
      tabBook: '预约',
      tabMine: '我的预约',
      pickDate: '请选择日期',
      loading: '加载中…',
      noPrograms: '这一天没有可以预约的活动。',
      liveNote: '剩余名额每10秒更新一次。',
      back: '← 活动列表',
      name: '姓名',
      phone: '手机号码',
      phonePlaceholder: '010-1234-5678',
      partySize: '人数',
      people: '{n}人',
      minutes: '{n}分钟',
      privacy: '姓名和手机号码仅用于本次预约的短信通知和现场确认，活动结束后即删除。',
      reserve: '预约',
      joinWaitlist: '登记候补',
      sending: '正在发送…',
      waitlistNote: '已无剩余名额。登记候补后，如有人取消，将按顺序确认预约并以短信通知。',
      left: '剩余{n}个',
      full: '已满 · 可候补',
      scheduled: '{when} 开放',
      closed: '预约结束',
      yourCode: '预约编号',
      showAtGate: '入场时请出示此编号。我们也会通过短信发送给您。',
      doneConfirmed: '预约成功',
      doneWaitlisted: '已登记为第{n}位候补',
      bookAnother: '预约其他活动',
      program: '活动',
      when: '时间',
      place: '地点',
      status: '状态',
      mineTitle: '查询 · 取消预约',
      code: '预约编号',
      lookup: '查询',
      cancel: '取消预约',
      cancelConfirm: '确定要取消吗？再点一次即取消。',
      cancelYes: '是的，取消',
      cancelled: '预约已取消。',
      lookupNotFound: '没有与此预约编号和手机号码相符的预约。请再次确认。',
      sessionNotFound: '找不到此场次。请刷新列表。',
      needName: '请输入姓名（不超过40个字）。',
      needPhone: '请输入手机号码。',
      needCode: '请输入预约编号（例如：K7M2-QX9P）。',
      opensAt: '预约开始：{when}',
      'status.confirmed': '预约成功',
      'status.waitlisted': '候补第{n}位',
      'status.checked-in': '已入场',
      'status.cancelled': '已取消',
      'status.no-show': '未到场',
      // The lottery strings below need a native speaker's review (zh).
      'status.entered': '已参加抽签 · 等待抽签',
      'status.not-selected': '未中签',
      lotteryOpen: '抽签报名中 · {n}人已报名',
      lotteryScheduled: '抽签报名 {when} 开始',
      lotteryClosed: '报名截止 · {when} 抽签',
      lotteryNote: '本场次通过抽签分配名额。报名：{open}–{close}，抽签：{draw}。结果将以短信通知。',
      enter: '参加抽签',
      doneEntered: '已收到您的抽签报名',
      'theme.art': '艺术',
      'theme.play': '游乐',
      'theme.health': '健康',
      'theme.relaxation': '休闲',
      footer: '首尔特别市 · 每周日 13:00–21:00 · 盘浦汉江公园',
      description: '首尔潜水桥无车漫步节（每周日）的活动预约：选择日期和场次，用手机预约，并通过短信接收预约编号。',
    },
    ja: {
      openTicket: "入場券（QRコード）を開く", // for native review (issue 19)
      tabsLabel: '予約メニュー',
      docTitle: '潜水橋てくてくフェスティバル 予約',
      tabBook: '予約する',
      tabMine: '予約の確認',
      pickDate: '日付を選んでください',
      loading: '読み込み中…',
      noPrograms: 'この日に予約できるプログラムはありません。',
      liveNote: '残席は10秒ごとに更新されます。',
      back: '← プログラム一覧',
      name: 'お名前',
      phone: '携帯電話番号',
      phonePlaceholder: '010-1234-5678',
      partySize: '人数',
      people: '{n}名',
      minutes: '{n}分',
      privacy: 'お名前と電話番号は、この予約のSMSと会場での確認にのみ使用し、フェスティバル終了後に削除します。',
      reserve: '予約する',
      joinWaitlist: 'キャンセル待ちに登録',
      sending: '送信中…',
      waitlistNote: '空きがありません。キャンセル待ちに登録すると、キャンセルが出たときに順番に予約が確定し、SMSでお知らせします。',
      left: '残り{n}席',
      full: '満席 · キャンセル待ち',
      scheduled: '{when} 受付開始',
      closed: '受付終了',
      yourCode: '予約番号',
      showAtGate: '入場時にこの番号をお見せください。SMSでもお送りします。',
      doneConfirmed: 'ご予約が確定しました',
      doneWaitlisted: 'キャンセル待ち{n}番目に登録しました',
      bookAnother: 'ほかのプログラムを予約する',
      program: 'プログラム',
      when: '日時',
      place: '場所',
      status: '状態',
      mineTitle: '予約の確認 · キャンセル',
      code: '予約番号',
      lookup: '確認する',
      cancel: '予約をキャンセル',
      cancelConfirm: '本当にキャンセルしますか？もう一度押すとキャンセルされます。',
      cancelYes: 'はい、キャンセルします',
      cancelled: 'ご予約をキャンセルしました。',
      lookupNotFound: 'この予約番号と電話番号に一致する予約はありません。もう一度ご確認ください。',
      sessionNotFound: 'この回が見つかりません。一覧を更新してください。',
      needName: 'お名前を入力してください（40文字以内）。',
      needPhone: '携帯電話番号を入力してください。',
      needCode: '予約番号を入力してください（例：K7M2-QX9P）。',
      opensAt: '予約受付開始：{when}',
      'status.confirmed': '予約確定',
      'status.waitlisted': 'キャンセル待ち{n}番',
      'status.checked-in': '入場済み',
      'status.cancelled': 'キャンセル済み',
      'status.no-show': '未入場',
      // The lottery strings below need a native speaker's review (ja).
      'status.entered': '抽選に応募済み · 抽選待ち',
      'status.not-selected': '落選',
      lotteryOpen: '抽選受付中 · {n}名が応募',
      lotteryScheduled: '抽選受付 {when} 開始',
      lotteryClosed: '受付終了 · {when} 抽選',
      lotteryNote: 'この回は抽選で席を決めます。受付：{open}–{close}、抽選：{draw}。結果はSMSでお知らせします。',
      enter: '抽選に応募する',
      doneEntered: '抽選への応募を受け付けました',
      'theme.art': 'アート',
      'theme.play': 'あそび',
      'theme.health': '健康',
      'theme.relaxation': 'くつろぎ',
      footer: 'ソウル特別市 · 毎週日曜 13:00–21:00 · 盤浦漢江公園',
      description: 'ソウル・潜水橋の歩行者天国フェスティバル（日曜開催）のプログラム予約。日付と回を選んでスマートフォンで予約し、予約番号をSMSで受け取れます。',
    },
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

  // An error tied to its field: the text under it (the field's aria-describedby), the field
  // marked invalid, and focus moved there so a screen reader reads both.
  function fieldError(id, text) {
    const field = $(id);
    const error = $(`${id}-error`);
    error.textContent = text;
    error.hidden = false;
    field.setAttribute('aria-invalid', 'true');
    field.focus();
    return false;
  }

  function clearFieldErrors(form) {
    for (const field of form.querySelectorAll('[aria-invalid]')) field.removeAttribute('aria-invalid');
    for (const error of form.querySelectorAll('.field-error')) {
      error.hidden = true;
      error.textContent = '';
    }
  }

  // The fields a 400 names (problem.errors), shown on the fields this form has; the first gets focus.
  function problemFields(result, fields) {
    const named = Object.keys(result.problem?.errors ?? {});
    if (result.problem?.code === 'invalid-phone' && !named.includes('phone')) named.push('phone');
    const texts = { name: t('needName'), phone: FR.problemText({ problem: { code: 'invalid-phone' } }), partySize: FR.problemText(result) };
    const mine = named.filter((f) => fields[f]);
    for (const f of [...mine].reverse()) fieldError(fields[f], texts[f] ?? FR.problemText(result));
    return mine.length > 0;
  }

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

  // A lottery before its draw: its entry window and draw time stand in for the seats.
  const drawing = (s) => s.allocation === 'lottery' && s.lottery && s.lottery.status !== 'drawn';

  function slotLabel(s) {
    if (drawing(s) && s.status !== 'closed') {
      switch (s.lottery.status) {
        case 'open': return t('lotteryOpen', { n: s.lottery.entries });
        case 'scheduled': return t('lotteryScheduled', { when: opensLabel(s.lottery.entriesOpenAt) });
        default: return t('lotteryClosed', { when: opensLabel(s.lottery.drawAt) });
      }
    }
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
    // A refresh redraws the slots: the one a keyboard user is on keeps the focus.
    const focused = box.contains(document.activeElement) ? document.activeElement.dataset.sessionId : null;
    box.replaceChildren();
    for (const theme of THEMES) {
      const programs = withSessions.filter((p) => p.theme === theme);
      if (!programs.length) continue;
      box.append(h('section', { class: `theme theme-${theme}`, dataset: { theme } },
        h('h2', { class: 'theme-title', text: t(`theme.${theme}`) }),
        programs.map(renderProgram)));
    }
    if (focused) box.querySelector(`button.slot[data-session-id="${focused}"]`)?.focus();
  }

  function renderProgram(p) {
    return h('article', { class: 'program', dataset: { programId: p.programId } },
      h('h3', { text: FR.text(p.title) }),
      h('p', { class: 'meta', text: `${FR.text(p.location)} · ${t('minutes', { n: p.durationMinutes })}` }),
      h('p', { class: 'desc', text: FR.text(p.description) }),
      h('div', { class: 'slots' }, p.sessions.map((s) => h('button', {
        type: 'button',
        class: `slot ${s.status}${drawing(s) ? ' lottery' : s.status === 'open' && s.remaining <= Math.max(3, s.capacity / 10) ? ' low' : ''}`,
        disabled: s.status !== 'open' && s.status !== 'full',
        dataset: { sessionId: s.sessionId, status: s.status, remaining: s.remaining, allocation: s.allocation ?? 'first-come' },
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
    const lottery = drawing(s) && s.lottery;
    $('waitlist-note').textContent = lottery
      ? t('lotteryNote', { open: opensLabel(lottery.entriesOpenAt), close: opensLabel(lottery.entriesCloseAt), draw: opensLabel(lottery.drawAt) })
      : t('waitlistNote');
    $('waitlist-note').hidden = !state.offerWaitlist && !lottery;
    setBusy(state.inFlight);
  }

  function setBusy(busy) {
    const button = $('submit');
    button.disabled = busy;
    button.setAttribute('aria-busy', String(busy));
    const entering = state.session && drawing(state.session);
    button.textContent = busy ? t('sending') : entering ? t('enter') : state.offerWaitlist ? t('joinWaitlist') : t('reserve');
    button.classList.toggle('waitlist', state.offerWaitlist);
  }

  function renderDone() {
    const r = state.done;
    if (!r) return;
    $('done-status').textContent = r.status === 'waitlisted'
      ? t('doneWaitlisted', { n: r.waitlistPosition ?? '?' })
      : r.status === 'entered' ? t('doneEntered') : t('doneConfirmed');
    $('done-status').className = `ticket-status ${r.status}`;
    $('done-code').textContent = r.code;
    $('done-details').replaceChildren(...details(r));
    // The ticket page (the same link the SMS carries): the QR code to show at the gate.
    $('done-ticket').hidden = !r.ticketUrl;
    if (r.ticketUrl) $('done-ticket').href = r.ticketUrl;
  }

  // No phone digits: this is the screen people show at the gate, and a code with the last four
  // digits of its phone was most of what a guess of the rest needed.
  function details(r) {
    const rows = [
      [t('program'), FR.text(r.programTitle)],
      [t('when'), `${FR.dateLabel(r.start.slice(0, 10))} ${FR.hhmm(r.start)}`],
      [t('partySize'), t('people', { n: r.partySize })],
      [t('name'), r.name],
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
    const canCancel = r.status === 'confirmed' || r.status === 'waitlisted' || r.status === 'entered';
    box.replaceChildren(h('div', { class: 'card reservation', dataset: { status: r.status } },
      h('h3', { id: 'mine-status', class: `badge ${r.status}`, tabindex: '-1', text: statusText(r) }),
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
    clearFieldErrors($('reserve-form'));
    state.program = program;
    state.session = session;
    state.offerWaitlist = session.status === 'full' && !drawing(session);
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
    clearFieldErrors($('reserve-form'));
    const fields = {
      name: $('name').value.trim(),
      phone: $('phone').value.trim(),
      partySize: Number($('party').value),
      joinWaitlist: state.offerWaitlist,
    };
    if (!fields.name || fields.name.length > 40) return fieldError('name', t('needName'));
    if (digits(fields.phone).length < 10) return fieldError('phone', t('needPhone'));

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
      $('done-status').focus();
      return;
    }

    if (!result.retryable) state.pending = null;
    if (result.problem.code === 'session-full') state.offerWaitlist = true;
    setBusy(false);
    renderChosen();
    let text = FR.problemText(result, { 'not-found': { en: t('sessionNotFound') } });
    if (result.problem.code === 'booking-not-open' && result.problem.bookingOpensAt) {
      text += ` ${t('opensAt', { when: opensLabel(result.problem.bookingOpensAt) })}`;
    }
    say(text);
    problemFields(result, { name: 'name', phone: 'phone', partySize: 'party' });
    if (!result.retryable) refresh();
  }

  // ---- my reservation ----------------------------------------------------------------------

  function normalizeCode(text) {
    return text.toUpperCase().replace(/[^0-9A-Z-]/g, '');
  }

  async function lookup(event) {
    event.preventDefault();
    say(null);
    clearFieldErrors($('lookup-form'));
    const code = normalizeCode($('lookup-code').value);
    const phone = $('lookup-phone').value.trim();
    if (code.replace(/-/g, '').length < 8) return fieldError('lookup-code', t('needCode'));
    if (digits(phone).length < 10) return fieldError('lookup-phone', t('needPhone'));
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
      sayProblem(result, { 'not-found': { en: FR.t('lookupNotFound') } });
      problemFields(result, { code: 'lookup-code', phone: 'lookup-phone' });
    }
    renderMine();
    if (result.ok) $('mine-status').focus();
  }

  async function cancel() {
    if (!state.mine) return;
    if (!state.confirmCancel) {
      state.confirmCancel = true;
      renderMine();
      $('cancel').focus(); // the button was drawn anew: keep the keyboard on it
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
      sayProblem(result, { 'not-found': { en: FR.t('lookupNotFound') } });
    }
    renderMine();
    $('mine-status')?.focus();
  }

  // ---- start -------------------------------------------------------------------------------

  function start() {
    FR.applyI18n();
    FR.renderLanguages();
    renderHeader();
    FR.onLang(() => { renderAll(); setBusy(state.inFlight); });
    // Each view change moves focus to what changed, so a screen reader says where it is.
    $('tab-book').addEventListener('click', () => {
      say(null);
      const view = state.done ? 'done' : state.session ? 'form' : 'book';
      show(view);
      (view === 'done' ? $('done-status') : view === 'form' ? $('name') : $('book-title')).focus();
    });
    $('tab-mine').addEventListener('click', () => { say(null); show('mine'); $('mine-title').focus(); });
    $('back').addEventListener('click', () => {
      say(null);
      const left = state.session?.sessionId;
      state.session = null;
      show('book');
      (document.querySelector(`button.slot[data-session-id="${left}"]`) ?? $('book-title')).focus();
      refresh();
    });
    $('again').addEventListener('click', () => { say(null); state.done = null; state.session = null; show('book'); $('book-title').focus(); refresh(); });
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
