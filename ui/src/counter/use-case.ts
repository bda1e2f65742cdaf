// One counter case as a hook: the holder's code is redeemed, the request for the matter's
// certificates goes to the holder, their decision arrives as a push, and exactly what they
// approved is released and its seals checked. Views read its state and call its actions.
import { useEffect, useState } from 'preact/hooks';
import type { HubApi } from '../shared/api';
import type { Hub } from '../shared/hub';
import { verifySeal } from '../shared/hub';
import type { AuthRequestView, Catalogue, DepartmentInfo, PushEvent, Redemption, Release } from '../shared/types';

export type Case = ReturnType<typeof useCase>;

/** The catalogue and the departments' published keys, read once. */
export function useRegisters(api: HubApi) {
  const [catalogue, setCatalogue] = useState<Catalogue | null>(null);
  const [departments, setDepartments] = useState<DepartmentInfo[]>([]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.catalogue().then(setCatalogue, setError);
    api.departments().then(setDepartments, setError);
  }, [api]);
  return { catalogue, departments, error, dismiss: () => setError(null) };
}

/** Decisions pushed by the hub update the request they are about. */
function useDecisions(
  hub: Hub,
  api: HubApi,
  setRequest: (f: (r: AuthRequestView | null) => AuthRequestView | null) => void,
) {
  useEffect(() => {
    const ctl = new AbortController();
    const onEvent = (ev: PushEvent) => {
      if (ev.kind === 'auth_decided')
        setRequest((r) => (r && r.request_id === ev.request_id ? { ...r, state: ev.state, approved: ev.approved } : r));
    };
    hub.events(api.eventsPath, onEvent, ctl.signal, () => document.body.setAttribute('data-push', 'live'));
    return () => ctl.abort();
  }, [hub]);
}

/** Seals of the released certificates, checked in the browser (true/false per licence id). */
async function checkSeals(r: Release, departments: DepartmentInfo[]): Promise<Record<string, boolean>> {
  const s: Record<string, boolean> = {};
  // Another region's certificates come with their issuers' keys as the holding hub publishes them.
  for (const c of r.certificates)
    s[c.certificate.body.license_id] = await verifySeal(c.certificate, [...departments, ...r.issuers]);
  return s;
}

export function useCase(hub: Hub, api: HubApi, departments: DepartmentInfo[]) {
  const [redemption, setRedemption] = useState<Redemption | null>(null);
  const [request, setRequest] = useState<AuthRequestView | null>(null);
  const [release, setRelease] = useState<Release | null>(null);
  // A case with several subjects (a person and an enterprise, a parent and a child): the parts
  // already released; the current part is redemption → request → release.
  const [earlier, setEarlier] = useState<Release[]>([]);
  const [seals, setSeals] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useDecisions(hub, api, setRequest);

  // When approved, fetch exactly what was approved (once).
  useEffect(() => {
    if (!request || release || !['approved', 'partly_approved'].includes(request.state)) return;
    api.release(request.request_id).then(async (r) => {
      setRelease(r);
      const checked = await checkSeals(r, departments);
      setSeals((s) => ({ ...s, ...checked }));
    }, setError);
  }, [request?.state]);

  /** Start this case's next part: another subject, the parts released so far kept. */
  const nextPart = () => {
    if (release) setEarlier((e) => [...e, release]);
    setRedemption(null);
    setRequest(null);
    setRelease(null);
    setError(null);
  };
  /** A new case. */
  const reset = () => {
    nextPart();
    setEarlier([]);
    setSeals({});
  };
  /** One call to the hub: busy while it runs, its error shown. */
  const act = async (f: () => Promise<void>) => {
    setError(null);
    setBusy(true);
    try {
      await f();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const scan = (code: string) => {
    nextPart();
    return act(async () => setRedemption(await api.redeem({ code })));
  };
  const ask = (matter: string, certTypes: string[], archive: boolean) =>
    act(async () => {
      if (redemption)
        setRequest(
          await api.askAuthorization({
            redemption_id: redemption.redemption_id,
            matter,
            cert_types: certTypes,
            archive,
          }),
        );
    });
  const consent = (approve: string[]) =>
    act(async () => {
      if (request) setRequest(await api.consentAtCounter(request.request_id, { approve }));
    });
  return {
    redemption,
    request,
    release,
    earlier,
    seals,
    error,
    busy,
    setError,
    setRedemption,
    setRequest,
    reset,
    nextPart,
    act,
    scan,
    ask,
    consent,
  };
}
