// The form filled from exactly the released certificates, with each seal checked in the
// browser and a QR code anyone can use to check the release against the hub.
import { Badge, Qr } from '../shared/components';
import { t } from '../shared/i18n';
import type { Matter, Release } from '../shared/types';
import { matterName } from './matter';

function SealBadge({ ok }: { ok: boolean | undefined }) {
  if (ok === undefined) return <>…</>;
  return ok ? <Badge kind="ok">{t('seal_ok')}</Badge> : <Badge kind="bad">{t('seal_bad')}</Badge>;
}

function Subject({ release }: { release: Release }) {
  const idCard = release.certificates.find((c) => c.certificate.body.type_code === 'id_card');
  const address = idCard?.certificate.body.face['住址'];
  return (
    <dl>
      <dt>{release.subject.code_type === '111' ? t('name') : t('enterprise_name')}</dt>
      <dd id="f-name">{release.subject.name}</dd>
      <dt>{release.subject.code_type === '111' ? t('id_number') : t('counter_uscc')}</dt>
      <dd id="f-id">{release.subject.code}</dd>
      {address && (
        <>
          <dt>{t('address')}</dt>
          <dd id="f-address">{address}</dd>
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

type Props = { release: Release; matter: Matter | undefined; seals: Record<string, boolean>; onNext: () => void };

export function ReleaseForm({ release, matter, seals, onNext }: Props) {
  const receiptUrl = `${location.origin}/v1/public/releases/${release.request_id}`;
  return (
    <section class="panel form" id="form" aria-labelledby="form-h">
      <h2 id="form-h">
        {t('form')} · {matter ? matterName(matter) : release.matter}
      </h2>
      <div class="form-grid">
        <Subject release={release} />
        <Qr text={receiptUrl} label={t('check_qr')} size={160} />
      </div>
      <h3>
        {t('released')}{' '}
        <small id="held-by">
          · {t('held_by')} {release.held_by}
        </small>
      </h3>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('cert_numbers')}</th>
            <th scope="col">{t('col_certificate')}</th>
            <th scope="col">{t('col_issuer')}</th>
            <th scope="col">{t('col_seal')}</th>
          </tr>
        </thead>
        <tbody>
          {release.certificates.map(({ certificate: { body } }) => (
            <tr data-type={body.type_code}>
              <td>{body.number}</td>
              <td>{body.name}</td>
              <td>{body.issuer_name}</td>
              <td>
                <SealBadge ok={seals[body.license_id]} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="actions no-print">
        <button type="button" onClick={() => window.print()}>
          {t('print')}
        </button>
        <button type="button" class="secondary" onClick={onNext}>
          {t('new_case')}
        </button>
      </div>
    </section>
  );
}
