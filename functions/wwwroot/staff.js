// The staff page: the day's capacity board, attendee lists with check-in, CSV, failed SMS, erasure runs.
// The staff key is asked for once and kept in sessionStorage only (gone when the tab closes).
'use strict';

(() => {
  const { h, t } = FR;
  const $ = (id) => document.getElementById(id);
  const KEY = 'fr.staffKey';
  const BOARD_MS = 5000;

  FR.addStrings({
    ko: {
      gateTitle: "입구 스캔",
      scanStart: "카메라로 스캔",
      scanStop: "카메라 끄기",
      gateHint: "오프라인에서도 입장 처리하려면 오늘 회차를 골라 보관하세요.",
      gateKeep: "고른 회차 보관",
      scanLog: "스캔 기록",
      gateOnline: "온라인",
      gateOffline: "오프라인: 이 기기에서 판정하고 나중에 보냅니다",
      gateKept: "{date} 회차 {n}개 보관",
      gateNotKept: "보관한 회차 없음",
      gateQueued: "보낼 입장 {n}건",
      vIn: "입장",
      vParty: "{n}명",
      vAlready: "이미 입장 {time}",
      vCancelled: "취소된 예약",
      vWrongSession: "다른 회차",
      vWrongDay: "다른 날짜",
      vForged: "위조·무효 입장권",
      vUnreadable: "읽을 수 없는 코드",
      vUnknown: "없는 예약번호",
      vRefused: "입장 불가",
      vNoList: "오프라인: 보관한 명단이 없습니다",
      vQueued: "오프라인 기록, 연결되면 전송",
      vSynced: "전송됨",
      vConflict: "{code}: 다른 기기({device})에서 {time}에 먼저 입장",
      vNoCamera: "카메라를 쓸 수 없습니다. 코드를 입력하세요.",
      'col.action': '작업',
      docTitle: '스태프 보드 · 잠수교 뚜벅뚜벅 축제',
      title: '스태프 보드',
      logout: '키 지우기',
      keyTitle: '스태프 키를 입력하세요',
      keyHint: '키는 이 탭에만 보관되며 탭을 닫으면 지워집니다.',
      key: '스태프 키',
      enter: '들어가기',
      wrongKey: '스태프 키가 올바르지 않습니다. 다시 입력해 주세요.',
      board: '회차별 현황',
      legendIn: '입장',
      legendRes: '예약(미입장)',
      legendWait: '대기',
      updated: '{time} 갱신',
      'total.capacity': '정원',
      'total.reserved': '예약',
      'total.checkedIn': '입장',
      'total.remaining': '잔여',
      'total.waitlisted': '대기',
      nums: '예약 {reserved}/{capacity} · 입장 {checkedIn} · 대기 {waitlisted} · 잔여 {remaining}',
      'session.scheduled': '예약 전',
      'session.open': '예약 중',
      'session.full': '만석',
      'session.closed': '마감',
      noSessions: '이 날에는 회차가 없습니다.',
      checkInTitle: '코드로 입장 처리',
      code: '예약 코드',
      checkIn: '입장',
      checkedIn: '입장 완료: {name} · {n}명 · {program} {time}',
      alreadyIn: '이미 입장 처리된 예약입니다 ({time}).',
      codeNotFound: '이 코드의 예약이 없습니다.',
      needCode: '예약 코드를 입력하세요.',
      attendees: '예약자 명단',
      attendeesOf: '예약자 명단 · {time} {title}',
      pickSession: '왼쪽에서 회차를 고르세요.',
      noAttendees: '아직 예약이 없습니다.',
      csv: 'CSV 내려받기',
      csvDone: 'CSV를 내려받았습니다.',
      'col.code': '코드',
      'col.name': '이름',
      'col.phone': '휴대폰',
      'col.party': '인원',
      'col.status': '상태',
      'col.created': '예약 시각',
      'col.time': '시각',
      'col.kind': '종류',
      'col.to': '수신',
      'col.attempts': '시도',
      'col.error': '오류',
      'status.confirmed': '확정',
      'status.waitlisted': '대기 {n}',
      'status.checked-in': '입장',
      'status.cancelled': '취소',
      'status.no-show': '미입장',
      'status.entered': '응모',
      'status.not-selected': '미당첨',
      'kind.entered': '추첨 응모',
      'kind.won': '추첨 당첨',
      'kind.not-selected': '추첨 미당첨',
      lotteryRow: '추첨 {entries}명 응모 · {status}',
      'lottery.scheduled': '응모 전',
      'lottery.open': '응모 중',
      'lottery.closed': '응모 마감 · 추첨 전',
      'lottery.drawn': '추첨 완료',
      lotteryInfo: '추첨 회차: 응모 {entries}명 · {status} · 추첨 {draw}',
      draw: '지금 추첨하기',
      drawn: '추첨 완료: 응모 {entries}명 중 {confirmed}팀 당첨, {waitlisted}팀 대기. 시드 해시 {hash}',
      'kind.confirmed': '예약 확정',
      'kind.waitlisted': '대기 등록',
      'kind.promoted': '대기→확정',
      'kind.cancelled': '취소',
      'kind.reminder': '당일 안내',
      smsTitle: '발송 실패 문자',
      refresh: '새로 고침',
      noFailedSms: '발송에 실패한 문자가 없습니다.',
      retry: '재발송',
      retried: '재발송을 요청했습니다.',
      erasureTitle: '개인정보 파기 기록',
      noErasureRuns: '아직 파기 기록이 없습니다.',
      'col.cutoff': '이전에 끝난 회차',
      'col.sessions': '회차 수',
      'col.rows': '파기한 행',
    },
    en: {
      gateTitle: "Gate scanning",
      scanStart: "Scan with camera",
      scanStop: "Stop camera",
      gateHint: "To check in offline, pick today's sessions and keep them on this device.",
      gateKeep: "Keep picked sessions",
      scanLog: "Scan log",
      gateOnline: "Online",
      gateOffline: "Offline: judged on this device, sent later",
      gateKept: "{n} session(s) of {date} kept",
      gateNotKept: "No sessions kept",
      gateQueued: "{n} check-in(s) to send",
      vIn: "In",
      vParty: "{n} people",
      vAlready: "Already in at {time}",
      vCancelled: "Cancelled",
      vWrongSession: "Wrong session",
      vWrongDay: "Wrong day",
      vForged: "Forged or invalid ticket",
      vUnreadable: "Unreadable code",
      vUnknown: "Unknown code",
      vRefused: "Not admitted",
      vNoList: "Offline: no attendee list kept",
      vQueued: "recorded offline, sent when online",
      vSynced: "Sent",
      vConflict: "{code}: checked in first on another device ({device}) at {time}",
      vNoCamera: "The camera is not available. Type the code.",
      'col.action': 'Action',
      docTitle: 'Staff board · Jamsugyo Bridge Festival',
      title: 'Staff board',
      logout: 'Forget key',
      keyTitle: 'Enter the staff key',
      keyHint: 'The key is kept in this tab only and forgotten when the tab closes.',
      key: 'Staff key',
      enter: 'Enter',
      wrongKey: 'That staff key is not valid. Please enter it again.',
      board: 'Sessions',
      legendIn: 'Checked in',
      legendRes: 'Reserved (not in yet)',
      legendWait: 'Waitlist',
      updated: 'updated {time}',
      'total.capacity': 'Capacity',
      'total.reserved': 'Reserved',
      'total.checkedIn': 'Checked in',
      'total.remaining': 'Remaining',
      'total.waitlisted': 'Waitlisted',
      nums: 'reserved {reserved}/{capacity} · in {checkedIn} · waitlist {waitlisted} · left {remaining}',
      'session.scheduled': 'not open yet',
      'session.open': 'open',
      'session.full': 'full',
      'session.closed': 'closed',
      noSessions: 'No sessions on this day.',
      checkInTitle: 'Check in by code',
      code: 'Reservation code',
      checkIn: 'Check in',
      checkedIn: 'Checked in: {name} · party of {n} · {program} {time}',
      alreadyIn: 'Already checked in ({time}).',
      codeNotFound: 'No reservation has this code.',
      needCode: 'Enter a reservation code.',
      attendees: 'Attendees',
      attendeesOf: 'Attendees · {time} {title}',
      pickSession: 'Pick a session on the board.',
      noAttendees: 'No reservations yet.',
      csv: 'Download CSV',
      csvDone: 'CSV downloaded.',
      'col.code': 'Code',
      'col.name': 'Name',
      'col.phone': 'Phone',
      'col.party': 'Party',
      'col.status': 'Status',
      'col.created': 'Booked',
      'col.time': 'Time',
      'col.kind': 'Kind',
      'col.to': 'To',
      'col.attempts': 'Tries',
      'col.error': 'Error',
      'status.confirmed': 'Confirmed',
      'status.waitlisted': 'Waitlist {n}',
      'status.checked-in': 'Checked in',
      'status.cancelled': 'Cancelled',
      'status.no-show': 'No-show',
      'status.entered': 'Entered',
      'status.not-selected': 'Not selected',
      'kind.entered': 'Lottery entry',
      'kind.won': 'Lottery won',
      'kind.not-selected': 'Not selected',
      lotteryRow: 'lottery, {entries} entered · {status}',
      'lottery.scheduled': 'entries not open',
      'lottery.open': 'taking entries',
      'lottery.closed': 'entries closed, not drawn',
      'lottery.drawn': 'drawn',
      lotteryInfo: 'Lottery: {entries} entries · {status} · draw {draw}',
      draw: 'Draw now',
      drawn: 'Drawn: {confirmed} parties seated and {waitlisted} waitlisted of {entries} entries. Seed hash {hash}',
      'kind.confirmed': 'Confirmed',
      'kind.waitlisted': 'Waitlisted',
      'kind.promoted': 'Promoted',
      'kind.cancelled': 'Cancelled',
      'kind.reminder': 'Reminder',
      smsTitle: 'Failed text messages',
      refresh: 'Refresh',
      noFailedSms: 'No failed text messages.',
      retry: 'Retry',
      retried: 'Retry requested.',
      erasureTitle: 'Personal data erasure runs',
      noErasureRuns: 'No erasure runs yet.',
      'col.cutoff': 'Sessions ended before',
      'col.sessions': 'Sessions',
      'col.rows': 'Rows erased',
    },
    zh: {
      // Gate scanning (issue 19): written without a native speaker, for native review.
      gateTitle: "入口扫描",
      scanStart: "用相机扫描",
      scanStop: "关闭相机",
      gateHint: "如需离线办理入场，请选择今天的场次并保存在本设备。",
      gateKeep: "保存所选场次",
      scanLog: "扫描记录",
      gateOnline: "在线",
      gateOffline: "离线：在本设备判定，稍后发送",
      gateKept: "已保存 {date} 的 {n} 个场次",
      gateNotKept: "未保存场次",
      gateQueued: "待发送入场 {n} 条",
      vIn: "入场",
      vParty: "{n}人",
      vAlready: "已于 {time} 入场",
      vCancelled: "预约已取消",
      vWrongSession: "场次不符",
      vWrongDay: "日期不符",
      vForged: "伪造或无效的入场券",
      vUnreadable: "无法识别的编码",
      vUnknown: "没有该预约号码",
      vRefused: "不能入场",
      vNoList: "离线：没有保存名单",
      vQueued: "已离线记录，联网后发送",
      vSynced: "已发送",
      vConflict: "{code}：另一台设备（{device}）已于 {time} 先办理入场",
      vNoCamera: "无法使用相机，请输入编号。",
      'col.action': '操作',
      docTitle: '工作人员看板 · 潜水桥漫步节',
      title: '工作人员看板',
      logout: '清除密钥',
      keyTitle: '请输入工作人员密钥',
      keyHint: '密钥只保存在此标签页中，关闭标签页后即清除。',
      key: '工作人员密钥',
      enter: '进入',
      wrongKey: '工作人员密钥无效。请重新输入。',
      board: '各场次情况',
      legendIn: '已入场',
      legendRes: '已预约（未入场）',
      legendWait: '候补',
      updated: '{time} 更新',
      'total.capacity': '名额',
      'total.reserved': '已预约',
      'total.checkedIn': '已入场',
      'total.remaining': '剩余',
      'total.waitlisted': '候补',
      nums: '预约 {reserved}/{capacity} · 入场 {checkedIn} · 候补 {waitlisted} · 剩余 {remaining}',
      'session.scheduled': '未开放',
      'session.open': '预约中',
      'session.full': '已满',
      'session.closed': '已截止',
      noSessions: '这一天没有场次。',
      checkInTitle: '按编号办理入场',
      code: '预约编号',
      checkIn: '入场',
      checkedIn: '已入场：{name} · {n}人 · {program} {time}',
      alreadyIn: '此预约已办理入场（{time}）。',
      codeNotFound: '没有此编号的预约。',
      needCode: '请输入预约编号。',
      attendees: '预约名单',
      attendeesOf: '预约名单 · {time} {title}',
      pickSession: '请在看板上选择场次。',
      noAttendees: '还没有预约。',
      csv: '下载 CSV',
      csvDone: 'CSV 已下载。',
      'col.code': '编号',
      'col.name': '姓名',
      'col.phone': '手机',
      'col.party': '人数',
      'col.status': '状态',
      'col.created': '预约时间',
      'col.time': '时间',
      'col.kind': '类型',
      'col.to': '收件人',
      'col.attempts': '尝试',
      'col.error': '错误',
      'status.confirmed': '已确认',
      'status.waitlisted': '候补 {n}',
      'status.checked-in': '已入场',
      'status.cancelled': '已取消',
      'status.no-show': '未到场',
      // The lottery strings below need a native speaker's review (zh).
      'status.entered': '已报名',
      'status.not-selected': '未中签',
      'kind.entered': '抽签报名',
      'kind.won': '中签',
      'kind.not-selected': '未中签',
      lotteryRow: '抽签 {entries}人报名 · {status}',
      'lottery.scheduled': '未开始报名',
      'lottery.open': '报名中',
      'lottery.closed': '报名截止 · 未抽签',
      'lottery.drawn': '已抽签',
      lotteryInfo: '抽签场次：{entries}人报名 · {status} · 抽签 {draw}',
      draw: '立即抽签',
      drawn: '抽签完成：{entries}人报名，{confirmed}组中签，{waitlisted}组候补。种子哈希 {hash}',
      'kind.confirmed': '预约成功',
      'kind.waitlisted': '登记候补',
      'kind.promoted': '候补转正',
      'kind.cancelled': '取消',
      'kind.reminder': '当日提醒',
      smsTitle: '发送失败的短信',
      refresh: '刷新',
      noFailedSms: '没有发送失败的短信。',
      retry: '重新发送',
      retried: '已请求重新发送。',
      // Erasure strings: machine-made, for native review.
      erasureTitle: '个人信息删除记录',
      noErasureRuns: '尚无删除记录。',
      'col.cutoff': '在此之前结束的场次',
      'col.sessions': '场次数',
      'col.rows': '删除的行数',
    },
    ja: {
      // Gate scanning (issue 19): written without a native speaker, for native review.
      gateTitle: "入口スキャン",
      scanStart: "カメラでスキャン",
      scanStop: "カメラを止める",
      gateHint: "オフラインでも入場処理するには、今日の回を選んでこの端末に保存してください。",
      gateKeep: "選んだ回を保存",
      scanLog: "スキャン記録",
      gateOnline: "オンライン",
      gateOffline: "オフライン：この端末で判定し、後で送信",
      gateKept: "{date} の {n} 回を保存済み",
      gateNotKept: "保存した回なし",
      gateQueued: "送信待ちの入場 {n} 件",
      vIn: "入場",
      vParty: "{n}名",
      vAlready: "{time} に入場済み",
      vCancelled: "キャンセル済み",
      vWrongSession: "別の回",
      vWrongDay: "別の日",
      vForged: "偽造・無効の入場券",
      vUnreadable: "読み取れないコード",
      vUnknown: "存在しない予約番号",
      vRefused: "入場不可",
      vNoList: "オフライン：保存したリストがありません",
      vQueued: "オフラインで記録、接続後に送信",
      vSynced: "送信済み",
      vConflict: "{code}：別の端末（{device}）で {time} に先に入場",
      vNoCamera: "カメラを使えません。番号を入力してください。",
      'col.action': '操作',
      docTitle: 'スタッフボード · 潜水橋てくてくフェスティバル',
      title: 'スタッフボード',
      logout: 'キーを消去',
      keyTitle: 'スタッフキーを入力してください',
      keyHint: 'キーはこのタブにのみ保存され、タブを閉じると消去されます。',
      key: 'スタッフキー',
      enter: '入る',
      wrongKey: 'スタッフキーが正しくありません。もう一度入力してください。',
      board: '回ごとの状況',
      legendIn: '入場済み',
      legendRes: '予約済み（未入場）',
      legendWait: 'キャンセル待ち',
      updated: '{time} 更新',
      'total.capacity': '定員',
      'total.reserved': '予約',
      'total.checkedIn': '入場',
      'total.remaining': '残り',
      'total.waitlisted': 'キャンセル待ち',
      nums: '予約 {reserved}/{capacity} · 入場 {checkedIn} · 待ち {waitlisted} · 残り {remaining}',
      'session.scheduled': '受付前',
      'session.open': '受付中',
      'session.full': '満席',
      'session.closed': '締切',
      noSessions: 'この日の回はありません。',
      checkInTitle: '番号で入場処理',
      code: '予約番号',
      checkIn: '入場',
      checkedIn: '入場済み：{name} · {n}名 · {program} {time}',
      alreadyIn: 'すでに入場処理済みです（{time}）。',
      codeNotFound: 'この番号の予約はありません。',
      needCode: '予約番号を入力してください。',
      attendees: '予約者リスト',
      attendeesOf: '予約者リスト · {time} {title}',
      pickSession: 'ボードで回を選んでください。',
      noAttendees: 'まだ予約はありません。',
      csv: 'CSVをダウンロード',
      csvDone: 'CSVをダウンロードしました。',
      'col.code': '番号',
      'col.name': 'お名前',
      'col.phone': '電話',
      'col.party': '人数',
      'col.status': '状態',
      'col.created': '予約日時',
      'col.time': '時刻',
      'col.kind': '種類',
      'col.to': '宛先',
      'col.attempts': '試行',
      'col.error': 'エラー',
      'status.confirmed': '確定',
      'status.waitlisted': '待ち {n}',
      'status.checked-in': '入場済み',
      'status.cancelled': 'キャンセル',
      'status.no-show': '未入場',
      // The lottery strings below need a native speaker's review (ja).
      'status.entered': '応募',
      'status.not-selected': '落選',
      'kind.entered': '抽選応募',
      'kind.won': '当選',
      'kind.not-selected': '落選',
      lotteryRow: '抽選 {entries}名応募 · {status}',
      'lottery.scheduled': '受付前',
      'lottery.open': '受付中',
      'lottery.closed': '受付終了 · 抽選前',
      'lottery.drawn': '抽選済み',
      lotteryInfo: '抽選の回：応募 {entries}名 · {status} · 抽選 {draw}',
      draw: '今すぐ抽選',
      drawn: '抽選完了：応募 {entries}名のうち {confirmed}組当選、{waitlisted}組キャンセル待ち。シードのハッシュ {hash}',
      'kind.confirmed': '予約確定',
      'kind.waitlisted': 'キャンセル待ち登録',
      'kind.promoted': '待ち→確定',
      'kind.cancelled': 'キャンセル',
      'kind.reminder': '当日案内',
      smsTitle: '送信に失敗したSMS',
      refresh: '更新',
      noFailedSms: '送信に失敗したSMSはありません。',
      retry: '再送信',
      retried: '再送信を依頼しました。',
      // Erasure strings: machine-made, for native review.
      erasureTitle: '個人情報の消去記録',
      noErasureRuns: 'まだ消去記録はありません。',
      'col.cutoff': 'この時刻より前に終わった回',
      'col.sessions': '回数',
      'col.rows': '消去した行数',
    },
  });

  const state = {
    festival: null,
    date: null,
    board: null,
    boardJson: '',
    selected: null,
    attendees: null,
    attendeesJson: '',
    sms: null,
    smsJson: '',
    erasure: null,
    ticks: 0,
    updatedAt: null,
    timer: null,
  };

  const message = $('message');
  const say = (text, kind) => FR.showMessage(message, text, kind);

  const storedKey = () => { try { return sessionStorage.getItem(KEY); } catch { return null; } };
  const storeKey = (key) => { try { if (key) sessionStorage.setItem(KEY, key); else sessionStorage.removeItem(KEY); } catch { /* tab only */ } };
  let key = storedKey();

  // A staff call with the key; a 401 forgets the key and asks for it again.
  async function staff(method, path, options = {}) {
    const result = await FR.api(method, path, { ...options, headers: { ...(options.headers ?? {}), 'x-functions-key': key ?? '' } });
    if (result.status === 401) {
      askForKey(t('wrongKey'));
    }
    return result;
  }

  function localized(value) {
    return typeof value === 'string' ? value : FR.text(value);
  }

  // ---- key ---------------------------------------------------------------------------------

  function askForKey(reason) {
    key = null;
    storeKey(null);
    $('board-view').hidden = true;
    $('logout').hidden = true;
    $('login').hidden = false;
    say(reason ?? null);
    $('key').value = '';
    $('key').focus();
  }

  async function submitKey(event) {
    event.preventDefault();
    const typed = $('key').value.trim();
    if (!typed) return;
    $('key-submit').disabled = true;
    key = typed;
    const ok = await enterBoard();
    $('key-submit').disabled = false;
    if (ok) storeKey(typed);
  }

  async function enterBoard() {
    if (!state.date) state.date = await defaultDate();
    if (!state.date) return false;
    const ok = await loadBoard();
    if (!ok) return false;
    say(null);
    $('login').hidden = true;
    $('board-view').hidden = false;
    $('logout').hidden = false;
    renderDates();
    loadSms();
    loadErasure();
    startGate();
    return true;
  }

  // ---- date --------------------------------------------------------------------------------

  // Today (festival time) when it is a festival day; otherwise the first day that is not over.
  async function defaultDate() {
    const dates = state.festival.dates;
    const today = FR.todayIn(state.festival.timeZone);
    if (dates.includes(today)) return today;
    for (const date of dates) {
      const result = await staff('GET', `/api/staff/capacity?date=${date}`);
      if (!result.ok) {
        if (result.status !== 401) say(FR.problemText(result));
        return null;
      }
      if (result.data.sessions.some((s) => s.status !== 'closed')) return date;
    }
    return dates[dates.length - 1];
  }

  function renderDates() {
    $('dates').replaceChildren(...(state.festival?.dates ?? []).map((date) => h('button', {
      type: 'button',
      class: 'chip',
      'aria-pressed': String(date === state.date),
      dataset: { date },
      onclick: () => selectDate(date),
    }, FR.dateLabel(date, 'short'))));
  }

  async function selectDate(date) {
    state.date = date;
    state.selected = null;
    state.attendees = null;
    state.boardJson = '';
    renderDates();
    renderAttendees();
    await loadBoard();
  }

  // ---- board -------------------------------------------------------------------------------

  async function loadBoard() {
    const date = state.date;
    const result = await staff('GET', `/api/staff/capacity?date=${encodeURIComponent(date)}`);
    if (date !== state.date) return false;
    if (!result.ok) {
      if (result.status !== 401) say(FR.problemText(result));
      return false;
    }
    state.updatedAt = new Date();
    const json = JSON.stringify(result.data);
    if (json !== state.boardJson) {
      state.boardJson = json;
      state.board = result.data;
      renderBoard();
    }
    renderUpdated();
    return true;
  }

  function renderUpdated() {
    if (!state.updatedAt) return;
    const time = new Intl.DateTimeFormat(FR.locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(state.updatedAt);
    $('updated').textContent = t('updated', { time });
  }

  const pct = (part, whole) => `${whole > 0 ? Math.max(0, Math.min(100, (part / whole) * 100)) : 0}%`;

  function renderBoard() {
    const board = state.board;
    if (!board) return;
    const totals = board.totals ?? {};
    $('totals').replaceChildren(...['capacity', 'reserved', 'checkedIn', 'remaining', 'waitlisted'].map((name) =>
      h('div', { class: 'total', dataset: { total: name } }, h('b', { text: totals[name] ?? 0 }), h('span', { text: t(`total.${name}`) }))));

    const sessions = [...board.sessions].sort((a, b) => a.start.localeCompare(b.start) || localized(a.title).localeCompare(localized(b.title)));
    if (!sessions.length) {
      $('board').replaceChildren(h('p', { class: 'hint', text: t('noSessions') }));
      return;
    }
    $('board').replaceChildren(...sessions.map((s) => {
      const checkedIn = s.checkedIn ?? 0;
      const inBar = h('i', { class: 'in' });
      const resBar = h('i', { class: 'res' });
      inBar.style.width = pct(checkedIn, s.capacity);
      resBar.style.width = pct(s.reserved - checkedIn, s.capacity);
      const waitBar = h('i', { class: 'wait' });
      waitBar.style.width = pct(s.waitlisted, s.capacity);
      return h('button', {
        type: 'button',
        class: `row ${s.status}`,
        'aria-pressed': String(s.sessionId === state.selected),
        dataset: { sessionId: s.sessionId, reserved: s.reserved, checkedIn, waitlisted: s.waitlisted, capacity: s.capacity, lottery: s.lottery?.status ?? '' },
        onclick: () => selectSession(s.sessionId),
      },
      h('span', { class: 'time', text: FR.hhmm(s.start) }),
      h('span', { class: 'title', text: `${localized(s.title)} · ${s.lottery ? t('lotteryRow', { entries: s.lottery.entries, status: t(`lottery.${s.lottery.status}`) }) : t(`session.${s.status}`)}` }),
      h('span', { class: 'bar' }, inBar, resBar),
      s.waitlisted > 0 && h('span', { class: 'bar thin' }, waitBar),
      h('span', { class: 'nums', text: t('nums', { ...s, checkedIn }) }));
    }));
  }

  // ---- attendees ---------------------------------------------------------------------------

  function selectedSession() {
    return state.board?.sessions.find((s) => s.sessionId === state.selected) ?? null;
  }

  async function selectSession(sessionId) {
    state.selected = sessionId;
    state.attendees = null;
    state.attendeesJson = '';
    for (const row of $('board').querySelectorAll('.row')) row.setAttribute('aria-pressed', String(row.dataset.sessionId === sessionId));
    renderAttendees();
    await loadAttendees();
  }

  async function loadAttendees() {
    const sessionId = state.selected;
    if (!sessionId) return;
    const result = await staff('GET', `/api/staff/sessions/${encodeURIComponent(sessionId)}/reservations`);
    if (sessionId !== state.selected) return;
    if (!result.ok) {
      if (result.status !== 401) say(FR.problemText(result));
      return;
    }
    const json = JSON.stringify(result.data);
    if (json === state.attendeesJson) return;
    state.attendeesJson = json;
    state.attendees = result.data;
    renderAttendees();
  }

  // A lottery session: its entries, where it stands, and the draw (staff may draw once entries have closed).
  function renderLottery(session) {
    const lottery = session?.lottery;
    $('lottery-box').hidden = !lottery;
    if (!lottery) return;
    $('lottery-info').textContent = t('lotteryInfo', {
      entries: lottery.entries,
      status: t(`lottery.${lottery.status}`),
      draw: `${FR.dateLabel(lottery.drawAt.slice(0, 10), 'short')} ${FR.hhmm(lottery.drawAt)}`,
    });
    $('draw').hidden = lottery.status === 'drawn';
    $('draw').disabled = lottery.status !== 'closed';
  }

  async function draw() {
    const sessionId = state.selected;
    if (!sessionId) return;
    $('draw').disabled = true;
    const result = await staff('POST', `/api/staff/sessions/${encodeURIComponent(sessionId)}/draw`);
    if (result.ok) {
      const r = result.data;
      say(t('drawn', { entries: r.entries, confirmed: r.confirmed, waitlisted: r.waitlisted, hash: r.seedHash.slice(0, 12) }), 'ok');
    } else if (result.status !== 401) {
      say(FR.problemText(result));
    }
    state.attendeesJson = '';
    await Promise.all([loadBoard(), loadAttendees()]);
    renderLottery(selectedSession());
  }

  function renderAttendees() {
    const session = selectedSession();
    renderLottery(session);
    $('csv').disabled = !state.selected;
    $('attendees-title').textContent = session ? t('attendeesOf', { time: FR.hhmm(session.start), title: localized(session.title) }) : t('attendees');
    const table = $('attendees');
    const list = state.attendees;
    $('attendees-hint').textContent = !state.selected ? t('pickSession') : list && !list.length ? t('noAttendees') : '';
    $('attendees-hint').hidden = !!(list && list.length);
    if (!list || !list.length) {
      table.replaceChildren();
      return;
    }
    table.replaceChildren(
      h('thead', null, h('tr', null, ['code', 'name', 'phone', 'party', 'status', 'created'].map((c) => h('th', { text: t(`col.${c}`) })), h('th', null, h('span', { class: 'sr-only', text: t('col.action') })))),
      h('tbody', null, list.map((r) => h('tr', { dataset: { code: r.code, status: r.status } },
        h('td', { class: 'mono', text: r.code }),
        h('td', { text: r.name }),
        h('td', { class: 'mono', text: r.phoneMasked }),
        h('td', { text: r.partySize }),
        h('td', { text: r.status === 'checked-in' && r.checkedInAt ? `${t('status.checked-in')} ${FR.instant(r.checkedInAt)}` : t(`status.${r.status}`, { n: r.waitlistPosition ?? '' }) }),
        h('td', { text: FR.instant(r.createdAt) }),
        h('td', null, r.status === 'confirmed' && h('button', {
          type: 'button',
          class: 'small-button check-in',
          dataset: { code: r.code },
          onclick: (e) => checkIn(r.code, e.currentTarget),
        }, t('checkIn')))))));
  }

  async function downloadCsv() {
    const sessionId = state.selected;
    if (!sessionId) return;
    $('csv').disabled = true;
    const result = await staff('GET', `/api/staff/sessions/${encodeURIComponent(sessionId)}/reservations`, { accept: 'text/csv', blob: true });
    $('csv').disabled = false;
    if (!result.ok) {
      if (result.status !== 401) say(FR.problemText(result));
      return;
    }
    const url = URL.createObjectURL(result.data);
    const link = h('a', { href: url, download: `${sessionId}.csv`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    say(t('csvDone'), 'ok');
  }

  // ---- check-in ----------------------------------------------------------------------------

  function normalizeCode(text) {
    return text.toUpperCase().replace(/[^0-9A-Z-]/g, '');
  }

  async function checkIn(code, button) {
    const box = $('checkin-result');
    if (button) button.disabled = true;
    const result = await staff('POST', `/api/staff/reservations/${encodeURIComponent(code)}/check-in`);
    if (result.status === 401) return false;
    if (result.ok) {
      const r = result.data;
      FR.showMessage(box, t('checkedIn', { name: r.name, n: r.partySize, program: FR.text(r.programTitle), time: FR.hhmm(r.start) }), 'ok');
    } else if (result.problem.code === 'already-checked-in') {
      FR.showMessage(box, t('alreadyIn', { time: FR.instant(result.problem.checkedInAt) || '?' }), 'error');
    } else {
      FR.showMessage(box, FR.problemText(result, { 'not-found': { en: FR.t('codeNotFound') } }), 'error');
      if (button) button.disabled = false;
    }
    await Promise.all([loadBoard(), loadAttendees()]);
    return result.ok;
  }

  async function submitCheckIn(event) {
    event.preventDefault();
    const input = $('checkin-code');
    // A ticket (typed, pasted, or a scanner's link), or anything while offline, goes to the gate.
    if (input.value.trim() && (FRGate.isTicket(input.value) || !FRGate.online)) {
      await FRGate.scan(input.value);
      input.value = '';
      input.focus();
      return;
    }
    const code = normalizeCode(input.value);
    if (!code) {
      FR.showMessage($('checkin-result'), t('needCode'), 'error');
      return;
    }
    $('checkin-submit').disabled = true;
    const ok = await checkIn(code);
    $('checkin-submit').disabled = false;
    if (ok) input.value = '';
    input.focus();
  }

  // ---- failed SMS --------------------------------------------------------------------------

  async function loadSms() {
    const result = await staff('GET', '/api/staff/sms?status=failed');
    if (!result.ok) {
      if (result.status !== 401) $('sms-hint').textContent = FR.problemText(result);
      return;
    }
    const json = JSON.stringify(result.data);
    if (json === state.smsJson) return;
    state.smsJson = json;
    state.sms = result.data;
    renderSms();
  }

  function renderSms() {
    const list = state.sms ?? [];
    $('sms-hint').textContent = list.length ? '' : t('noFailedSms');
    if (!list.length) {
      $('sms').replaceChildren();
      return;
    }
    $('sms').replaceChildren(
      h('thead', null, h('tr', null, ['time', 'code', 'kind', 'to', 'attempts', 'error'].map((c) => h('th', { text: t(`col.${c}`) })), h('th', null, h('span', { class: 'sr-only', text: t('col.action') })))),
      h('tbody', null, list.map((m) => h('tr', { dataset: { messageId: m.messageId } },
        h('td', { text: FR.instant(m.updatedAt) }),
        h('td', { class: 'mono', text: m.reservationCode }),
        h('td', { text: t(`kind.${m.kind}`) }),
        h('td', { class: 'mono', text: m.to }),
        h('td', { text: m.attempts }),
        h('td', { text: m.lastError ?? '' }),
        h('td', null, h('button', { type: 'button', class: 'small-button', onclick: (e) => retrySms(m.messageId, e.currentTarget) }, t('retry')))))));
  }

  async function retrySms(messageId, button) {
    button.disabled = true;
    const result = await staff('POST', `/api/staff/sms/${encodeURIComponent(messageId)}/retry`);
    if (result.ok) say(t('retried'), 'ok');
    else if (result.status !== 401) {
      say(FR.problemText(result));
      button.disabled = false;
    }
    state.smsJson = '';
    await loadSms();
  }

  // ---- erasure runs (numbers only: what each nightly erasure of personal data did) -------------

  async function loadErasure() {
    const result = await staff('GET', '/api/staff/erasure-runs?limit=10');
    if (!result.ok) {
      if (result.status !== 401) $('erasure-hint').textContent = FR.problemText(result);
      return;
    }
    state.erasure = result.data;
    renderErasure();
  }

  function renderErasure() {
    const list = state.erasure ?? [];
    $('erasure-hint').textContent = list.length ? '' : t('noErasureRuns');
    if (!list.length) {
      $('erasure').replaceChildren();
      return;
    }
    $('erasure').replaceChildren(
      h('thead', null, h('tr', null, ['time', 'cutoff', 'sessions', 'rows'].map((c) => h('th', { text: t(`col.${c}`) })))),
      h('tbody', null, list.map((r) => h('tr', { dataset: { runId: r.runId } },
        h('td', { text: FR.instant(r.startedAt) }),
        h('td', { text: FR.instant(r.cutoff) }),
        h('td', { text: r.sessions }),
        h('td', { text: r.rowsErased })))));
  }

  // ---- start -------------------------------------------------------------------------------

  async function tick() {
    if (!key || $('board-view').hidden) return;
    state.ticks += 1;
    await FRGate.tick();
    if (!state.festival && FRGate.online) {
      // Started offline: the festival (and so the date chips) once the network is back.
      const festival = await FR.api('GET', '/api/festival');
      if (festival.ok) {
        state.festival = festival.data;
        renderDates();
      }
    }
    await loadBoard();
    if (state.selected) await loadAttendees();
    if (state.ticks % 3 === 0) await loadSms();
  }

  function renderAll() {
    if (state.festival) $('venue').textContent = FR.text(state.festival.name);
    renderDates();
    renderBoard();
    renderUpdated();
    renderAttendees();
    renderSms();
    renderErasure();
  }

  async function load() {
    const festival = await FR.api('GET', '/api/festival');
    if (festival.ok) {
      state.festival = festival.data;
      $('venue').textContent = FR.text(state.festival.name);
      if (key) await enterBoard();
      else askForKey();
    } else if (festival.network && key && await FRGate.hasKept()) {
      // Reloaded without a network (the service worker served the page): the gate works from what it kept.
      await enterOffline();
    } else {
      say(FR.problemText(festival));
      setTimeout(load, 5000);
      return;
    }
    document.body.dataset.ready = 'true';
    FR.every(BOARD_MS, tick);
  }

  async function enterOffline() {
    state.date = await FRGate.keptDate();
    $('login').hidden = true;
    $('board-view').hidden = false;
    $('logout').hidden = false;
    say(FR.problemText({ problem: { code: 'network' } }));
    await startGate();
  }

  function startGate() {
    return FRGate.init({ staff, onChange: () => Promise.all([loadBoard(), state.selected ? loadAttendees() : null]) });
  }

  function start() {
    // The service worker keeps this page and its assets for a tablet that loses the network.
    navigator.serviceWorker?.register('/staff-sw.js').catch(() => { /* online only */ });
    FR.applyI18n();
    FR.renderLanguages();
    FR.onLang(renderAll);
    $('logout').addEventListener('click', () => askForKey());
    $('key-form').addEventListener('submit', submitKey);
    $('checkin-form').addEventListener('submit', submitCheckIn);
    $('csv').addEventListener('click', downloadCsv);
    $('draw').addEventListener('click', draw);
    $('sms-refresh').addEventListener('click', () => { state.smsJson = ''; loadSms(); });
    $('erasure-refresh').addEventListener('click', loadErasure);
    load();
  }

  start();
})();
