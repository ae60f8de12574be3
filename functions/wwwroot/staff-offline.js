// The gate: scanning tickets (camera, decoded by jsQR vendored from npm) or typed codes, a verdict
// large and coloured, and check-in that keeps working offline. Staff keep today's sessions: their
// attendee lists (masked, as the staff API gives them) and today's ticket day keys go to
// IndexedDB; offline, a ticket's signature is checked with the day key (WebCrypto HMAC-SHA256),
// the list says whether the party is in, and the scan is queued with the server's time and this
// device's name; back online the queue is sent ({ scannedAt, device, sessionIds }), and a party
// another tablet checked in first is shown with that tablet's time.
'use strict';

window.FRGate = (() => {
  const { h, t } = FR;
  const $ = (id) => document.getElementById(id);
  const DB = 'fr-gate';
  const DEDUPE_MS = 3000;
  const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

  const gate = {
    staff: null, onChange: null, keys: null, offset: 0, picked: [], lists: {}, today: null, sessions: [],
    last: { text: '', at: -Infinity }, seen: { text: '', at: -Infinity }, busy: false, stream: null, timer: null, syncing: false, online: true,
  };

  // ---- IndexedDB: one key-value store and the queue ----------------------------------------
  let dbPromise = null;
  function db() {
    dbPromise ??= new Promise((resolve, reject) => {
      const open = indexedDB.open(DB, 1);
      open.onupgradeneeded = () => {
        open.result.createObjectStore('kv');
        open.result.createObjectStore('queue', { keyPath: 'id', autoIncrement: true });
      };
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    return dbPromise;
  }
  async function tx(store, mode, fn) {
    const d = await db();
    return new Promise((resolve, reject) => {
      const transaction = d.transaction(store, mode);
      const request = fn(transaction.objectStore(store));
      transaction.oncomplete = () => resolve(request?.result);
      transaction.onerror = () => reject(transaction.error);
    });
  }
  const kvGet = (key) => tx('kv', 'readonly', (s) => s.get(key));
  const kvSet = (key, value) => tx('kv', 'readwrite', (s) => s.put(value, key));
  const queueAll = () => tx('queue', 'readonly', (s) => s.getAll());
  const queueAdd = (item) => tx('queue', 'readwrite', (s) => s.add(item));
  const queueDelete = (id) => tx('queue', 'readwrite', (s) => s.delete(id));

  // ---- tickets ------------------------------------------------------------------------------
  // A scan's text: a ticket link (…/t/{ticket}), a ticket, or a typed code.
  function parse(text) {
    let value = String(text ?? '').trim();
    const link = value.match(/\/t\/([0-9A-Za-z-]+)\/?(?:[?#].*)?$/);
    if (link) value = link[1];
    const clean = value.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
    if (![...clean].every((c) => ALPHABET.includes(c))) return null;
    // code (8), key id (1), day mark (1), MAC (8); tickets sent before the day mark have none (17).
    if (clean.length === 18) return { ticket: clean, code: clean.slice(0, 8), keyId: clean[8], day: clean[9], mac: clean.slice(10) };
    if (clean.length === 17) return { ticket: clean, code: clean.slice(0, 8), keyId: clean[8], day: null, mac: clean.slice(9) };
    if (clean.length === 8) return { ticket: null, code: clean };
    return null;
  }
  const display = (code) => `${code.slice(0, 4)}-${code.slice(4)}`;
  // A festival day's mark (Ticket.DayMark on the server): days since 1970-01-01 modulo 32.
  const dayMark = (date) => ALPHABET[Math.round(Date.parse(`${date}T00:00:00Z`) / 86400000) % 32];
  // A ticket whose readable day mark is not today's: another day's (or forged with another day's mark).
  const otherDay = (parsed) => !!(parsed.day && gate.keys && parsed.day !== dayMark(gate.keys.date));

  function base32(bytes) {
    let bits = 0n;
    for (const b of bytes) bits = (bits << 8n) | BigInt(b);
    let out = '';
    for (let i = 0; i < 8; i++) out = ALPHABET[Number(bits & 31n)] + out, bits >>= 5n;
    return out;
  }
  function fromBase64Url(text) {
    const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
    return Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
  }
  // The MAC under today's day key of the ticket's key id: HMAC-SHA256(day key, "ticket:" + code), 40 bits.
  async function verify(parsed) {
    if (parsed.day && parsed.day !== dayMark(gate.keys.date)) return false;
    const key = gate.keys?.cryptoKeys?.[parsed.keyId];
    if (!key) return false;
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`ticket:${parsed.code}`)));
    return base32(mac.slice(0, 5)) === parsed.mac;
  }
  async function importKeys(view) {
    const cryptoKeys = {};
    for (const k of view.keys) {
      cryptoKeys[k.keyId] = await crypto.subtle.importKey('raw', fromBase64Url(k.key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    }
    return { ...view, cryptoKeys };
  }

  // The server's clock, so offline scans carry the festival's time, not the tablet's.
  const serverNow = () => new Date(Date.now() + gate.offset).toISOString();

  function device() {
    let name = null;
    try { name = localStorage.getItem('fr.device'); } catch { /* private mode */ }
    if (!name) {
      name = `tablet-${Math.random().toString(36).slice(2, 6)}`;
      try { localStorage.setItem('fr.device', name); } catch { /* this page only */ }
    }
    return name;
  }

  // ---- what staff see ------------------------------------------------------------------------
  function verdict(kind, title, detail) {
    const box = $('verdict');
    box.className = `verdict ${kind}`;
    box.dataset.verdict = kind;
    box.replaceChildren(title, ...(detail ? [h('small', { text: detail })] : []));
    box.hidden = false;
  }
  function log(kind, text) {
    const list = $('scan-log');
    list.prepend(h('li', { class: kind, dataset: { kind } }, text));
    while (list.children.length > 50) list.lastChild.remove();
  }
  // hh:mm in festival time.
  const time = (utc) => (utc ? new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Seoul' }).format(new Date(utc)) : '?');

  async function renderStatus() {
    const queued = (await queueAll()).length;
    const kept = gate.picked.length;
    $('gate-status').textContent = [
      t(gate.online ? 'gateOnline' : 'gateOffline'),
      kept ? t('gateKept', { n: kept, date: gate.keys?.date ?? '' }) : t('gateNotKept'),
      queued ? t('gateQueued', { n: queued }) : '',
    ].filter(Boolean).join(' · ');
    $('gate-status').dataset.queued = String(queued);
  }

  function renderSessions() {
    const box = $('gate-sessions');
    box.replaceChildren(...gate.sessions.map((s) => h('div', { class: 'option pick' },
      h('input', {
        type: 'checkbox', id: `gate-${s.sessionId}`, value: s.sessionId, checked: gate.picked.includes(s.sessionId),
        dataset: { sessionId: s.sessionId },
      }),
      h('label', { for: `gate-${s.sessionId}` }, `${FR.hhmm(s.start)} ${FR.text(s.title)}`))));
  }

  // ---- keeping today -------------------------------------------------------------------------
  async function loadToday() {
    const keys = await gate.staff('GET', '/api/staff/tickets/day-keys');
    if (!keys.ok) return false;
    gate.offset = new Date(keys.data.now).getTime() - Date.now();
    gate.keys = await importKeys(keys.data);
    await kvSet('keys', { ...keys.data, offset: gate.offset });
    if (gate.today !== keys.data.date) {
      gate.today = keys.data.date;
      const board = await gate.staff('GET', `/api/staff/capacity?date=${keys.data.date}`);
      // Sessions not over yet: the ones a gate can still check people in to.
      gate.sessions = board.ok ? board.data.sessions.filter((s) => new Date(s.end) > new Date(keys.data.now)) : [];
      await kvSet('sessions', gate.sessions);
      renderSessions();
    }
    return true;
  }

  async function keep() {
    gate.picked = [...$('gate-sessions').querySelectorAll('input:checked')].map((i) => i.value);
    await kvSet('picked', gate.picked);
    await refreshLists();
    await renderStatus();
    $('gate-status').focus?.();
  }

  async function refreshLists() {
    for (const sessionId of gate.picked) {
      const result = await gate.staff('GET', `/api/staff/sessions/${encodeURIComponent(sessionId)}/reservations`);
      if (!result.ok) return;
      const queued = new Set((await queueAll()).map((q) => q.code));
      const list = {};
      for (const r of result.data) {
        const code = r.code.replace('-', '');
        const before = gate.lists[sessionId]?.[code];
        // A scan still queued here stays checked in locally, whatever the list says yet.
        list[code] = queued.has(code) && before ? before : { code, sessionId, status: r.status, checkedInAt: r.checkedInAt ?? null, partySize: r.partySize, name: r.name, start: r.start, title: r.programTitle };
      }
      gate.lists[sessionId] = list;
      await kvSet(`list:${sessionId}`, list);
    }
  }

  function findLocal(code) {
    for (const sessionId of gate.picked) {
      const entry = gate.lists[sessionId]?.[code];
      if (entry) return entry;
    }
    return null;
  }

  // ---- a scan --------------------------------------------------------------------------------
  async function scan(text) {
    const now = performance.now();
    // Typed or scanned twice within a moment (a double Enter): judged once.
    if (text === gate.last.text && now - gate.last.at < DEDUPE_MS) return;
    gate.last = { text, at: now };
    const parsed = parse(text);
    if (!parsed) {
      verdict('forged', t('vForged'), t('vUnreadable'));
      log('forged', `${t('vForged')} · ${String(text).slice(0, 40)}`);
      return;
    }
    // The day first, from the ticket's readable part: this tablet holds today's day keys only, so
    // another day's signature cannot be checked here and would look forged. Judging by the mark
    // alone is safe because it only ever refuses: a ticket marked for another day is not today's
    // (today's tickets carry today's mark, and the server checks the mark too), so nothing is
    // queued or checked in; a forged ticket marked for another day is refused as "wrong day"
    // offline and as forged online, and one marked for today still meets the signature check.
    if (parsed.ticket && otherDay(parsed)) {
      await refuseForged(parsed, true);
      return;
    }
    if (parsed.ticket && gate.keys && !(await verify(parsed))) {
      await refuseForged(parsed, false);
      return;
    }
    if (gate.online) {
      const done = await online(parsed);
      if (done) return;
    }
    await offline(parsed);
  }

  async function refuseForged(parsed, markedOtherDay) {
    // Online the server can tell another day's ticket (and which day) from a forged one.
    if (gate.online) {
      const other = await FR.api('GET', `/api/tickets/${parsed.ticket}`);
      if (other.ok) {
        verdict('wrong', t('vWrongDay'), `${display(parsed.code)} · ${FR.dateLabel(other.data.start.slice(0, 10), 'short')} ${FR.hhmm(other.data.start)}`);
        log('wrong', `${t('vWrongDay')} · ${display(parsed.code)}`);
        return;
      }
      if (!other.network) markedOtherDay = false;
    }
    if (markedOtherDay) {
      verdict('wrong', t('vWrongDay'), display(parsed.code));
      log('wrong', `${t('vWrongDay')} · ${display(parsed.code)}`);
      return;
    }
    verdict('forged', t('vForged'), display(parsed.code));
    log('forged', `${t('vForged')} · ${display(parsed.code)}`);
  }

  // Returns false when the network failed (the scan is then judged offline).
  async function online(parsed) {
    const body = { device: device(), ...(gate.picked.length ? { sessionIds: gate.picked } : {}) };
    const result = await gate.staff('POST', `/api/staff/reservations/${parsed.ticket ?? parsed.code}/check-in`, { body });
    if (result.network) {
      setOnline(false);
      return false;
    }
    show(parsed, result);
    const entry = findLocal(parsed.code);
    if (entry && (result.ok || result.problem?.code === 'already-checked-in')) {
      entry.status = 'checked-in';
      entry.checkedInAt = result.ok ? result.data.checkedInAt : result.problem.checkedInAt;
    }
    gate.onChange?.();
    return true;
  }

  function show(parsed, result) {
    const code = display(parsed.code);
    if (result.ok) {
      const r = result.data;
      verdict('in', t('vIn'), `${r.name} · ${t('vParty', { n: r.partySize })} · ${FR.hhmm(r.start)} ${FR.text(r.programTitle)}`);
      log('in', `${t('vIn')} · ${code} · ${time(r.checkedInAt)}`);
      return;
    }
    const p = result.problem ?? {};
    if (p.code === 'already-checked-in') {
      const at = time(p.checkedInAt);
      verdict('already', t('vAlready', { time: at }), p.device ? `${code} · ${p.device}` : code);
      log('already', `${t('vAlready', { time: at })} · ${code}`);
    } else if (p.code === 'already-cancelled') {
      verdict('cancelled', t('vCancelled'), code);
      log('cancelled', `${t('vCancelled')} · ${code}`);
    } else if (p.code === 'wrong-session') {
      const otherDay = p.start && gate.keys && p.start.slice(0, 10) !== gate.keys.date;
      verdict('wrong', t(otherDay ? 'vWrongDay' : 'vWrongSession'), `${code} · ${p.start ? `${FR.dateLabel(p.start.slice(0, 10), 'short')} ${FR.hhmm(p.start)}` : ''}`);
      log('wrong', `${t(otherDay ? 'vWrongDay' : 'vWrongSession')} · ${code}`);
    } else if (p.code === 'not-found') {
      verdict('forged', t(parsed.ticket ? 'vForged' : 'vUnknown'), code);
      log('forged', `${t(parsed.ticket ? 'vForged' : 'vUnknown')} · ${code}`);
    } else {
      verdict('refused', t('vRefused'), FR.problemText(result));
      log('refused', `${t('vRefused')} · ${code}`);
    }
  }

  async function offline(parsed) {
    const code = display(parsed.code);
    const entry = findLocal(parsed.code);
    if (!gate.picked.length) {
      verdict('refused', t('vNoList'), code);
      log('refused', `${t('vNoList')} · ${code}`);
      return;
    }
    if (!entry) {
      verdict('wrong', t('vWrongSession'), code);
      log('wrong', `${t('vWrongSession')} · ${code}`);
      return;
    }
    if (entry.status === 'checked-in') {
      verdict('already', t('vAlready', { time: time(entry.checkedInAt) }), code);
      log('already', `${t('vAlready', { time: time(entry.checkedInAt) })} · ${code}`);
      return;
    }
    if (entry.status !== 'confirmed') {
      verdict(entry.status === 'cancelled' ? 'cancelled' : 'refused', t(entry.status === 'cancelled' ? 'vCancelled' : 'vRefused'), code);
      log('refused', `${t('vRefused')} · ${code}`);
      return;
    }
    const scannedAt = serverNow();
    entry.status = 'checked-in';
    entry.checkedInAt = scannedAt;
    await kvSet(`list:${entry.sessionId}`, gate.lists[entry.sessionId]);
    await queueAdd({ text: parsed.ticket ?? parsed.code, code: parsed.code, scannedAt, device: device(), sessionIds: [...gate.picked] });
    verdict('in', t('vIn'), `${entry.name} · ${t('vParty', { n: entry.partySize })} · ${t('vQueued')}`);
    log('in', `${t('vIn')} · ${code} · ${time(scannedAt)} · ${t('vQueued')}`);
    await renderStatus();
  }

  // ---- sync ----------------------------------------------------------------------------------
  async function sync() {
    if (gate.syncing || !gate.staff) return;
    gate.syncing = true;
    try {
      for (const item of await queueAll()) {
        const result = await gate.staff('POST', `/api/staff/reservations/${item.text}/check-in`,
          { body: { scannedAt: item.scannedAt, device: item.device, sessionIds: item.sessionIds } });
        if (result.network) {
          setOnline(false);
          break;
        }
        if (result.status === 401 || result.status >= 500) break;
        await queueDelete(item.id);
        const code = display(item.code);
        if (result.ok) {
          log('synced', `${t('vSynced')} · ${code} · ${time(result.data.checkedInAt)}`);
        } else if (result.problem?.code === 'already-checked-in') {
          // Another tablet was first: its time (and name) stand.
          const text = t('vConflict', { code, time: time(result.problem.checkedInAt), device: result.problem.device ?? '?' });
          log('conflict', text);
          verdict('already', t('vAlready', { time: time(result.problem.checkedInAt) }), text);
          const entry = findLocal(item.code);
          if (entry) entry.checkedInAt = result.problem.checkedInAt;
        } else {
          log('refused', `${t('vRefused')} · ${code} · ${FR.problemText(result)}`);
        }
      }
    } finally {
      gate.syncing = false;
      await renderStatus();
      gate.onChange?.();
    }
  }

  function setOnline(value) {
    if (gate.online === value) return;
    gate.online = value;
    renderStatus();
    if (value) sync();
  }

  // ---- camera --------------------------------------------------------------------------------
  async function startCamera() {
    if (gate.stream) return stopCamera();
    try {
      gate.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
    } catch {
      verdict('refused', t('vNoCamera'));
      return undefined;
    }
    const video = $('scan-video');
    video.srcObject = gate.stream;
    $('scanner').hidden = false;
    $('scan-start').textContent = t('scanStop');
    await video.play().catch(() => {});
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d', { willReadFrequently: true });
    const frame = async () => {
      if (!gate.stream) return;
      if (!gate.busy && video.readyState >= 2 && video.videoWidth) {
        const scale = Math.min(1, 640 / video.videoWidth);
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        const image = context.getImageData(0, 0, canvas.width, canvas.height);
        const found = window.jsQR?.(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
        if (found?.data) {
          // A code held in front of the camera is in many frames in a row: it is judged once, and
          // again only after it has been out of sight for a moment (a second's scan of it then).
          const seenAt = performance.now();
          const held = found.data === gate.seen.text && seenAt - gate.seen.at < DEDUPE_MS;
          gate.seen = { text: found.data, at: seenAt };
          if (!held) {
            gate.busy = true;
            try { await scan(found.data); } finally { gate.busy = false; }
          }
        }
      }
      gate.timer = setTimeout(frame, 120);
    };
    frame();
    return undefined;
  }

  function stopCamera() {
    clearTimeout(gate.timer);
    gate.stream?.getTracks().forEach((track) => track.stop());
    gate.stream = null;
    $('scanner').hidden = true;
    $('scan-start').textContent = t('scanStart');
  }

  // ---- start ---------------------------------------------------------------------------------
  async function init(options) {
    if (gate.staff) return; // a second sign-in in the same page
    gate.staff = options.staff;
    gate.onChange = options.onChange;
    gate.online = navigator.onLine;
    addEventListener('online', () => setOnline(true));
    addEventListener('offline', () => setOnline(false));
    try {
      gate.picked = (await kvGet('picked')) ?? [];
      for (const sessionId of gate.picked) gate.lists[sessionId] = (await kvGet(`list:${sessionId}`)) ?? {};
      gate.sessions = (await kvGet('sessions')) ?? [];
      const stored = await kvGet('keys');
      if (stored) {
        gate.today = stored.date;
        gate.offset = stored.offset ?? 0;
        gate.keys = await importKeys(stored);
      }
    } catch { /* no IndexedDB: online only */ }
    $('scan-start').addEventListener('click', startCamera);
    $('gate-keep').addEventListener('click', keep);
    if (gate.online) await loadToday();
    renderSessions();
    await renderStatus();
    document.body.dataset.gateReady = 'true';
  }

  // Every few seconds while the board runs: send what is queued, refresh what is kept.
  async function tick() {
    if (!gate.staff) return;
    if (!gate.online && navigator.onLine) setOnline(true);
    const queued = (await queueAll()).length;
    if (queued) await sync();
    if (gate.online) {
      if (!gate.keys || gate.keys.date !== gate.today) await loadToday();
      if (!(await queueAll()).length) await refreshLists();
    }
    await renderStatus();
  }

  // What a page reloaded offline can work from.
  async function hasKept() {
    try { return ((await kvGet('picked')) ?? []).length > 0 && !!(await kvGet('keys')); } catch { return false; }
  }
  async function keptDate() {
    try { return (await kvGet('keys'))?.date ?? null; } catch { return null; }
  }

  return { init, scan, tick, sync, hasKept, keptDate, isTicket: (text) => parse(text)?.ticket != null || /\/t\//.test(text), get online() { return gate.online; } };
})();
