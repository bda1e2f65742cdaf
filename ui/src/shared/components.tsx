// Components shared by the counter console and the kiosk (and later the wallet).
import type { ComponentChildren, RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import QRCode from 'qrcode';
import { terminalApi } from './api';
import { HubError, loadIdentity, newIdentity, saveIdentity, Hub, type Identity } from './hub';
import { explain, setLang, t, useLang, currentLang } from './i18n';
import type { TerminalInfo } from './types';

export function Header(props: { title: string; terminal?: TerminalInfo; big?: boolean }) {
  useLang();
  return (
    <header class={props.big ? 'top big' : 'top'}>
      <div>
        <h1>{props.title}</h1>
        {props.terminal && (
          <p class="terminal">
            {props.terminal.name} · {props.terminal.place}
          </p>
        )}
      </div>
      <button type="button" class="lang" onClick={() => setLang(currentLang() === 'zh' ? 'en' : 'zh')}>
        {t('switch_lang')}
      </button>
    </header>
  );
}

/** An error from the hub, explained by its code, with a way on. */
export function ErrorBox(props: { error: unknown; onDismiss?: () => void }) {
  useLang();
  const e = props.error;
  const msg = e instanceof HubError ? explain(e.code, e.message) : String(e);
  const code = e instanceof HubError ? e.code : 'client';
  return (
    <div class="error" role="alert" data-code={code}>
      <span>{msg}</span>
      {props.onDismiss && (
        <button type="button" onClick={props.onDismiss}>
          {t('back')}
        </button>
      )}
    </div>
  );
}

/** A tick per certificate type (`codes`), the ticked ones in `chosen`: the counter's choice
 * and the tablet consent, the wallet's prompt and grant form. `after` adds to a type's label. */
export function CertChecks(props: {
  name: string;
  codes: string[];
  chosen: string[];
  onChange: (chosen: string[]) => void;
  typeName: (code: string) => string;
  disabled?: (code: string) => boolean;
  after?: (code: string) => ComponentChildren;
}) {
  const { name, codes, chosen, onChange, typeName } = props;
  const toggle = (code: string, on: boolean) => onChange(on ? [...chosen, code] : chosen.filter((c) => c !== code));
  return (
    <>
      {codes.map((code) => (
        <label class="check">
          <input
            type="checkbox"
            name={name}
            value={code}
            disabled={props.disabled?.(code)}
            checked={chosen.includes(code)}
            onChange={(e) => toggle(code, (e.target as HTMLInputElement).checked)}
          />
          {typeName(code)}
          {props.after && <> {props.after(code)}</>}
        </label>
      ))}
    </>
  );
}

/** A labelled text input (no autocomplete: these are ID numbers, names and one-time codes). */
export function TextField(props: { id: string; label: string; value: string; onValue: (v: string) => void }) {
  return (
    <>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        value={props.value}
        autocomplete="off"
        onInput={(e) => props.onValue((e.target as HTMLInputElement).value)}
      />
    </>
  );
}

export function Badge(props: { kind: 'ok' | 'warn' | 'bad' | 'info'; children: ComponentChildren }) {
  return <span class={`badge ${props.kind}`}>{props.children}</span>;
}

/** A QR code rendered as SVG (crisp at any size, high contrast). */
export function Qr(props: { text: string; label: string; size?: number }) {
  const [svg, setSvg] = useState('');
  useEffect(() => {
    QRCode.toString(props.text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }).then(setSvg);
  }, [props.text]);
  return (
    <div
      class="qr"
      role="img"
      aria-label={props.label}
      data-qr={props.text}
      style={{ width: props.size ?? 320 }}
      dangerouslySetInnerHTML={{ __html: svg }}
    />
  );
}

/** First run: register this terminal with the operator's one-time enrolment code. */
export function EnrolPanel(props: { slot: string; onDone: (id: Identity) => void }) {
  useLang();
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const id = await newIdentity();
      // Self-signed: the request is signed with the key it registers.
      const terminal = await terminalApi(new Hub(id)).enrol({
        enrolment_code: code.trim(),
        public_key: id.publicKey,
      });
      id.terminal = terminal;
      await saveIdentity(props.slot, id);
      props.onDone(id);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="panel narrow">
      <h2>{t('enrol_title')}</h2>
      <p>{t('enrol_hint')}</p>
      <form onSubmit={submit}>
        <label for="enrol-code">{t('enrol_code')}</label>
        <input
          id="enrol-code"
          value={code}
          onInput={(e) => setCode((e.target as HTMLInputElement).value)}
          autocomplete="off"
          required
        />
        <button type="submit" disabled={busy}>
          {t('enrol_button')}
        </button>
      </form>
      {error != null && <ErrorBox error={error} />}
    </main>
  );
}

