// JSON calls to the console API: the session cookie goes by itself, the CSRF token in a header.
let csrf = '';

/** @param {string} token */
export function setCsrf(token) {
  csrf = token;
}

export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {{ error?: string, code?: string } & Record<string, unknown>} body
   */
  constructor(status, body) {
    super(body?.error ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

/**
 * One call of the console's JSON API. The answer is whatever the route returns: the server's
 * TypeScript types it, and the views read it as such (`any` here, there being no shared types).
 * @param {'GET' | 'POST' | 'PUT' | 'DELETE'} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<any>}
 */
export async function api(method, path, body) {
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const json = await res.json().catch(() => ({}));
  if (res.status === 401) {
    location.assign('/console/login');
    throw new ApiError(401, json);
  }
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}
