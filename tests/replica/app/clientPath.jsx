// The path a replica app shows, following the history (Back/Forward) and `window.replicaNavigate`, the
// hook the e2e drivers' clientNavigate calls: pushState or replaceState, no document load; another origin
// is a real navigation. Shared by the Privacy Center flow and the services' apps.
import { useEffect, useState } from 'react';

export function useClientPath() {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const onPop = () => setPath(location.pathname);
    window.addEventListener('popstate', onPop);
    window.replicaNavigate = (to, { replace = false } = {}) => {
      const url = new URL(String(to), location.href);
      if (url.origin !== location.origin) { location.assign(url.href); return; }
      history[replace ? 'replaceState' : 'pushState']({ replica: true }, '', url.pathname + url.search + url.hash);
      setPath(location.pathname);
    };
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  return path;
}
