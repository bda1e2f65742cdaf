// A proof (证明) as a document: what the issuing department sealed, the seal checked in this page
// against the department's published key and, on the kiosk's printout, the QR code whose token
// lets whoever holds the paper check it (the token sits in the URL's fragment, which a browser
// never sends; the check page posts it).
import { useEffect, useState } from 'preact/hooks';
import type { CertStatus, Certificate, DepartmentInfo } from './bindings';
import { Badge, Qr } from './components';
import { verifySeal } from './hub';
import { t } from './i18n';

export function ProofDocument(props: {
  certificate: Certificate;
  issuer: DepartmentInfo;
  /** The type's fields in the catalogue's order (the seal covers them sorted). */
  fields?: string[];
  token?: string;
  status?: CertStatus;
  /** Show the holder's ID number masked (the check page: compared with the paper, not copied). */
  mask?: boolean;
}) {
  const { certificate, issuer, token, status } = props;
  const [sealOk, setSealOk] = useState<boolean | null>(null);
  useEffect(() => {
    verifySeal(certificate, [issuer]).then(setSealOk, () => setSealOk(false));
  }, [certificate.seal.sig]);
  const b = certificate.body;
  const seal = sealOk === null ? 'checking' : sealOk ? 'ok' : 'bad';
  return (
    <article class="proof" id="proof" data-seal={seal} data-licence={b.license_id}>
      <h2>{b.name}</h2>
      <p class="proof-no">
        {t('proof_number')}：{b.number}
      </p>
      <table class="proof-fields">
        <tbody>
          {faceInOrder(b.face, props.fields).map(([k, v]) => (
            <tr>
              <th scope="row">{k}</th>
              <td>{props.mask && v === b.holder_code ? maskId(v) : v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>{t('proof_valid', { from: b.valid_from, to: b.valid_to ?? t('valid_forever') })}</p>
      <p class="proof-issuer">
        {b.issuer_name}　{b.issue_date}
      </p>
      <p class="proof-seal">
        {seal === 'checking' && <Badge kind="info">{t('seal_checking')}</Badge>}
        {seal === 'ok' && <Badge kind="ok">{t('seal_ok')}</Badge>}
        {seal === 'bad' && <Badge kind="bad">{t('seal_bad')}</Badge>}
        {status && (
          <Badge kind={status === 'valid' ? 'ok' : 'bad'}>
            <span id="proof-status" data-status={status}>
              {t('check_status', { status: t(`dept_cert_${status}`) })}
            </span>
          </Badge>
        )}
      </p>
      <p class="proof-id">
        {t('proof_license_id')}：{b.license_id}
      </p>
      {token && (
        <div class="proof-check">
          <Qr text={`${location.origin}/check/#${token}`} label={t('proof_check_qr')} size={150} />
          <p>{t('proof_check_hint')}</p>
        </div>
      )}
    </article>
  );
}

/** The face fields in the catalogue's order, then any others. */
function faceInOrder(face: Record<string, string>, order: string[] = []): [string, string][] {
  const known = order.filter((k) => k in face).map((k): [string, string] => [k, face[k]]);
  return [...known, ...Object.entries(face).filter(([k]) => !order.includes(k))];
}

/** 421224199504180626 → 421224********0626. */
const maskId = (id: string) => id.slice(0, 6) + '*'.repeat(Math.max(id.length - 10, 0)) + id.slice(-4);
