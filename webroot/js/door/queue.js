// Scans made offline, kept in IndexedDB (in memory where there is none) until the server has them, each under its
// idempotency key, so a replay can never count twice.

export async function openQueue() {
  let db = null;
  const memory = [];
  if (window.indexedDB) {
    db = await new Promise((resolve) => {
      const req = indexedDB.open('samla-checkin', 1);
      req.onupgradeneeded = () => req.result.createObjectStore('queue', { keyPath: 'idempotencyKey' });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => resolve(null);
    });
  }
  const store = (mode) => db.transaction('queue', mode).objectStore('queue');
  const done = (req, value) => new Promise((resolve) => {
    req.onsuccess = () => resolve(value === undefined ? req.result : value);
    req.onerror = () => resolve(value === undefined ? [] : value);
  });
  return {
    add(scan) {
      if (!db) {
        memory.push(scan);
        return Promise.resolve();
      }
      return done(store('readwrite').put(scan), null);
    },
    all() {
      return db ? done(store('readonly').getAll()).then((list) => list || []) : Promise.resolve(memory.slice());
    },
    remove(key) {
      const i = memory.findIndex((s) => s.idempotencyKey === key);
      if (i >= 0) {
        memory.splice(i, 1);
      }
      return db ? done(store('readwrite').delete(key), null) : Promise.resolve();
    }
  };
}
