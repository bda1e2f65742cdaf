// Enrolment (实名): ID number, name and a PIN; the hub checks them against the population register.
import { TextField } from '../shared/components';
import { useState } from 'preact/hooks';
import { commands } from './commands';
import { idProblem } from '../shared/idcheck';
import { t, useLang, type Key } from '../shared/i18n';
import { Err, PinInput } from './parts';

export function Enrol({ onDone }: { onDone: () => void }) {
  useLang();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [pin2, setPin2] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const problem = id ? idProblem(id) : null;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (pin !== pin2) return setError({ code: 'pin_mismatch', message: '' });
    setBusy(true);
    setError(null);
    try {
      await commands.enrol({ idNumber: id.trim().toUpperCase(), name: name.trim(), pin });
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="panel" id="enrol">
      <h2>{t('enrol')}</h2>
      <form onSubmit={submit}>
        <label for="id">{t('resident_id_number')}</label>
        <input
          id="id"
          value={id}
          inputMode="text"
          autocomplete="off"
          aria-invalid={!!problem && id.length >= 18}
          aria-describedby="id-hint"
          onInput={(e) => setId((e.target as HTMLInputElement).value)}
        />
        <p id="id-hint" class={problem && (id.length >= 18 || problem === 'chars') ? 'hint bad' : 'hint'}>
          {problem ? t(`id_${problem}` as Key) : id ? '✓' : ''}
        </p>
        <TextField id="name" label={t('name')} value={name} onValue={setName} />
        <label for="pin">{t('pin')}</label>
        <PinInput id="pin" value={pin} onValue={setPin} />
        <label for="pin2">{t('pin2')}</label>
        <PinInput id="pin2" value={pin2} onValue={setPin2} />
        <p class="hint">{t('enrol_note')}</p>
        <button type="submit" id="enrol-go" disabled={busy || !!problem || !name.trim() || pin.length !== 6}>
          {t('enrol_go')}
        </button>
      </form>
      <Err e={error} />
    </main>
  );
}
