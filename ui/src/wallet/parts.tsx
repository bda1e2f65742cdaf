// Pieces the wallet's screens share: errors explained in the window's language, and the
// holder's own face check (实人), which also confirms a pending device.
import { useState } from 'preact/hooks';
import { commands } from './commands';
import { Badge } from '../shared/components';
import { explain as explainCode, t, useLang } from '../shared/i18n';
import { FaceCapture, type Filmed } from '../shared/face';
import type { FaceChallenge, FaceOutcome } from '../shared/types';
import type { CmdError, ShownCode } from './commands';

/** A code shown large as its QR code (SVG rendered in Rust), the text in `data-code`. */
export function BigQr(props: { id: string; label: string; code: ShownCode }) {
  return (
    <div
      class="big-qr"
      id={props.id}
      role="img"
      aria-label={props.label}
      data-code={props.code.code}
      dangerouslySetInnerHTML={{ __html: props.code.svg }}
    />
  );
}

export function explain(e: unknown): string {
  const err = e as CmdError | undefined;
  return err?.code ? explainCode(err.code, err.message) : String(e);
}

export function Err({ e }: { e: unknown }) {
  return e ? (
    <div class="error" role="alert" data-code={(e as CmdError).code}>
      {explain(e)}
    </div>
  ) : null;
}

/** The 6-digit PIN field every PIN-gated action uses. */
export function PinInput(props: { id: string; value: string; onValue: (v: string) => void }) {
  return (
    <input
      id={props.id}
      type="password"
      inputMode="numeric"
      maxLength={6}
      value={props.value}
      onInput={(e) => props.onValue((e.target as HTMLInputElement).value)}
    />
  );
}

/** The PIN before any code is shown; `onUnlocked` then shows it. */
export function PinGate({ onUnlocked }: { onUnlocked: () => void }) {
  useLang();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await commands.unlock({ pin });
      setPin('');
      onUnlocked();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="pin-gate" id="pin-gate" onSubmit={submit}>
      <label for="code-pin">{t('code_pin')}</label>
      <PinInput id="code-pin" value={pin} onValue={setPin} />
      <button type="submit" id="code-unlock" disabled={pin.length !== 6}>
        {t('code_unlock')}
      </button>
      <Err e={error} />
    </form>
  );
}

/** Whether an error says the PIN is needed first. */
export const needsPin = (e: unknown) => (e as CmdError | null)?.code === 'pin_required';

export function useFaceCheck(onPassed: (o: FaceOutcome) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const send = async (challenge: FaceChallenge, f: Filmed) => {
    setBusy(true);
    setError(null);
    try {
      onPassed(await commands.faceFrames({ challenge, frames: f.frames, capturedMs: f.capturedMs }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, send };
}

export function OwnFaceCheck({ assurance, onPassed }: { assurance: string | null; onPassed?: () => void }) {
  useLang();
  const [level, setLevel] = useState(assurance);
  const [challenge, setChallenge] = useState<FaceChallenge | null>(null);
  const f = useFaceCheck((o) => {
    setLevel(o.assurance ?? level);
    setChallenge(null);
    onPassed?.();
  });
  const start = () => commands.faceChallenge().then(setChallenge, f.setError);
  const done = level === 'real_name_real_person';
  return (
    <section id="own-face">
      <p>
        {t('assurance')}：<Badge kind={done ? 'ok' : 'warn'}>{done ? t('as_real_person') : t('as_real_name')}</Badge>
      </p>
      {!done && !challenge && (
        <button type="button" id="own-face-go" onClick={start}>
          {t('face_go')}
        </button>
      )}
      {challenge && <FaceCapture challenge={challenge} busy={f.busy} onFrames={(fr) => f.send(challenge, fr)} />}
      <Err e={f.error} />
      {f.error != null && challenge && (
        <button type="button" class="secondary" onClick={start}>
          {t('again')}
        </button>
      )}
      {done && assurance !== level && (
        <p role="status" id="own-face-done">
          {t('face_done')}
        </p>
      )}
    </section>
  );
}
