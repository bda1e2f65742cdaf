// 电子证明核验: whoever holds a printed proof scans its QR code and lands here. The token sits
// in the URL's fragment, which the browser never sends; this page posts it to the hub, shows the
// proof the hub holds with its status today, and checks its seal here against the issuing
// department's published key, to be compared with the paper.
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { publicApi } from '../shared/api';
import type { ProofCheck } from '../shared/bindings';
import { ErrorBox, Header } from '../shared/components';
import { Hub } from '../shared/hub';
import { t, useLang } from '../shared/i18n';
import { ProofDocument } from '../shared/proof';
import '../shared/style.css';

function App() {
  useLang();
  const api = useMemo(() => publicApi(new Hub(null)), []);
  const [check, setCheck] = useState<ProofCheck | null>(null);
  const [fields, setFields] = useState<string[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const token = decodeURIComponent(location.hash.slice(1));
    if (!token) return setError(t('check_no_token'));
    api.checkProof({ token }).then((c) => {
      setCheck(c);
      api
        .catalogue()
        .then((cat) => setFields(cat.cert_types.find((t) => t.code === c.certificate.body.type_code)?.fields));
    }, setError);
  }, [api]);
  return (
    <>
      <Header title={t('check_title')} />
      <main class="check">
        <section class="panel">
          <p class="hint">{t('check_hint')}</p>
          {check && (
            <ProofDocument
              certificate={check.certificate}
              issuer={check.issuer}
              fields={fields}
              status={check.status}
              mask
            />
          )}
          {error != null && <ErrorBox error={error} />}
        </section>
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
