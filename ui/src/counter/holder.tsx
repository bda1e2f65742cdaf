// The holder the counter acts for: the certificates of the matter they hold (the staff pick
// what to ask for), consent on the counter's tablet after a face check, and the request's state.
import { useEffect, useState } from 'preact/hooks';
import { Badge, CertChecks } from '../shared/components';
import { t } from '../shared/i18n';
import type { AuthRequestView, Matter, Redemption, RequestState } from '../shared/types';

type ChoiceProps = {
  redemption: Redemption;
  matter: Matter | undefined;
  asked: boolean;
  busy: boolean;
  typeName: (code: string) => string;
  onAsk: (certTypes: string[], archive: boolean) => void;
};

/** Who is present (masked), and the matter's replaceable materials they hold. */
export function CertificateChoice({ redemption, matter, asked, busy, typeName, onAsk }: ChoiceProps) {
  const replaceable = (matter?.materials ?? []).map((x) => x.replaced_by).filter((x): x is string => !!x);
  const held = (code: string) => redemption.available.some((a) => a.type_code === code);
  const [chosen, setChosen] = useState<string[]>([]);
  const [archive, setArchive] = useState(true);
  useEffect(() => setChosen(replaceable.filter(held)), [redemption.redemption_id, matter?.code]);
  return (
    <div class="redemption" data-kind={redemption.kind}>
      <p class="who">
        {redemption.kind === 'face' && (
          <>
            <Badge kind="ok">{t('face_passed')}</Badge>{' '}
          </>
        )}
        {redemption.kind === 'delegated'
          ? t('agent_for', { agent: redemption.agent_name_masked ?? '', subject: redemption.subject_name_masked })
          : redemption.subject_name_masked}
      </p>
      <h3>{t('available')}</h3>
      <fieldset disabled={asked}>
        <legend class="sr-only">{t('available')}</legend>
        <CertChecks
          name="cert"
          codes={replaceable}
          chosen={chosen}
          onChange={setChosen}
          typeName={typeName}
          disabled={(code) => !held(code)}
          after={(code) => !held(code) && <Badge kind="warn">{t('not_held')}</Badge>}
        />
        <label class="check">
          <input
            type="checkbox"
            checked={archive}
            onChange={(e) => setArchive((e.target as HTMLInputElement).checked)}
          />
          {t('archive')}
        </label>
      </fieldset>
      {!asked && (
        <button type="button" id="ask" onClick={() => onAsk(chosen, archive)} disabled={busy || chosen.length === 0}>
          {t('request')}
        </button>
      )}
    </div>
  );
}

/** After a face check at the counter, the holder ticks on the counter's tablet what to give. */
export function ConsentAtCounter(props: {
  request: AuthRequestView;
  typeName: (code: string) => string;
  onDecide: (approve: string[]) => void;
}) {
  const { request, typeName, onDecide } = props;
  const [consent, setConsent] = useState<string[]>(request.cert_types);
  useEffect(() => setConsent(request.cert_types), [request.request_id]);
  return (
    <div class="consent" id="consent" role="group" aria-labelledby="consent-h">
      <h3 id="consent-h">{t('consent_title')}</h3>
      <p>{t('consent_hint', { matter: request.matter_name })}</p>
      <CertChecks
        name="consent"
        codes={request.cert_types}
        chosen={consent}
        onChange={setConsent}
        typeName={typeName}
      />
      <div class="actions">
        <button type="button" id="consent-yes" disabled={consent.length === 0} onClick={() => onDecide(consent)}>
          {t('consent_yes')}
        </button>
        <button type="button" class="secondary" id="consent-no" onClick={() => onDecide([])}>
          {t('consent_no')}
        </button>
      </div>
    </div>
  );
}

/** The request's state, live; what was approved. */
export function RequestLine(props: {
  request: AuthRequestView;
  atTablet: boolean;
  typeName: (code: string) => string;
}) {
  const { request, atTablet, typeName } = props;
  const state = request.state;
  const text =
    state === 'pending'
      ? t(atTablet ? 'waiting_tablet' : 'waiting')
      : t(`request_${state as Exclude<RequestState, 'pending'>}`);
  return (
    <p class={`state ${state}`} id="request-state" data-state={state} role="status">
      {text}
      {request.approved.length > 0 && `：${request.approved.map(typeName).join('、')}`}
    </p>
  );
}
