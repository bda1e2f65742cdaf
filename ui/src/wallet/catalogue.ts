import { commands } from './commands';
import { currentLang } from '../shared/i18n';
import type { CertType } from '../shared/types';

// The hub's catalogue of certificate types (names and the numbers codes carry), read once it
// answers: a wallet started offline reads it again on the next call.
export let TYPES: CertType[] = [];
let loaded: Promise<CertType[]> | null = null;
export function loadTypes(): Promise<CertType[]> {
  loaded ??= commands.catalogue().then(
    (types) => (TYPES = types ?? []),
    () => {
      loaded = null;
      return TYPES;
    },
  );
  return loaded;
}
loadTypes();
export function typeName(c: string) {
  const ct = TYPES.find((x) => x.code === c);
  return ct ? (currentLang() === 'zh' ? ct.name : ct.name_en) : c;
}
