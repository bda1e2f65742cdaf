// Live face check (实人): guide the person through the hub's challenge and film one frame per
// step. The page only guides; the hub decides (one face, the moves in order, same person,
// matches the register's photo). Frames go straight to the hub and are not kept.
import { useRef, useState } from 'preact/hooks';
import { useCamera } from './components';
import { currentLang, useLang } from './i18n';
import type { FaceChallenge, FaceStep } from './types';

const text = {
  zh: {
    front: '请正视镜头',
    turn_left: '请慢慢向左转头',
    turn_right: '请慢慢向右转头',
    start: '开始人脸核验',
    filming: '第 {i}/{n} 步',
    hold: '{s} 秒后拍摄',
    no_camera: '没有可用的摄像头：请为每一步选择一张照片（按顺序）。',
    use_files: '改为选择照片',
    step_photo: '第 {i} 步（{what}）的照片',
    send: '提交核验',
    guide: '请让被核验人面对摄像头，光线充足，画面中只有一张脸。按提示依次完成动作。',
    sending: '正在核验…',
  },
  en: {
    front: 'Look straight at the camera',
    turn_left: 'Slowly turn your head to your left',
    turn_right: 'Slowly turn your head to your right',
    start: 'Start the face check',
    filming: 'Step {i} of {n}',
    hold: 'photo in {s} s',
    no_camera: 'No camera available: choose one photo for each step, in order.',
    use_files: 'Choose photos instead',
    step_photo: 'Photo for step {i} ({what})',
    send: 'Send for checking',
    guide: 'Face the camera in good light, with only one face in view. Follow the prompts in turn.',
    sending: 'Checking…',
  },
};
type Key = keyof typeof text.zh;
function t(k: Key, vars: Record<string, string | number> = {}) {
  let s = text[currentLang()][k];
  for (const [a, b] of Object.entries(vars)) s = s.replace(`{${a}}`, String(b));
  return s;
}

export function stepText(s: FaceStep): string {
  return t(s as Key);
}

/** Seconds the person gets to perform each step before its frame is taken. */
const STEP_SECS = 3;

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

export function FaceCapture(props: { challenge: FaceChallenge; busy: boolean; onFrames: (frames: string[]) => void }) {
  useLang();
  const steps = props.challenge.steps;
  const [mode, setMode] = useState<'camera' | 'files'>(
    typeof navigator.mediaDevices?.getUserMedia === 'function' ? 'camera' : 'files',
  );
  const [current, setCurrent] = useState(-1);
  const [left, setLeft] = useState(STEP_SECS);
  const [files, setFiles] = useState<(File | null)[]>(steps.map(() => null));
  const video = useRef<HTMLVideoElement>(null);

  const ready = useCamera(mode === 'camera', 'user', video, () => setMode('files'));

  const film = async () => {
    const v = video.current;
    if (!v) return;
    const frames: string[] = [];
    for (let i = 0; i < steps.length; i++) {
      setCurrent(i);
      for (let s = STEP_SECS; s > 0; s--) {
        setLeft(s);
        await new Promise((r) => setTimeout(r, 1000));
      }
      const f = grab(v);
      if (!f) {
        // The camera gives no picture: offer photos instead of sending empty frames.
        setCurrent(-1);
        setMode('files');
        return;
      }
      frames.push(f);
    }
    setCurrent(-1);
    props.onFrames(frames);
  };

  const sendFiles = async () => {
    props.onFrames(await Promise.all(files.map((f) => readAsDataUrl(f!))));
  };

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
          <p class="hint">{t('guide')}</p>
          <div class="face-video">
            <video ref={video} muted playsInline aria-hidden="true" />
            {current >= 0 && (
              <div class="face-prompt" role="status" id="face-prompt">
                <strong>{stepText(steps[current])}</strong>
                <span>
                  {t('filming', { i: current + 1, n: steps.length })} · {t('hold', { s: left })}
                </span>
              </div>
            )}
          </div>
          <div class="actions">
            <button type="button" id="face-start" disabled={!ready || current >= 0 || props.busy} onClick={film}>
              {props.busy ? t('sending') : t('start')}
            </button>
            {ready && (
              <button type="button" class="secondary" id="face-use-files" onClick={() => setMode('files')}>
                {t('use_files')}
              </button>
            )}
          </div>
        </>
      ) : (
        <>
          <p class="hint">{t('no_camera')}</p>
          {steps.map((s, i) => (
            <p>
              <label for={`face-file-${i}`}>{t('step_photo', { i: i + 1, what: stepText(s) })}</label>
              <input
                id={`face-file-${i}`}
                type="file"
                accept="image/jpeg,image/png"
                onChange={(e) => {
                  const f = (e.target as HTMLInputElement).files?.[0] ?? null;
                  setFiles((x) => x.map((y, j) => (j === i ? f : y)));
                }}
              />
            </p>
          ))}
          <button type="button" id="face-send" disabled={props.busy || files.some((f) => !f)} onClick={sendFiles}>
            {props.busy ? t('sending') : t('send')}
          </button>
        </>
      )}
    </section>
  );
}
