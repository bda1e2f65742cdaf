// 部门工作台: a department's staff console. What the department issued, the objections to
// resolve (seed 004), the applications it received (高龄津贴, seed 000) and its archive records
// (预归档). The browser holds the console's key, registered with the operator's one-time code.
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { departmentApi } from '../shared/api';
import type { ArchiveRecord, ArchiveSummary, ObjectionView, PublicCertificate } from '../shared/bindings';
import { Badge, ErrorBox, Header, TerminalGate, TextField } from '../shared/components';
import { Hub, type Identity } from '../shared/hub';
import { t, useLang } from '../shared/i18n';
import type { ApplicationView } from '../shared/types';
import '../shared/style.css';

type Api = ReturnType<typeof departmentApi>;

const day = (s: number | null | undefined) => (s ? new Date(s * 1000).toLocaleDateString() : '—');

function App() {
  return (
    <TerminalGate slot="dept" title={() => t('dept_title')}>
      {(id) => <Console id={id} />}
    </TerminalGate>
  );
}

/** One list of the department's, read when the page opens and again after a change. */
function useList<T>(read: () => Promise<T[]>, setError: (e: unknown) => void) {
  const [items, setItems] = useState<T[] | null>(null);
  const reload = () => read().then(setItems, setError);
  useEffect(() => void reload(), []);
  return { items, reload };
}

function Console({ id }: { id: Identity }) {
  useLang();
  const api = useMemo(() => departmentApi(new Hub(id)), [id]);
  const [error, setError] = useState<unknown>(null);
  return (
    <>
      <Header title={t('dept_title')} terminal={id.terminal} />
      {error != null && <ErrorBox error={error} onDismiss={() => setError(null)} />}
      <main class="dept">
        <Objections api={api} setError={setError} />
        <Applications api={api} setError={setError} />
        <Archives api={api} setError={setError} />
        <Issued api={api} setError={setError} />
      </main>
    </>
  );
}

type Part = { api: Api; setError: (e: unknown) => void };

function Issued({ api, setError }: Part) {
  const { items } = useList<PublicCertificate>(api.issued, setError);
  return (
    <section class="panel" id="issued" aria-labelledby="issued-h" data-count={items?.length}>
      <h2 id="issued-h">{t('dept_issued')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('cert_numbers')}</th>
            <th scope="col">{t('col_certificate')}</th>
            <th scope="col">{t('col_holder')}</th>
            <th scope="col">{t('dept_status')}</th>
          </tr>
        </thead>
        <tbody>
          {items?.map(({ certificate: { body }, status }) => (
            <tr data-type={body.type_code}>
              <td>{body.number}</td>
              <td>{body.name}</td>
              <td>{body.holder_name}</td>
              <td>
                <Badge kind={status === 'valid' ? 'ok' : 'bad'}>{t(`dept_cert_${status}`)}</Badge>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Objections({ api, setError }: Part) {
  const { items, reload } = useList<ObjectionView>(api.objections, setError);
  const open = items?.filter((o) => o.state === 'open') ?? [];
  return (
    <section class="panel" id="objections" aria-labelledby="objections-h" data-open={open.length}>
      <h2 id="objections-h">{t('dept_objections')}</h2>
      {items?.length === 0 && <p>{t('dept_none')}</p>}
      <ul class="plain">
        {items?.map((o) => (
          <li data-objection={o.objection_id} data-state={o.state}>
            <strong>{o.cert_name}</strong> · {o.license_id}
            <p>
              {t('dept_reason')}
              {o.reason}
            </p>
            {o.state === 'open' ? (
              <Resolve o={o} api={api} setError={setError} onDone={reload} />
            ) : (
              <p>
                <Badge kind="info">{t(`dept_objection_${o.state}`)}</Badge> {o.resolution}
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Resolve({ o, api, setError, onDone }: Part & { o: ObjectionView; onDone: () => void }) {
  const [text, setText] = useState('');
  const resolve = (outcome: 'corrected' | 'rejected') =>
    api.resolveObjection(o.objection_id, { outcome, resolution: text.trim() }).then(onDone, setError);
  return (
    <div class="resolve">
      <TextField id={`resolution-${o.objection_id}`} label={t('dept_resolution')} value={text} onValue={setText} />
      <div class="actions">
        <button type="button" class="correct" disabled={!text.trim()} onClick={() => resolve('corrected')}>
          {t('dept_corrected')}
        </button>
        <button type="button" class="secondary reject" disabled={!text.trim()} onClick={() => resolve('rejected')}>
          {t('dept_rejected')}
        </button>
      </div>
    </div>
  );
}

function Applications({ api, setError }: Part) {
  const { items } = useList<ApplicationView>(api.applications, setError);
  return (
    <section class="panel" id="applications" aria-labelledby="applications-h">
      <h2 id="applications-h">{t('dept_applications')}</h2>
      {items?.length === 0 && <p>{t('dept_none')}</p>}
      <ul class="plain">
        {items?.map((a) => (
          <li data-application={a.id} data-state={a.state}>
            <strong>{a.matter_name}</strong> · {a.applicant_masked}（{a.applicant_age}）
            {a.agent_masked && ` · ${t('dept_agent')}${a.agent_masked}`} ·{' '}
            <Badge kind={a.state === 'filed' ? 'ok' : 'warn'}>{t(`dept_app_${a.state}`)}</Badge> {day(a.filed_at)}
            {a.released.length > 0 && <p>{a.released.map((r) => r.name).join('、')}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Archives({ api, setError }: Part) {
  const { items } = useList<ArchiveSummary>(api.archives, setError);
  const [record, setRecord] = useState<ArchiveRecord | null>(null);
  const show = (a: ArchiveSummary) => api.archive(a.archive_id).then(setRecord, setError);
  return (
    <section class="panel" id="archives" aria-labelledby="archives-h">
      <h2 id="archives-h">{t('dept_archives')}</h2>
      {items?.length === 0 && <p>{t('dept_none')}</p>}
      <ul class="plain">
        {items?.map((a) => (
          <li data-archive={a.archive_id} data-consent={a.consent}>
            <strong>{a.matter_name}</strong> · {a.subject_name} · {a.terminal_name} · {day(a.created_at)} ·{' '}
            {t('dept_keep_until')}
            {day(a.keep_until)} · <Badge kind="info">{t(`dept_consent_${a.consent}` as 'dept_consent_device')}</Badge>{' '}
            <button type="button" class="secondary open-archive" onClick={() => show(a)}>
              {t('dept_open')}
            </button>
          </li>
        ))}
      </ul>
      {record && (
        <div id="archive-record" data-decision={String(!!record.decision)}>
          <h3>
            {record.summary.matter_name} · {record.subject.name} {record.subject.code}
          </h3>
          <p>
            {record.decision
              ? t('dept_signed_decision')
              : t(`dept_consent_${record.summary.consent}` as 'dept_consent_device')}
          </p>
          <ul>
            {record.certificates.map((c) => (
              <li data-type={c.body.type_code}>
                {c.body.name} · {c.body.number} · {c.body.issuer_name}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

render(<App />, document.getElementById('app')!);
