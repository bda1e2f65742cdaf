// The one message catalogue of every page and the wallet: zh-CN first, English switchable.
// Words per area (pages.ts, wallet.ts, face.ts) and a message for every error code (errors.ts).
// The UI matches error codes, never message text.
import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from './errors';
import { eventLabel } from './events';
import * as face from './face';
import * as pages from './pages';
import * as wallet from './wallet';

export type Lang = 'zh' | 'en';
const lang = { value: ((localStorage.getItem('mz-lang') as Lang) || 'zh') as Lang };
const listeners = new Set<() => void>();

export function setLang(l: Lang) {
  lang.value = l;
  localStorage.setItem('mz-lang', l);
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
  listeners.forEach((f) => f());
}

export function currentLang(): Lang {
  return lang.value;
}

/** Re-render the calling component when the language changes. */
export function useLang(): Lang {
  const [, bump] = useState(0);
  useEffect(() => {
    const f = () => bump((n) => n + 1);
    listeners.add(f);
    return () => void listeners.delete(f);
  }, []);
  return lang.value;
}

/** Every key, once: an area's word may not silently replace another area's. */
type Overlap<A, B> = keyof A & keyof B;
type NoOverlap = [
  | Overlap<typeof pages.zh, typeof wallet.zh>
  | Overlap<typeof pages.zh, typeof face.zh>
  | Overlap<typeof wallet.zh, typeof face.zh>,
] extends [never]
  ? true
  : never;
const distinct: NoOverlap = true;
void distinct;

const zh = { ...pages.zh, ...wallet.zh, ...face.zh };
const en: Record<Key, string> = { ...pages.en, ...wallet.en, ...face.en };
export type Key = keyof typeof zh;

export function t(key: Key, vars: Record<string, string | number> = {}): string {
  let s = (lang.value === 'zh' ? zh : en)[key];
  for (const [k, v] of Object.entries(vars)) s = s.replace(`{${k}}`, String(v));
  return s;
}

/** What the holder's records call an audit event, in the current language. */
export function eventName(event: string): string {
  return eventLabel(event, lang.value);
}

/** The message for an error code in the current language (see `errors.ts`). */
export function explain(code: string, fallback: string): string {
  return errorMessage(code, lang.value, fallback);
}
