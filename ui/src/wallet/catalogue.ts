import { commands } from './commands';
import { currentLang } from '../shared/i18n';
import type { CertType } from '../shared/types';

// The catalogue's certificate types, from Rust (names and the numbers codes carry).
export let TYPES: CertType[] = [];
export const typesReady = commands.catalogue().then(
  (types) => (TYPES = types ?? []),
  () => (TYPES = []),
);
export function typeName(c: string) {
  const ct = TYPES.find((x) => x.code === c);
  return ct ? (currentLang() === 'zh' ? ct.name : ct.name_en) : c;
}
