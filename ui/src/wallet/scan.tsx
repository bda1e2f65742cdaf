// Scanning a kiosk's login code (扫码登录): the camera, or a photo of the code decoded in Rust;
// who the kiosk is, then approve with the PIN.
import { useState } from 'preact/hooks';
import { commands } from './commands';
import { CameraScan, TextField } from '../shared/components';
import { t, useLang } from '../shared/i18n';
import type { TerminalInfo } from '../shared/types';
import { Err, PinInput } from './parts';

export function Scan() {
  useLang();
  const [text, setText] = useState('');
  const [terminal, setTerminal] = useState<TerminalInfo | null>(null);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const read = async (code: string) => {
    setError(null);
    setTerminal(null);
    setDone(null);
    try {
      setText(code);
      setTerminal(await commands.readLoginCode({ text: code }));
    } catch (e) {
      setError(e);
    }
  };
  const fromFile = async (f: File) => {
    try {
      await read(await commands.decodeImage({ bytes: Array.from(new Uint8Array(await f.arrayBuffer())) }));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <main class="panel" id="scan">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          read(text.replace(/^[\r\n\t]+|[\r\n\t]+$/g, ''));
        }}
      >
        <TextField id="paste" label={t('paste')} value={text} onValue={setText} />
        <button type="submit">{t('read')}</button>
      </form>
      <CameraScan onScan={read} onError={setError} decode={decodeInRust} />
      <label for="image">{t('from_image')}</label>
      <input
        id="image"
        type="file"
        accept="image/png,image/jpeg"
        onChange={(e) => {
          const f = (e.target as HTMLInputElement).files?.[0];
          if (f) fromFile(f);
        }}
      />
      <Err e={error} />
      {terminal && !done && (
        <div class="login-ask" id="login-ask">
          <h2>{t('login_to', { name: terminal.name })}</h2>
          <p>
            {t('place')}：{terminal.place}（{terminal.department}）
          </p>
          <label for="login-pin">{t('enter_pin')}</label>
          <PinInput id="login-pin" value={pin} onValue={setPin} />
          <button
            type="button"
            id="login-go"
            disabled={pin.length !== 6}
            onClick={async () => {
              try {
                setDone(await commands.approveLogin({ text, pin }));
              } catch (e) {
                setError(e);
              }
            }}
          >
            {t('login_go')}
          </button>
        </div>
      )}
      {done && (
        <p role="status" id="login-done">
          {t('logged_in', { name: done })}
        </p>
      )}
    </main>
  );
}

/** Send filmed frames; the hub decides. */

/** A camera frame decoded in Rust (rqrr), as the image files are. */
export async function decodeInRust(frame: HTMLCanvasElement): Promise<string | null> {
  const blob = await new Promise<Blob | null>((ok) => frame.toBlob(ok, 'image/jpeg', 0.9));
  if (!blob) return null;
  return commands.decodeImage({ bytes: Array.from(new Uint8Array(await blob.arrayBuffer())) }).catch(() => null);
}
