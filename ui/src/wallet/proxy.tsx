// Applying for someone else (高龄津贴代办): the elderly person's details, their live face check
// on this device, and the applications filed.
import { useEffect, useState } from 'preact/hooks';
import { commands } from './commands';
import { Badge, TextField } from '../shared/components';
import { idProblem } from '../shared/idcheck';
import { t, useLang, type Key } from '../shared/i18n';
import { FaceCapture } from '../shared/face';
import type { ApplicationView, ProxyApplicationCreated } from '../shared/types';
import { Err, useFaceCheck } from './parts';

export function Proxy() {
  useLang();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [open, setOpen] = useState<ProxyApplicationCreated | null>(null);
  const [filed, setFiled] = useState<ApplicationView | null>(null);
  const [mine, setMine] = useState<ApplicationView[]>([]);
  const [error, setError] = useState<unknown>(null);
  const reload = () => commands.proxyApplications().then(setMine, () => undefined);
  useEffect(() => {
    reload();
  }, []);
  const f = useFaceCheck((o) => {
    setFiled(o.application ?? null);
    setOpen(null);
    setId('');
    setName('');
    reload();
  });
  const problem = id ? idProblem(id) : 'length';
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    f.setError(null);
    setFiled(null);
    try {
      setOpen(
        await commands.proxyApplication({
          matter: 'elderly_allowance',
          idNumber: id.trim().toUpperCase(),
          name: name.trim(),
        }),
      );
    } catch (err) {
      setError(err);
    }
  };
  return (
    <main class="panel" id="proxy">
      <h2>{t('proxy_title')}</h2>
      <p class="hint">{t('proxy_hint')}</p>
      {!open && (
        <form onSubmit={submit} id="proxy-form">
          <label for="elder-id">{t('elder_id')}</label>
          <input
            id="elder-id"
            value={id}
            autocomplete="off"
            aria-describedby="elder-id-hint"
            onInput={(e) => setId((e.target as HTMLInputElement).value)}
          />
          <p id="elder-id-hint" class={id.length >= 18 && problem ? 'hint bad' : 'hint'}>
            {id && problem && problem !== 'length' ? t(`id_${problem}` as Key) : ''}
          </p>
          <TextField id="elder-name" label={t('elder_name')} value={name} onValue={setName} />
          <button type="submit" id="proxy-go" disabled={!!problem || !name.trim()}>
            {t('proxy_go')}
          </button>
        </form>
      )}
      <Err e={error} />
      {open && (
        <>
          <p>
            {open.application.matter_name} · {open.application.applicant_masked} ·{' '}
            {t('age', { n: open.application.applicant_age })}
          </p>
          <FaceCapture challenge={open.challenge} busy={f.busy} onFrames={(fr) => f.send(open.challenge, fr)} />
          <Err e={f.error} />
          {f.error != null && (
            <button
              type="button"
              class="secondary"
              id="proxy-again"
              onClick={() => {
                setOpen(null);
                f.setError(null);
              }}
            >
              {t('again')}
            </button>
          )}
        </>
      )}
      {filed && (
        <div role="status" id="proxy-filed" class="done">
          <p>
            <Badge kind="ok">{t('st_filed')}</Badge> {t('filed', { matter: filed.matter_name, dept: filed.department })}
          </p>
          <p>
            {t('released_certs')}：{filed.released.map((r) => r.name).join('、')}
          </p>
        </div>
      )}
      <h2>{t('my_proxies')}</h2>
      {mine.length === 0 && <p>{t('none')}</p>}
      <ul id="my-proxies">
        {mine.map((a) => (
          <li data-state={a.state}>
            {a.matter_name} · {a.applicant_masked} ·{' '}
            <Badge kind={a.state === 'filed' ? 'ok' : 'warn'}>{t(`st_${a.state}` as Key)}</Badge> ·{' '}
            {new Date(a.created_at * 1000).toLocaleString()}
          </li>
        ))}
      </ul>
    </main>
  );
}
