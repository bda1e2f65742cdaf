// A counter confirms a new wallet device (实名 + 实人 in person): the staff check the resident ID
// card against the person, enter its number, and scan the code the new device shows.
import { useState } from 'preact/hooks';
import { ErrorBox, TextField } from '../shared/components';
import { idProblem } from '../shared/idcheck';
import type { HubApi } from '../shared/api';
import { t, useLang } from '../shared/i18n';
import type { DeviceConfirmed, DevicesRemoved } from '../shared/types';

export function DeviceDesk({ api }: { api: HubApi }) {
  useLang();
  const [idNumber, setIdNumber] = useState('');
  const [code, setCode] = useState('');
  const [done, setDone] = useState<DeviceConfirmed | null>(null);
  const [removed, setRemoved] = useState<DevicesRemoved | null>(null);
  const [error, setError] = useState<unknown>(null);
  const removeAll = async () => {
    setError(null);
    setDone(null);
    setRemoved(null);
    try {
      const body = { id_number: idNumber.trim().toUpperCase() };
      setRemoved(await api.removeDevices(body));
    } catch (err) {
      setError(err);
    }
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setRemoved(null);
    setDone(null);
    try {
      const body = { counter_code: code.trim(), id_number: idNumber.trim().toUpperCase() };
      setDone(await api.confirmDevice(body));
      setCode('');
      setIdNumber('');
    } catch (err) {
      setError(err);
    }
  };
  return (
    <details class="panel" id="device-desk">
      <summary>{t('desk_title')}</summary>
      <p class="hint">{t('desk_hint')}</p>
      <form onSubmit={submit}>
        <TextField id="desk-id" label={t('desk_id')} value={idNumber} onValue={setIdNumber} />
        <TextField id="desk-code" label={t('desk_code')} value={code} onValue={setCode} />
        <button type="submit" id="desk-go" disabled={!!idProblem(idNumber.trim()) || !code.trim()}>
          {t('desk_go')}
        </button>
      </form>
      <button
        type="button"
        class="secondary"
        id="desk-remove"
        disabled={!!idProblem(idNumber.trim())}
        onClick={removeAll}
      >
        {t('desk_remove')}
      </button>
      {removed && (
        <p role="status" id="desk-removed">
          {t('desk_removed', { name: removed.holder_name_masked, n: removed.removed })}
        </p>
      )}
      {done && (
        <p role="status" id="desk-done">
          {t('desk_done', { name: done.holder_name_masked, label: done.device_label })}
        </p>
      )}
      {error != null && <ErrorBox error={error} />}
    </details>
  );
}
