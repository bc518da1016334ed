// The dashboard's one door to Herald: every call sends `Authorization: Bearer <token>` (a session
// token from the sign-in page or an API key) and turns an error body
// `{error:{code,message,field}}` into an ApiError the form shows next to the named field.

const TOKEN_KEY = 'herald.token';

export const tokenStore = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | null;
  readonly details: unknown;
  constructor(status: number, code: string, message: string, field: string | null, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.details = details;
  }
}

/** Listeners told when a call answers 401 (the session ended): the app shows the sign-in page. */
const unauthorizedListeners = new Set<() => void>();
export const onUnauthorized = (fn: () => void): (() => void) => {
  unauthorizedListeners.add(fn);
  return () => {
    unauthorizedListeners.delete(fn);
  };
};

type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

async function request<T>(method: string, path: string, body?: unknown, init: { raw?: BodyInit; contentType?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'x-herald-client': 'dashboard' };
  const token = tokenStore.get();
  if (token) headers.authorization = `Bearer ${token}`;
  let payload: BodyInit | undefined;
  if (init.raw !== undefined) {
    payload = init.raw;
    headers['content-type'] = init.contentType ?? 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: payload });
  } catch {
    throw new ApiError(0, 'network', 'Herald does not answer: is the server running?', null);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = text;
  }
  if (!res.ok) {
    const e = (data as { error?: { code?: string; message?: string; field?: string | null; details?: unknown } } | null)?.error;
    const err = new ApiError(res.status, e?.code ?? 'http_' + res.status, e?.message ?? `${method} ${path} answered ${res.status}`, e?.field ?? null, e?.details);
    if (res.status === 401 && !path.endsWith('/auth/login')) for (const fn of unauthorizedListeners) fn();
    throw err;
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', withQuery(path, query)),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {}),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body ?? {}),
  /**
   * A GET whose 404 means "there is none": nothing set yet (a campaign's schedule or trigger), or a
   * Herald older than that API. The page shows the absence instead of an error.
   */
  getOrNull: async <T>(path: string, query?: Query): Promise<T | null> => {
    try {
      return await request<T>('GET', withQuery(path, query));
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  },
  del: <T>(path: string) => request<T>('DELETE', path),
  upload: <T>(path: string, raw: BodyInit, contentType: string) => request<T>('POST', path, undefined, { raw, contentType }),
  /** A file download (CSV export) with the token: fetched, then handed to the browser as a blob. */
  download: async (path: string, filename: string) => {
    const token = tokenStore.get();
    const res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (!res.ok) throw new ApiError(res.status, 'http_' + res.status, `${path} answered ${res.status}`, null);
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  },
};

export const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));
