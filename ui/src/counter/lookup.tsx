// Staff look a holder up (统一受理): a person by ID number, an enterprise by 统一社会信用代码,
// with the registered name, and ask for the matter's certificates. The holder (an enterprise's
// legal representative) approves on their phone; the request's state follows below.
import { useState } from 'preact/hooks';
import { CertChecks, TextField } from '../shared/components';
import type { HubApi } from '../shared/api';
import { idProblem } from '../shared/idcheck';
import { t } from '../shared/i18n';
import type { ReleasedHolder } from '../shared/bindings';
import type { AuthRequestView, Matter } from '../shared/types';

type Props = {
  api: HubApi;
  matter: Matter | undefined;
  busy: boolean;
  act: (f: () => Promise<void>) => Promise<void>;
  typeName: (code: string) => string;
  onAsked: (r: AuthRequestView) => void;
  onCancel: () => void;
  /** The person of this case's earlier part (a parent): approves for a child looked up. */
  guardian?: ReleasedHolder;
};

/** 18 characters: an ID number with its check character, or a 统一社会信用代码's shape. */
function subjectOk(raw: string) {
  const s = raw.trim().toUpperCase();
  return !idProblem(s) || /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(s);
}

/** An ID number of someone under 18 today (the birth date is its 7th–14th characters). */
function isChild(raw: string) {
  const s = raw.trim().toUpperCase();
  if (idProblem(s)) return false;
  const born = new Date(`${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}T00:00:00`);
  const adult = new Date(born);
  adult.setFullYear(born.getFullYear() + 18);
  return adult > new Date();
}

export function StaffLookup({ api, matter, busy, act, typeName, onAsked, onCancel, guardian }: Props) {
  const replaceable = (matter?.materials ?? []).map((x) => x.replaced_by).filter((x): x is string => !!x);
  const [subject, setSubject] = useState('');
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  // A child under 18 is approved for by the parent of the case's earlier part.
  const childsGuardian = isChild(subject) ? guardian : undefined;
  const ask = (e: Event) => {
    e.preventDefault();
    if (!matter) return;
    return act(async () =>
      onAsked(
        await api.staffLookup({
          subject: subject.trim().toUpperCase(),
          name: name.trim(),
          matter: matter.code,
          cert_types: chosen,
          archive: true,
          guardian: childsGuardian?.code ?? null,
        }),
      ),
    );
  };
  return (
    <form class="face-check" id="lookup" onSubmit={ask}>
      <h3>{t('staff_lookup_title')}</h3>
      <p class="hint">{t('staff_lookup_hint')}</p>
      {childsGuardian && (
        <p class="hint" id="lookup-guardian">
          {t('staff_lookup_guardian', { name: childsGuardian.name })}
        </p>
      )}
      <TextField id="lookup-subject" label={t('staff_lookup_subject')} value={subject} onValue={setSubject} />
      <TextField id="lookup-name" label={t('staff_lookup_name')} value={name} onValue={setName} />
      <fieldset>
        <legend>{t('staff_lookup_types')}</legend>
        <CertChecks name="lookup-cert" codes={replaceable} chosen={chosen} onChange={setChosen} typeName={typeName} />
      </fieldset>
      <div class="actions">
        <button
          type="submit"
          id="lookup-ask"
          disabled={busy || !subjectOk(subject) || !name.trim() || chosen.length === 0}
        >
          {t('request')}
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          {t('back')}
        </button>
      </div>
    </form>
  );
}
