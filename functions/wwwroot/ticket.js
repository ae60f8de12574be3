// The ticket page (/t/{ticket}): what a visitor shows at the gate. The ticket in the path is the
// credential: the page shows the reservation, its QR code (drawn by the server, QRCoder), and lets
// the visitor cancel or turn the reminder SMS off without typing the phone. No phone digits shown.
'use strict';

(() => {
  const { h, t } = FR;
  const $ = (id) => document.getElementById(id);
  const ticket = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() ?? '');
  let reservation = null;

  // zh and ja: written without a native speaker, for native review (as the visitor page's).
  FR.addStrings({
    ko: {
      docTitle: '입장권 · 잠수교 뚜벅뚜벅 축제', festival: '차 없는 잠수교 뚜벅뚜벅 축제', loading: '불러오는 중…',
      qrHint: '입구에서 이 QR 코드를 보여 주세요.', qrAlt: '입장 QR 코드 (예약번호 {code})', code: '예약번호',
      party: '{n}명', position: '대기 {n}번째', reminders: '당일 아침 알림 문자 받기',
      remindersOn: '알림 문자를 받습니다.', remindersOff: '알림 문자를 보내지 않습니다.',
      cancel: '예약 취소', cancelAsk: '정말 취소할까요? 취소하면 되돌릴 수 없습니다.', cancelYes: '네, 취소합니다', cancelNo: '아니요',
      cancelled: '예약이 취소되었습니다.',
      'status.confirmed': '예약 확정', 'status.waitlisted': '대기 중', 'status.checked-in': '입장 완료', 'status.cancelled': '취소됨',
      'status.no-show': '불참', 'status.entered': '추첨 응모', 'status.not-selected': '미당첨',
      notFoundTitle: '입장권을 찾을 수 없습니다', notFound: '링크가 잘렸거나 올바르지 않습니다. 문자로 받은 링크를 그대로 열어 주세요.',
      home: '예약 페이지로',
    },
    en: {
      docTitle: 'Ticket · Jamsugyo Bridge Festival', festival: 'Car-Free Jamsugyo Bridge Festival', loading: 'Loading…',
      qrHint: 'Show this QR code at the entrance.', qrAlt: 'Entry QR code (code {code})', code: 'Code',
      party: '{n} people', position: 'Number {n} on the waitlist', reminders: 'Text me a reminder on the morning',
      remindersOn: 'You will get the reminder.', remindersOff: 'No reminder will be sent.',
      cancel: 'Cancel booking', cancelAsk: 'Cancel this booking? This cannot be undone.', cancelYes: 'Yes, cancel', cancelNo: 'No',
      cancelled: 'The booking is cancelled.',
      'status.confirmed': 'Confirmed', 'status.waitlisted': 'Waitlisted', 'status.checked-in': 'Checked in', 'status.cancelled': 'Cancelled',
      'status.no-show': 'No-show', 'status.entered': 'Lottery entry', 'status.not-selected': 'Not selected',
      notFoundTitle: 'Ticket not found', notFound: 'The link is cut off or not valid. Open the link from your text message as it is.',
      home: 'To the booking page',
    },
    zh: {
      docTitle: '入场券 · 潜水桥漫步节', festival: '无车潜水桥漫步节', loading: '加载中…',
      qrHint: '请在入口出示此二维码。', qrAlt: '入场二维码（预约号码 {code}）', code: '预约号码',
      party: '{n}人', position: '候补第{n}位', reminders: '当天早上接收提醒短信',
      remindersOn: '将发送提醒短信。', remindersOff: '不会发送提醒短信。',
      cancel: '取消预约', cancelAsk: '确定要取消吗？取消后无法恢复。', cancelYes: '是，取消', cancelNo: '否',
      cancelled: '预约已取消。',
      'status.confirmed': '已确认', 'status.waitlisted': '候补中', 'status.checked-in': '已入场', 'status.cancelled': '已取消',
      'status.no-show': '未到场', 'status.entered': '已参加抽签', 'status.not-selected': '未中签',
      notFoundTitle: '找不到入场券', notFound: '链接不完整或无效。请直接打开短信中的链接。',
      home: '前往预约页面',
    },
    ja: {
      docTitle: '入場券 · チャムスギョ てくてくフェスティバル', festival: '車のないチャムスギョ てくてくフェスティバル', loading: '読み込み中…',
      qrHint: '入口でこのQRコードを見せてください。', qrAlt: '入場QRコード（予約番号 {code}）', code: '予約番号',
      party: '{n}名', position: 'キャンセル待ち{n}番目', reminders: '当日の朝にお知らせSMSを受け取る',
      remindersOn: 'お知らせSMSを送ります。', remindersOff: 'お知らせSMSは送りません。',
      cancel: '予約をキャンセル', cancelAsk: '本当にキャンセルしますか？元に戻せません。', cancelYes: 'はい、キャンセルします', cancelNo: 'いいえ',
      cancelled: '予約をキャンセルしました。',
      'status.confirmed': '予約確定', 'status.waitlisted': 'キャンセル待ち', 'status.checked-in': '入場済み', 'status.cancelled': 'キャンセル済み',
      'status.no-show': '不参加', 'status.entered': '抽選応募中', 'status.not-selected': '落選',
      notFoundTitle: '入場券が見つかりません', notFound: 'リンクが途切れているか、正しくありません。SMSのリンクをそのまま開いてください。',
      home: '予約ページへ',
    },
  });

  const path = (suffix = '') => `/api/tickets/${encodeURIComponent(ticket)}${suffix}`;

  function render() {
    document.title = t('docTitle');
    if (!reservation) return;
    const r = reservation;
    $('program').textContent = FR.text(r.programTitle);
    $('when').textContent = r.start ? `${FR.dateLabel(r.start.slice(0, 10))} ${FR.hhmm(r.start)}` : '';
    $('party').textContent = t('party', { n: r.partySize });
    const status = $('status');
    status.textContent = t(`status.${r.status}`);
    status.className = `badge ${r.status}`;
    status.dataset.status = r.status;
    $('position').textContent = r.waitlistPosition ? t('position', { n: r.waitlistPosition }) : '';
    $('code').textContent = r.code;
    const live = r.status !== 'cancelled' && r.status !== 'no-show';
    const qr = $('qr');
    qr.closest('figure').hidden = !live;
    if (live && !qr.getAttribute('src')) qr.src = path('/qr');
    qr.alt = t('qrAlt', { code: r.code });
    $('reminders').checked = !r.remindersOff;
    $('reminder-box').hidden = !live || r.status === 'checked-in';
    $('cancel-box').hidden = !(r.status === 'confirmed' || r.status === 'waitlisted' || r.status === 'entered');
  }

  async function load() {
    const result = await FR.api('GET', path());
    $('loading').hidden = true;
    if (result.ok) {
      reservation = result.data;
      $('ticket-view').hidden = false;
      render();
    } else if (result.status === 404) {
      $('not-found').hidden = false;
      $('not-found-title').focus();
    } else {
      FR.showMessage($('message'), FR.problemText(result));
    }
    document.body.dataset.ready = 'true';
  }

  $('cancel').addEventListener('click', () => {
    $('cancel').hidden = true;
    $('cancel-ask').hidden = false;
    $('cancel-yes').focus();
  });
  $('cancel-no').addEventListener('click', () => {
    $('cancel-ask').hidden = true;
    $('cancel').hidden = false;
    $('cancel').focus();
  });
  $('cancel-yes').addEventListener('click', async () => {
    $('cancel-yes').disabled = true;
    const result = await FR.api('POST', path('/cancel'));
    $('cancel-yes').disabled = false;
    $('cancel-ask').hidden = true;
    $('cancel').hidden = false;
    if (result.ok) {
      reservation = result.data;
      render();
      FR.showMessage($('message'), t('cancelled'), 'ok');
      $('program').focus();
    } else {
      FR.showMessage($('message'), FR.problemText(result));
    }
  });
  $('reminders').addEventListener('change', async (event) => {
    const enabled = event.target.checked;
    event.target.disabled = true;
    const result = await FR.api('POST', path('/reminders'), { body: { enabled } });
    event.target.disabled = false;
    if (result.ok) {
      reservation = result.data;
      render();
      $('reminder-result').textContent = t(enabled ? 'remindersOn' : 'remindersOff');
    } else {
      event.target.checked = !enabled;
      FR.showMessage($('message'), FR.problemText(result));
    }
  });

  FR.onLang(render);
  FR.applyI18n();
  FR.renderLanguages();
  load();
})();