/** A text field a USB scanner types into (code + Enter); keeps the focus. */
export function ScanField(props: {
  id: string;
  label: string;
  hint: string;
  button?: string;
  onScan: (code: string) => void;
  disabled?: boolean;
  big?: boolean;
}) {
  const ref = useRef<HTMLInputElement>(null);
  const [v, setV] = useState('');
  useEffect(() => ref.current?.focus(), [props.disabled]);
  return (
    <form
      class={props.big ? 'scan big' : 'scan'}
      onSubmit={(e) => {
        e.preventDefault();
        // Only strip what scanners add: base45 codes contain spaces.
        const code = v.replace(/^[\r\n\t]+|[\r\n\t]+$/g, '');
        if (code.trim()) props.onScan(code);
        setV('');
      }}
    >
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        ref={ref}
        value={v}
        disabled={props.disabled}
        onInput={(e) => setV((e.target as HTMLInputElement).value)}
        autocomplete="off"
        spellcheck={false}
        aria-describedby={`${props.id}-hint`}
      />
      <p id={`${props.id}-hint`} class="hint">
        {props.hint}
      </p>
      {props.button && (
        <button type="submit" disabled={props.disabled}>
          {props.button}
        </button>
      )}
    </form>
  );
}

/** Open the camera into `video` while `on`, and stop it when off or unmounted. Returns whether
 * the picture is live. `onFail` is called when there is no camera or access is refused. */
export function useCamera(
  on: boolean,
  facingMode: 'user' | 'environment',
  video: RefObject<HTMLVideoElement>,
  onFail: () => void,
): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (!on) return;
    let stream: MediaStream | null = null;
    let stopped = false;
    if (typeof navigator.mediaDevices?.getUserMedia !== 'function') {
      onFail();
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode, width: { ideal: 640 } } }).then(
      (s) => {
        if (stopped) return s.getTracks().forEach((x) => x.stop());
        stream = s;
        if (video.current) {
          video.current.srcObject = s;
          video.current.play().catch(() => undefined);
        }
        setReady(true);
      },
      () => stopped || onFail(),
    );
    return () => {
      stopped = true;
      setReady(false);
      stream?.getTracks().forEach((x) => x.stop());
    };
  }, [on]);
  return ready;
}

/** Decode a QR code in the page (jsQR). */
async function decodeInPage(c: HTMLCanvasElement): Promise<string | null> {
  const img = c.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, c.width, c.height);
  const { default: jsQR } = await import('jsqr');
  return jsQR(img.data, img.width, img.height, { inversionAttempts: 'dontInvert' })?.data ?? null;
}

/** Read codes from a camera: each frame goes to `decode` (by default jsQR in the page; the
 * wallet decodes in Rust) until one holds a Mianzheng code, which is handed on; the camera
 * then stops. The video's `data-tried` counts the frames that held none. */
export function CameraScan(props: {
  onScan: (code: string) => void;
  onError: (e: unknown) => void;
  decode?: (frame: HTMLCanvasElement) => Promise<string | null>;
}) {
  useLang();
  const [on, setOn] = useState(false);
  const [tried, setTried] = useState(0);
  const video = useRef<HTMLVideoElement>(null);
  const ready = useCamera(on, 'environment', video, () => {
    setOn(false);
    props.onError(new HubError(0, 'camera_unavailable', 'camera unavailable'));
  });
  useEffect(() => {
    if (!ready) return;
    let frame = 0;
    let stopped = false;
    const canvas = document.createElement('canvas');
    const decode = props.decode ?? decodeInPage;
    // One frame at a time: the next is taken when the last one's decoding has answered.
    const tick = async () => {
      const v = video.current;
      if (stopped || !v) return;
      if (v.readyState >= 2 && v.videoWidth) {
        const scale = Math.min(1, 640 / v.videoWidth);
        canvas.width = Math.round(v.videoWidth * scale);
        canvas.height = Math.round(v.videoHeight * scale);
        canvas.getContext('2d', { willReadFrequently: true })!.drawImage(v, 0, 0, canvas.width, canvas.height);
        const hit = await decode(canvas);
        if (stopped) return;
        if (hit?.startsWith('MZ:')) {
          setOn(false);
          props.onScan(hit);
          return;
        }
        setTried((n) => n + 1);
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => {
      stopped = true;
      cancelAnimationFrame(frame);
    };
  }, [ready]);
  return (
    <div class="camera">
      <button
        type="button"
        id="camera"
        class="secondary"
        onClick={() => {
          setTried(0);
          setOn(!on);
        }}
      >
        {on ? t('camera_stop') : t('camera')}
      </button>
      {on && (
        <>
          <video ref={video} id="camera-video" data-tried={tried} muted playsInline aria-label={t('camera_hint')} />
          <p class="hint">{t('camera_hint')}</p>
        </>
      )}
    </div>
  );
}

/** A terminal page: until this browser holds an enrolled terminal key, the enrolment panel;
 * then the page itself. */
export function TerminalGate(props: {
  slot: string;
  title: () => string;
  big?: boolean;
  children: (id: Identity) => ComponentChildren;
}) {
  useLang();
  const [id, setId] = useState<Identity | null | undefined>(undefined);
  useEffect(() => {
    loadIdentity(props.slot).then((v) => setId(v ?? null));
  }, []);
  if (id === undefined) return null;
  if (id === null || !id.terminal) {
    return (
      <>
        <Header title={props.title()} big={props.big} />
        <EnrolPanel slot={props.slot} onDone={setId} />
      </>
    );
  }
  return <>{props.children(id)}</>;
}
