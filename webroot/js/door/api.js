// The door's calls to /api/v1, with the page's own device token (see checkin/CheckinPages).

/**
 * A caller for the API: call(method, path, body, waitMs) → Promise<Response>. With waitMs, a call that has no answer
 * by then is aborted (the door decides on the device instead of keeping someone waiting).
 */
export function client(token, lang) {
  return function call(method, path, body, waitMs) {
    const controller = waitMs && window.AbortController ? new AbortController() : null;
    const timer = controller ? setTimeout(() => controller.abort(), waitMs) : null;
    return fetch('/api/v1' + path, {
      method,
      headers: { 'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json', 'Accept-Language': lang },
      body: body ? JSON.stringify(body) : undefined,
      cache: 'no-store',
      signal: controller ? controller.signal : undefined
    }).finally(() => clearTimeout(timer));
  };
}

/** What went wrong, in words: the field messages, the message, or the status. {@code expired}: the text for 401. */
export function errorMessage(res, expired) {
  return res.json().then((b) => {
    if (res.status === 401) {
      return expired;
    }
    const fields = b.fields ? Object.keys(b.fields).map((k) => b.fields[k]) : [];
    return fields.length ? fields.join(' ') : (b.message || String(res.status));
  }, () => String(res.status));
}
