// This device while it waits for confirmation, the holder's devices in settings, and the
// prompt every device shows when a new one is enrolled for the holder.
import { useEffect, useState } from 'preact/hooks';
import { commands } from './commands';
import { Badge } from '../shared/components';
import { t, useLang, type Key } from '../shared/i18n';
import type { DeviceList, DeviceView } from '../shared/types';
import type { ShownCode, Status } from './commands';
import { Err, OwnFaceCheck, PinInput } from './parts';

const when = (t: number) => new Date(t * 1000).toLocaleString();

/** A pending device: the ways to confirm it, its counter code, and a check every few seconds. */
export function PendingDevice({ status, onConfirmed }: { status: Status; onConfirmed: () => void }) {
  useLang();
  const [code, setCode] = useState<ShownCode | null>(null);
  const [error, setError] = useState<unknown>(null);
  const ways = status.pending?.confirm_by ?? ['counter'];
  const check = () =>
    commands
      .sync()
      .then(() => commands.status())
      .then((s) => s.device_state === 'active' && onConfirmed())
      .catch(setError);
  useEffect(() => {
    commands.counterCode().then(setCode, setError);
    const timer = setInterval(check, 3000);
    return () => clearInterval(timer);
  }, []);
  const hours = status.pending
    ? Math.max(1, Math.round((status.pending.counter_code_expires_at - Date.now() / 1000) / 3600))
    : 24;
  return (
    <main class="panel" id="pending-device" data-state={status.device_state ?? ''}>
      <h2>{t('pending_title')}</h2>
      <p>{t('pending_note')}</p>
      <ol class="ways">
        {ways.includes('face') && (
          <li id="way-face">
            <h3>{t('pending_face')}</h3>
            <OwnFaceCheck assurance={status.assurance} onPassed={check} />
          </li>
        )}
        {ways.includes('other_device') && (
          <li id="way-other">
            <h3>{t('pending_other')}</h3>
          </li>
        )}
        <li id="way-counter">
          <h3>{t('pending_counter')}</h3>
          {code && (
            <figure class="qr">
              <div dangerouslySetInnerHTML={{ __html: code.svg }} />
              <figcaption>
                {t('pending_counter_code', { h: hours })}: <code id="counter-code">{code.code}</code>
              </figcaption>
            </figure>
          )}
        </li>
      </ol>
      <p role="status">{t('pending_waiting')}</p>
      <button type="button" id="pending-check" onClick={check}>
        {t('pending_check')}
      </button>
      <Err e={error} />
    </main>
  );
}

function DeviceRow({ d, act }: { d: DeviceView; act: (what: 'approve' | 'remove', d: DeviceView) => void }) {
  const kind = d.state === 'active' ? 'ok' : d.state === 'pending' ? 'warn' : 'bad';
  return (
    <li class="device" data-key={d.key_id} data-state={d.state} data-this={String(d.this_device)}>
      <strong>{d.label}</strong> {d.this_device && <em>({t('device_this')})</em>}{' '}
      <Badge kind={kind}>{t(`device_state_${d.state}` as Key)}</Badge>
      <br />
      <small>
        {t('device_added_at', { t: when(d.created_at) })}
        {d.last_used_at != null && ` · ${t('device_used_at', { t: when(d.last_used_at) })}`}
      </small>
      <div>
        {d.state === 'pending' && (
          <button type="button" class="device-approve" onClick={() => act('approve', d)}>
            {t('device_approve')}
          </button>
        )}
        {d.state !== 'removed' && (
          <button type="button" class="secondary device-remove" onClick={() => act('remove', d)}>
            {t('device_remove')}
          </button>
        )}
      </div>
    </li>
  );
}

/** Approve or remove one device behind the PIN; returns the new list. */
function useDeviceAction(onList: (l: DeviceList) => void) {
  const [pin, setPin] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<Key | null>(null);
  const act = async (what: 'approve' | 'remove', d: DeviceView) => {
    setError(null);
    setDone(null);
    try {
      const args = { keyId: d.key_id, pin };
      onList(await (what === 'approve' ? commands.approveDevice(args) : commands.removeDevice(args)));
      setDone(what === 'approve' ? 'device_approved_done' : 'device_removed_done');
      setPin('');
    } catch (e) {
      setError(e);
    }
  };
  return { pin, setPin, error, done, act };
}

function PinField({ id, pin, setPin }: { id: string; pin: string; setPin: (p: string) => void }) {
  return (
    <>
      <label for={id}>{t('device_pin')}</label>
      <PinInput id={id} value={pin} onValue={setPin} />
    </>
  );
}

/** Settings: every device of mine, with approve (pending) and remove. */
export function Devices() {
  useLang();
  const [list, setList] = useState<DeviceList | null>(null);
  const a = useDeviceAction(setList);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    commands.devices().then(setList, setError);
  }, []);
  return (
    <section id="devices">
      <h3>{t('devices')}</h3>
      <ul class="devices">
        {list?.devices.map((d) => (
          <DeviceRow d={d} act={a.act} />
        ))}
      </ul>
      <PinField id="devices-pin" pin={a.pin} setPin={a.setPin} />
      {a.done && (
        <p role="status" id="devices-done">
          {t(a.done)}
        </p>
      )}
      <Err e={a.error ?? error} />
    </section>
  );
}

/** On every active device: a new device was enrolled for me; approve it or remove it. */
export function NewDevicePrompt({ device, onDone }: { device: { key_id: string; label: string }; onDone: () => void }) {
  useLang();
  const a = useDeviceAction(() => undefined);
  const row: DeviceView = {
    key_id: device.key_id,
    label: device.label,
    state: 'pending',
    created_at: 0,
    last_used_at: null,
    confirmed_by: null,
    this_device: false,
  };
  return (
    <div class="modal" role="dialog" aria-modal="true" aria-labelledby="new-device-title" id="new-device">
      <div class="panel">
        <h2 id="new-device-title">{t('device_new_title')}</h2>
        <p>{t('device_new_body', { label: device.label })}</p>
        <PinField id="new-device-pin" pin={a.pin} setPin={a.setPin} />
        <div class="actions">
          <button type="button" id="new-device-approve" onClick={() => a.act('approve', row)}>
            {t('device_approve')}
          </button>
          <button type="button" class="secondary" id="new-device-remove" onClick={() => a.act('remove', row)}>
            {t('device_remove')}
          </button>
        </div>
        {a.done && (
          <p role="status" id="new-device-done">
            {t(a.done)}
          </p>
        )}
        {a.done && (
          <button type="button" id="new-device-close" onClick={onDone}>
            OK
          </button>
        )}
        <Err e={a.error} />
      </div>
    </div>
  );
}
