// The matter (办理事项) the counter handles, and its materials: which a certificate replaces.
import { Badge } from '../shared/components';
import { currentLang, t } from '../shared/i18n';
import type { Catalogue, Matter } from '../shared/types';

export const matterName = (m: Matter) => (currentLang() === 'zh' ? m.name : m.name_en);

/** A certificate type's name in the current language (its code when the catalogue lacks it). */
export function typeNamer(catalogue: Catalogue | null) {
  return (code: string) => {
    const ct = catalogue?.cert_types.find((c) => c.code === code);
    return ct ? (currentLang() === 'zh' ? ct.name : ct.name_en) : code;
  };
}

export function MatterPanel(props: { catalogue: Catalogue | null; matter: string; onChange: (code: string) => void }) {
  const m = props.catalogue?.matters.find((x) => x.code === props.matter);
  return (
    <section class="panel" aria-labelledby="matter-h">
      <h2 id="matter-h">{t('matter')}</h2>
      <label for="matter" class="sr-only">
        {t('matter')}
      </label>
      <select id="matter" value={props.matter} onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}>
        {props.catalogue?.matters.map((x) => (
          <option value={x.code}>{matterName(x)}</option>
        ))}
      </select>
      <h3>{t('materials')}</h3>
      <ul class="materials">
        {m?.materials.map((x) => (
          <li>
            <span>{x.name}</span>{' '}
            {x.replaced_by ? (
              <Badge kind="ok">{t('replaceable')}</Badge>
            ) : (
              <Badge kind="info">{x.required ? t('must_submit') : t('optional')}</Badge>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
