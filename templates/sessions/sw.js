/* Portal Sinergi: keeps the PJ's roster on the phone. Network first; the last copy when offline. */
const CACHE = "portal-roster-v1";
const ASSETS = {{ assets|tojson }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // outcomes are queued by the page, never here
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const roster = ASSETS[0];
  const kept = url.pathname === roster || ASSETS.includes(url.pathname);
  if (!kept) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok && !response.redirected) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
        }
        return response;
      })
      .catch(() => caches.match(url.pathname))
  );
});
