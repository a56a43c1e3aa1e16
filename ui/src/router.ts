import { useEffect, useState } from 'preact/hooks';

/**
 * Client-side routes under /ui (`/ui/teams`, `/ui/prompts/summarize`): the gateway answers every
 * such path with the same page, which then shows the route's view. Links are real links, so they
 * open in new tabs, work with the keyboard and survive a reload.
 */
export const BASE = '/ui';

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
window.addEventListener('popstate', notify);

/** The path inside the console (`/`, `/teams`, `/prompts/summarize`) and its query string. */
export function currentRoute(): { path: string; query: URLSearchParams } {
  const p = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : location.pathname;
  return { path: p === '' ? '/' : p, query: new URLSearchParams(location.search) };
}

export function navigate(to: string, replace = false): void {
  const url = BASE + (to === '/' ? '/' : to);
  if (url === location.pathname + location.search) return;
  history[replace ? 'replaceState' : 'pushState'](null, '', url);
  notify();
}

export function useRoute() {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const l = () => setRoute(currentRoute());
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return route;
}

/** An in-console link: a plain <a href>, handled without a page load when clicked plainly. */
export function onLinkClick(e: MouseEvent): void {
  const a = (e.currentTarget as HTMLAnchorElement | null) ?? null;
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const href = a.getAttribute('href') ?? '';
  if (!href.startsWith(BASE)) return;
  e.preventDefault();
  navigate(href.slice(BASE.length) || '/');
}
