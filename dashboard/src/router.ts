// Hash routing: "#/endpoints/we_123" -> ["endpoints", "we_123"], with an
// optional query ("#/events?type=payment_intent.*"). No page reloads.
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  parts: string[];
  query: URLSearchParams;
}

function parse(): Route {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = hash.split('?', 2);
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(query) };
}

export function href(path: string, query?: Record<string, string>): string {
  const search = query ? new URLSearchParams(Object.entries(query).filter(([, v]) => v)).toString() : '';
  return `#/${path}${search ? `?${search}` : ''}`;
}

export function navigate(path: string, query?: Record<string, string>) {
  location.hash = href(path, query);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(parse);
  useEffect(() => {
    const update = () => setRoute(parse());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}
