// Live face check (实人): guide the person through the hub's challenge and film it continuously
// (a frame every 200 ms). The page only guides; the hub decides (one face, continuous movement,
// the moves in order, same person, matches the register's photo). Frames go straight to the hub
// and are not kept.
import { useRef, useState } from 'preact/hooks';
import { useCamera } from './components';
import { t, useLang } from './i18n';
import type { FaceChallenge, FaceStep } from './types';

export function stepText(s: FaceStep): string {
  return t(`film_${s}`);
}

/** Time between frames, and frames filmed per step (the hub wants continuous movement). */
const FRAME_MS = 200;
const FRAMES_PER_STEP = 8;
/** Closest frames may be to one another by their capture times (the hub's lower bound). */
const MIN_GAP_MS = 50;

/** The filmed frames and when each was taken (ms after the first). */
export type Filmed = { frames: string[]; capturedMs: number[] };

/** Capture times for frames chosen from files: spread over the time since the challenge came
 * (frames cannot have been filmed before it), 50–200 ms apart; waits if too little has passed. */
async function timesForFiles(n: number, since: number): Promise<number[]> {
  const needed = MIN_GAP_MS * (n - 1);
  const waited = performance.now() - since;
  if (waited < needed) await new Promise((r) => setTimeout(r, needed - waited));
  const gap = Math.max(MIN_GAP_MS, Math.min(FRAME_MS, Math.floor((performance.now() - since) / Math.max(1, n - 1))));
  return Array.from({ length: n }, (_, i) => i * gap);
}

function readAsDataUrl(f: File): Promise<string> {
  return new Promise((ok, bad) => {
    const r = new FileReader();
    r.onload = () => ok(String(r.result));
    r.onerror = () => bad(r.error);
    r.readAsDataURL(f);
  });
}

/** One JPEG frame from the video, at most 640 px wide, unmirrored (null: no picture yet). */
function grab(v: HTMLVideoElement): string | null {
  if (!v.videoWidth || !v.videoHeight) return null;
  const scale = Math.min(1, 640 / v.videoWidth);
  const c = document.createElement('canvas');
  c.width = Math.round(v.videoWidth * scale);
  c.height = Math.round(v.videoHeight * scale);
  c.getContext('2d')!.drawImage(v, 0, 0, c.width, c.height);
  return c.toDataURL('image/jpeg', 0.88);
}

export function FaceCapture(props: { challenge: FaceChallenge; busy: boolean; onFrames: (f: Filmed) => void }) {
  useLang();
  const steps = props.challenge.steps;
  const [mode, setMode] = useState<'camera' | 'files'>(
    typeof navigator.mediaDevices?.getUserMedia === 'function' ? 'camera' : 'files',
  );
  const [current, setCurrent] = useState(-1);
  const [files, setFiles] = useState<File[]>([]);
  const video = useRef<HTMLVideoElement>(null);
  const since = useRef(performance.now());

  const ready = useCamera(mode === 'camera', 'user', video, () => setMode('files'));

  const film = async () => {
    const v = video.current;
    if (!v) return;
    const frames: string[] = [];
    const capturedMs: number[] = [];
    let start = -1;
    for (let i = 0; i < steps.length; i++) {
      setCurrent(i);
      for (let k = 0; k < FRAMES_PER_STEP; k++) {
        await new Promise((r) => setTimeout(r, FRAME_MS));
        const f = grab(v);
        if (!f) {
          // The camera gives no picture: offer clip frames instead of sending empty ones.
          setCurrent(-1);
          setMode('files');
          return;
        }
        const now = Math.round(performance.now());
        if (start < 0) start = now;
        frames.push(f);
        capturedMs.push(now - start);
      }
    }
    setCurrent(-1);
    props.onFrames({ frames, capturedMs });
  };

  const sendFiles = async () => {
    const ordered = [...files].sort((a, b) => a.name.localeCompare(b.name));
    const frames = await Promise.all(ordered.map(readAsDataUrl));
    props.onFrames({ frames, capturedMs: await timesForFiles(frames.length, since.current) });
  };
  const { frames_min: min, frames_max: max } = props.challenge;

  return (
    <section class="face-capture" id="face-capture" aria-live="polite">
      <ol class="face-steps">
        {steps.map((s, i) => (
          <li class={i === current ? 'on' : ''} data-step={s}>
            {stepText(s)}
          </li>
        ))}
      </ol>
      {mode === 'camera' ? (
        <>
          <p class="hint">{t('film_guide')}</p>
          <div class="face-video">
            <video ref={video} muted playsInline aria-hidden="true" />
            {current >= 0 && (
              <div class="face-prompt" role="status" id="face-prompt">
                <strong>{stepText(steps[current])}</strong>
                <span>
                  {t('film_filming', { i: current + 1, n: steps.length })} · {t('film_hold')}
                </span>
              </div>
            )}
          </div>
          <div class="actions">
            <button type="button" id="face-start" disabled={!ready || current >= 0 || props.busy} onClick={film}>
              {props.busy ? t('film_sending') : t('film_start')}
            </button>
            {ready && (
              <button type="button" class="secondary" id="face-use-files" onClick={() => setMode('files')}>
                {t('film_use_files')}
              </button>
            )}
          </div>
        </>
      ) : (
        <>
          <p class="hint">{t('film_no_camera')}</p>
          <p>
            <label for="face-files">{t('film_frames_label', { min, max })}</label>
            <input
              id="face-files"
              type="file"
              multiple
              accept="image/jpeg,image/png"
              onChange={(e) => setFiles([...((e.target as HTMLInputElement).files ?? [])])}
            />
          </p>
          <button
            type="button"
            id="face-send"
            disabled={props.busy || files.length < min || files.length > max}
            onClick={sendFiles}
          >
            {props.busy ? t('film_sending') : t('film_send')}
          </button>
        </>
      )}
    </section>
  );
}
