// 电子证照社会公示: the public lookup page. Anyone, without a key, finds the disclosable
// certificates of a type (营业执照, 排污许可证, seed 004) by part of the holder's name; every
// seal is checked here in the browser against the issuing department's published key.
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { publicApi } from '../shared/api';
import type { CertType, DepartmentInfo, PublicCertificate } from '../shared/bindings';
import { Badge, ErrorBox, Header, TextField } from '../shared/components';
import { Hub, verifySeal } from '../shared/hub';
import { currentLang, t, useLang } from '../shared/i18n';
import '../shared/style.css';

/** The found certificates, each with its seal checked. */
type Found = { entry: PublicCertificate; sealOk: boolean }[];

function App() {
  useLang();
  const api = useMemo(() => publicApi(new Hub(null)), []);
  const [types, setTypes] = useState<CertType[]>([]);
  const [departments, setDepartments] = useState<DepartmentInfo[]>([]);
  const [type, setType] = useState('');
  const [holder, setHolder] = useState('');
  const [found, setFound] = useState<Found | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.catalogue().then((c) => {
      const open = c.cert_types.filter((ct) => ct.disclosable);
      setTypes(open);
      setType((now) => now || open[0]?.code || '');
    }, setError);
    api.departments().then(setDepartments, setError);
  }, [api]);
  const search = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const entries = await api.lookup(type, holder.trim());
      setFound(
        await Promise.all(
          entries.map(async (entry) => ({ entry, sealOk: await verifySeal(entry.certificate, departments) })),
        ),
      );
    } catch (err) {
      setFound(null);
      setError(err);
    }
  };
  const zh = currentLang() === 'zh';
  return (
    <>
      <Header title={t('lookup_title')} />
      <main class="lookup">
        <section class="panel">
          <p class="hint">{t('lookup_hint')}</p>
          <form id="lookup" onSubmit={search}>
            <label for="lookup-type">{t('lookup_type')}</label>
            <select id="lookup-type" value={type} onChange={(e) => setType((e.target as HTMLSelectElement).value)}>
              {types.map((ct) => (
                <option value={ct.code}>{zh ? ct.name : ct.name_en}</option>
              ))}
            </select>
            <TextField id="lookup-holder" label={t('lookup_holder')} value={holder} onValue={setHolder} />
            <button type="submit" id="lookup-go">
              {t('lookup_button')}
            </button>
          </form>
          {error != null && <ErrorBox error={error} onDismiss={() => setError(null)} />}
        </section>
        {found && <Results found={found} />}
      </main>
    </>
  );
}

function Results({ found }: { found: Found }) {
  if (found.length === 0) return <p id="lookup-none">{t('lookup_none')}</p>;
  return (
    <section class="panel">
      <table id="lookup-results">
        <thead>
          <tr>
            <th>{t('col_certificate')}</th>
            <th>{t('cert_numbers')}</th>
            <th>{t('col_holder')}</th>
            <th>{t('col_issuer')}</th>
            <th>{t('col_valid')}</th>
            <th>{t('col_status')}</th>
            <th>{t('col_seal')}</th>
          </tr>
        </thead>
        <tbody>
          {found.map(({ entry, sealOk }) => {
            const b = entry.certificate.body;
            return (
              <tr data-licence={b.license_id} data-seal={sealOk ? 'ok' : 'bad'}>
                <td>{b.name}</td>
                <td>{b.number}</td>
                <td>{b.holder_name}</td>
                <td>{b.issuer_name}</td>
                <td>
                  {b.valid_from} – {b.valid_to ?? t('valid_forever')}
                </td>
                <td>{t(`cert_${entry.status}`)}</td>
                <td>{sealOk ? <Badge kind="ok">{t('seal_ok')}</Badge> : <Badge kind="bad">{t('seal_bad')}</Badge>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

render(<App />, document.getElementById('app')!);
