// The dashboard's only way to the server: the public API under /v1, with the
// secret key in the Authorization header (never in a URL, so no CSRF and no
// key in logs or history).
export type Json = any;

export interface ListPage<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

export class ApiFailure extends Error {
  constructor(readonly status: number, message: string, readonly param?: string) {
    super(message);
  }
}

export type Params = Record<string, string | number | boolean | string[] | undefined>;

// Form encoding with bracket notation, as the API (and Stripe) reads it.
export function encodeForm(params: Params): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) {
      for (const item of value) parts.push(`${encodeURIComponent(name + '[]')}=${encodeURIComponent(item)}`);
    } else {
      parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
    }
  }
  return parts.join('&');
}

export interface CallOptions {
  stripeAccount?: string;
  body?: Params;
  query?: Params;
}

export async function call<T = Json>(key: string, method: string, path: string,
                                     options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Authorization: `Bearer ${key}` };
  if (options.stripeAccount) headers['Stripe-Account'] = options.stripeAccount;
  let body: string | undefined;
  if (options.body) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = encodeForm(options.body);
  }
  const query = options.query ? encodeForm(options.query) : '';
  const response = await fetch(query ? `${path}?${query}` : path, {
    method, headers, body, cache: 'no-store', credentials: 'omit',
  });
  const text = await response.text();
  let parsed: Json = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiFailure(response.status, `Unexpected answer (${response.status})`);
  }
  if (!response.ok) {
    const error = parsed?.error ?? {};
    throw new ApiFailure(response.status, error.message ?? `HTTP ${response.status}`, error.param);
  }
  return parsed as T;
}
