// A holder without a phone: staff enter the ID number and name, then a live face check at this
// counter stands for the holder's code (窗口刷脸).
import { TextField } from '../shared/components';
import { useState } from 'preact/hooks';
import type { HubApi } from '../shared/api';
import { FaceCapture, type Filmed } from '../shared/face';
import { idProblem } from '../shared/idcheck';
import { t } from '../shared/i18n';
import type { FaceChallenge, Redemption } from '../shared/types';

type Props = {
  api: HubApi;
  busy: boolean;
  act: (f: () => Promise<void>) => Promise<void>;
  onPassed: (r: Redemption) => void;
  onCancel: () => void;
};

export function NoPhoneCheck({ api, busy, act, onPassed, onCancel }: Props) {
  const [faceId, setFaceId] = useState('');
  const [faceName, setFaceName] = useState('');
  // 法人刷脸: the enterprise this person represents, when they act for it.
  const [enterprise, setEnterprise] = useState('');
  const [challenge, setChallenge] = useState<FaceChallenge | null>(null);
  const start = (e: Event) => {
    e.preventDefault();
    return act(async () =>
      setChallenge(
        await api.startFaceCheck({
          id_number: faceId.trim().toUpperCase(),
          name: faceName.trim(),
          enterprise: enterprise.trim().toUpperCase() || null,
        }),
      ),
    );
  };
  const send = (f: Filmed) =>
    act(async () => {
      if (!challenge) return;
      const o = await api.sendFaceFrames(challenge.id, {
        nonce: challenge.nonce,
        frames: f.frames.map((x) => x.split('base64,')[1] ?? x),
        captured_ms: f.capturedMs,
      });
      setChallenge(null);
      onPassed(o.redemption!);
    });
  return (
    <div class="face-check" id="face-check">
      <h3>{t('face_check_title')}</h3>
      {challenge ? (
        <FaceCapture challenge={challenge} busy={busy} onFrames={send} />
      ) : (
        <form onSubmit={start}>
          <TextField id="face-id" label={t('id_number')} value={faceId} onValue={setFaceId} />
          <TextField id="face-name" label={t('name')} value={faceName} onValue={setFaceName} />
          <TextField id="face-enterprise" label={t('face_enterprise')} value={enterprise} onValue={setEnterprise} />
          <p class="hint">{t('face_enterprise_hint')}</p>
          <div class="actions">
            <button type="submit" id="face-begin" disabled={busy || !!idProblem(faceId) || !faceName.trim()}>
              {t('face_start')}
            </button>
            <button type="button" class="secondary" onClick={onCancel}>
              {t('back')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
