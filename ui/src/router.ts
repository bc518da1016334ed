// Hash routes (#/campaigns/3): no router library, no server round trip, bookmarks work.
import { useEffect, useState } from 'react';

export interface Route {
  /** Path segments after "#/", e.g. ["campaigns", "3"]. */
  parts: string[];
  query: URLSearchParams;
}

function parse(): Route {
  const raw = location.hash.replace(/^#\/?/, '');
  const [p, q = ''] = raw.split('?');
  return { parts: p.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(q) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(parse);
  useEffect(() => {
    const on = () => setRoute(parse());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export const href = (...parts: Array<string | number>) => `#/${parts.map((p) => encodeURIComponent(String(p))).join('/')}`;

export const navigate = (to: string) => {
  location.hash = to.replace(/^#/, '');
};
