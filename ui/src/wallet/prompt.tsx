// A counter's or kiosk's request for certificates: which, for what matter, by whom; the holder
// approves some or all (with the PIN) or refuses.
import { CertChecks } from '../shared/components';
import { useState } from 'preact/hooks';
import { commands } from './commands';
import { t, useLang } from '../shared/i18n';
import type { AuthRequestView } from '../shared/types';
import { Err, PinInput } from './parts';
import { typeName } from './catalogue';

export function Prompt({ req, onDone }: { req: AuthRequestView; onDone: () => void }) {
  useLang();
  const [chosen, setChosen] = useState<string[]>(req.cert_types);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  // How many decisions the wallet has answered (data-answers: each try is visible).
  const [answers, setAnswers] = useState(0);
  // One decision at a time: a second click while the first is answered would send it twice.
  const [sending, setSending] = useState(false);
  const send = async (approve: string[]) => {
    setError(null);
    setSending(true);
    try {
      const r = await commands.decide({ requestId: req.request_id, approve, pin });
      setDone(r.state === 'refused' ? t('you_refused') : t('approved_n', { n: r.approved.length }));
      setTimeout(onDone, 1500);
    } catch (e) {
      setError(e);
    } finally {
      setSending(false);
      setAnswers((n) => n + 1);
    }
  };
  return (
    <div class="modal" role="dialog" aria-modal="true" aria-labelledby="prompt-h" id="prompt" data-answers={answers}>
      <div class="panel">
        <h2 id="prompt-h">{t('prompt')}</h2>
        <dl>
          <dt>{t('requester')}</dt>
          <dd id="prompt-requester">
            {req.requester.name}（{req.requester.department}）
          </dd>
          <dt>{t('place')}</dt>
          <dd>{req.requester.place}</dd>
          <dt>{t('matter')}</dt>
          <dd id="prompt-matter">{req.matter_name}</dd>
        </dl>
        <p>{req.archive ? t('archive_yes') : t('archive_no')}</p>
        <fieldset>
          <CertChecks name="approve" codes={req.cert_types} chosen={chosen} onChange={setChosen} typeName={typeName} />
        </fieldset>
        <label for="prompt-pin">{t('enter_pin')}</label>
        <PinInput id="prompt-pin" value={pin} onValue={setPin} />
        <Err e={error} />
        {done ? (
          <p role="status" id="prompt-done">
            {done}
          </p>
        ) : (
          <div class="actions">
            <button type="button" id="approve" disabled={sending || pin.length !== 6} onClick={() => send(chosen)}>
              {t('approve')}
            </button>
            <button
              type="button"
              id="refuse"
              class="secondary"
              disabled={sending || pin.length !== 6}
              onClick={() => send([])}
            >
              {t('refuse')}
            </button>
            <button type="button" id="prompt-later" class="secondary" onClick={onDone}>
              {t('later')}
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
