// The form filled from exactly the released certificates of each subject of the case (a person
// and an enterprise, a parent and a child), with each seal checked in the browser and, per
// subject, a QR code anyone can use to check the release against the hub.
import { Badge, Qr } from '../shared/components';
import { t } from '../shared/i18n';
import type { Matter, Release } from '../shared/types';
import { matterName } from './matter';

function SealBadge({ ok }: { ok: boolean | undefined }) {
  if (ok === undefined) return <>…</>;
  return ok ? <Badge kind="ok">{t('seal_ok')}</Badge> : <Badge kind="bad">{t('seal_bad')}</Badge>;
}

/** Ids of the first subject's fields are plain (`f-name`); later subjects' carry their number. */
function fieldId(field: string, n: number) {
  return n === 0 ? `f-${field}` : `f-${field}-${n + 1}`;
}

function Subject({ release, n }: { release: Release; n: number }) {
  const idCard = release.certificates.find((c) => c.certificate.body.type_code === 'id_card');
  const address = idCard?.certificate.body.face['住址'];
  const person = release.subject.code_type === '111';
  return (
    <dl>
      <dt>{person ? t('name') : t('enterprise_name')}</dt>
      <dd id={fieldId('name', n)}>{release.subject.name}</dd>
      <dt>{person ? t('id_number') : t('counter_uscc')}</dt>
      <dd id={fieldId('id', n)}>{release.subject.code}</dd>
      {address && (
        <>
          <dt>{t('address')}</dt>
          <dd id={fieldId('address', n)}>{address}</dd>
        </>
      )}
      {release.agent && (
        <>
          <dt>{t('counter_agent')}</dt>
          <dd>
            {release.agent.name} {release.agent.code}
          </dd>
        </>
      )}
    </dl>
  );
}

type Props = {
  releases: Release[];
  matter: Matter | undefined;
  seals: Record<string, boolean>;
  /** Add another subject to this case (shown once the current part is released). */
  onAdd?: () => void;
  onNext: () => void;
};

export function ReleaseForm({ releases, matter, seals, onAdd, onNext }: Props) {
  const heldBy = [...new Set(releases.map((r) => r.held_by))].join('、');
  return (
    <section class="panel form" id="form" aria-labelledby="form-h" data-subjects={releases.length}>
      <h2 id="form-h">
        {t('form')} · {matter ? matterName(matter) : releases[0].matter}
      </h2>
      {releases.map((r, n) => (
        <div class="form-grid" data-subject={r.subject.code}>
          <Subject release={r} n={n} />
          <Qr text={`${location.origin}/v1/public/releases/${r.request_id}`} label={t('check_qr')} size={160} />
        </div>
      ))}
      <h3>
        {t('released')}{' '}
        <small id="held-by">
          · {t('held_by')} {heldBy}
        </small>
      </h3>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('cert_numbers')}</th>
            <th scope="col">{t('col_certificate')}</th>
            <th scope="col">{t('col_holder')}</th>
            <th scope="col">{t('col_issuer')}</th>
            <th scope="col">{t('col_seal')}</th>
          </tr>
        </thead>
        <tbody>
          {releases.flatMap((r) =>
            r.certificates.map(({ certificate: { body } }) => (
              <tr data-type={body.type_code} data-subject={r.subject.code}>
                <td>{body.number}</td>
                <td>{body.name}</td>
                <td>{body.holder_name}</td>
                <td>{body.issuer_name}</td>
                <td>
                  <SealBadge ok={seals[body.license_id]} />
                </td>
              </tr>
            )),
          )}
        </tbody>
      </table>
      <div class="actions no-print">
        <button type="button" onClick={() => window.print()}>
          {t('print')}
        </button>
        {onAdd && (
          <button type="button" class="secondary" id="add-subject" onClick={onAdd}>
            {t('add_subject')}
          </button>
        )}
        <button type="button" class="secondary" onClick={onNext}>
          {t('new_case')}
        </button>
      </div>
    </section>
  );
}
