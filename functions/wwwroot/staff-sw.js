// The staff page's service worker: keeps /staff and the assets it references, so a tablet that
// loses the network at the bridge can reload the page. The page is fetched from the network
// first (a new deployment is seen at once) and from the cache when the network fails; assets
// are versioned (?v=hash), so a cached one is always the right one. API calls are not cached:
// the page keeps what it needs (today's lists and keys, the queue of scans) in IndexedDB.
'use strict';

const CACHE = 'fr-staff-v1';

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const page = await fetch('/staff', { cache: 'no-store' });
    if (!page.ok) return;
    const html = await page.clone().text();
    await cache.put('/staff', page);
    const assets = [...new Set([...html.matchAll(/\/assets\/[^"'\s>]+/g)].map((m) => m[0]))];
    await cache.addAll(assets);
  })());
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname === '/staff') {
    event.respondWith(fetch(request).then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put('/staff', copy));
      }
      return response;
    }).catch(async () => (await caches.match('/staff')) ?? Response.error()));
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(caches.match(request).then((hit) => hit ?? fetch(request).then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(request, copy));
      }
      return response;
    })));
  }
});
