import { useEffect, useState } from 'preact/hooks';

// Hash routing (#/conversations/abc?agent=ada): the server serves one shell for every
// /dashboard path, and a hash never reaches it, so any link works on reload.

/** The current route: path segments and query parameters of the hash. */
export interface Route {
  parts: string[];
  query: Record<string, string>;
}

function read(): Route {
  const hash = location.hash.replace(/^#/, '') || '/overview';
  const [path = '', search = ''] = hash.split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), query: Object.fromEntries(new URLSearchParams(search)) };
}

/** The route, updated when the hash changes. */
export function useRoute(): Route {
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const update = () => setRoute(read());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

/** A hash link to a path with optional query parameters (empty ones dropped). */
export function href(path: string, query: Record<string, string> = {}): string {
  const q = new URLSearchParams(Object.entries(query).filter(([, v]) => v)).toString();
  return `#${path}${q ? `?${q}` : ''}`;
}

export function navigate(path: string, query: Record<string, string> = {}, o: { replace?: boolean } = {}): void {
  const target = href(path, query);
  if (o.replace) history.replaceState(null, '', target);
  else location.hash = target;
  if (o.replace) dispatchEvent(new HashChangeEvent('hashchange'));
}
