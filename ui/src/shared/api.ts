// The hub's HTTP API as typed functions: each takes the request type the hub reads and returns
// the response type it answers (both generated from Rust in bindings.ts). Call sites name an
// operation, never a path or an untyped body.
import type {
  ApplicationView,
  ArchiveRecord,
  ArchiveSummary,
  AuthRequestCreate,
  AuthRequestView,
  CatalogueView,
  CounterConsentRequest,
  CounterFaceCheckRequest,
  DepartmentInfo,
  DeviceConfirmed,
  DeviceConfirmRequest,
  DeviceRemovalRequest,
  DevicesRemoved,
  FaceChallenge,
  FaceFrames,
  FaceOutcome,
  HubInfo,
  IdentityLoginRequest,
  LoginSessionCreated,
  LoginSessionView,
  ObjectionView,
  ProofCheck,
  ProofCheckRequest,
  ProofOrderCreate,
  ProofOrderView,
  PublicCertificate,
  RedeemRequest,
  ResolveObjectionRequest,
  Redemption,
  Release,
  SessionAuthRequest,
  StaffLookupRequest,
  TerminalEnrolRequest,
  TerminalInfo,
} from './bindings';
import type { Hub } from './hub';

const seg = encodeURIComponent;

/** What anyone may read, unsigned. */
export const publicApi = (hub: Hub) => ({
  hubInfo: () => hub.call<HubInfo>('GET', '/v1/hub', undefined, false),
  catalogue: () => hub.call<CatalogueView>('GET', '/v1/catalogue', undefined, false),
  departments: () => hub.call<DepartmentInfo[]>('GET', '/v1/public/departments', undefined, false),
  /** 电子证照社会公示: disclosable certificates of a type whose holder's name contains `holder`. */
  lookup: (type: string, holder: string) =>
    hub.call<PublicCertificate[]>(
      'GET',
      `/v1/public/certificates?${new URLSearchParams({ type, holder })}`,
      undefined,
      false,
    ),
  /** Check a printed proof by the token in its QR code (the token travels in the body, never a URL). */
  checkProof: (body: ProofCheckRequest) => hub.call<ProofCheck>('POST', '/v1/public/proof-checks', body, false),
});

/** A terminal's calls, signed with its key (enrolment: with the key being enrolled). */
export const terminalApi = (hub: Hub) => ({
  enrol: (body: TerminalEnrolRequest) => hub.call<TerminalInfo>('POST', '/v1/terminals/enrol', body),
  redeem: (body: RedeemRequest) => hub.call<Redemption>('POST', '/v1/terminal/redeem', body),
  askAuthorization: (body: AuthRequestCreate) => hub.call<AuthRequestView>('POST', '/v1/terminal/auth-requests', body),
  release: (requestId: string) => hub.call<Release>('POST', `/v1/terminal/auth-requests/${seg(requestId)}/release`),
  /** Order the proof a released request's matter gives; the answer that creates it carries the check token. */
  orderProof: (body: ProofOrderCreate) => hub.call<ProofOrderView>('POST', '/v1/terminal/proofs', body),
  proofOrder: (orderId: string) => hub.call<ProofOrderView>('GET', `/v1/terminal/proofs/${seg(orderId)}`),
  consentAtCounter: (requestId: string, body: CounterConsentRequest) =>
    hub.call<AuthRequestView>('POST', `/v1/terminal/auth-requests/${seg(requestId)}/consent`, body),
  staffLookup: (body: StaffLookupRequest) => hub.call<AuthRequestView>('POST', '/v1/terminal/lookups', body),
  startFaceCheck: (body: CounterFaceCheckRequest) => hub.call<FaceChallenge>('POST', '/v1/terminal/face-checks', body),
  sendFaceFrames: (challengeId: string, body: FaceFrames) =>
    hub.call<FaceOutcome>('POST', `/v1/terminal/face-checks/${seg(challengeId)}/frames`, body),
  confirmDevice: (body: DeviceConfirmRequest) =>
    hub.call<DeviceConfirmed>('POST', '/v1/terminal/device-confirmations', body),
  removeDevices: (body: DeviceRemovalRequest) => hub.call<DevicesRemoved>('POST', '/v1/terminal/device-removals', body),
  openLoginSession: () => hub.call<LoginSessionCreated>('POST', '/v1/terminal/login-sessions'),
  loginSession: (id: string) => hub.call<LoginSessionView>('GET', `/v1/terminal/login-sessions/${seg(id)}`),
  endLoginSession: (id: string) => hub.call<LoginSessionView>('POST', `/v1/terminal/login-sessions/${seg(id)}/end`),
  loginWithIdentityCode: (id: string, body: IdentityLoginRequest) =>
    hub.call<LoginSessionView>('POST', `/v1/terminal/login-sessions/${seg(id)}/identity-code`, body),
  askInSession: (id: string, body: SessionAuthRequest) =>
    hub.call<AuthRequestView>('POST', `/v1/terminal/login-sessions/${seg(id)}/auth-requests`, body),
  /** The terminal's pushes (server-sent events), for `Hub.events`. */
  eventsPath: '/v1/terminal/events',
});

/** A department's staff console (部门工作台): its department's pages, signed with its key. */
export const departmentApi = (hub: Hub) => ({
  enrol: (body: TerminalEnrolRequest) => hub.call<TerminalInfo>('POST', '/v1/terminals/enrol', body),
  issued: () => hub.call<PublicCertificate[]>('GET', '/v1/dept/certificates'),
  objections: () => hub.call<ObjectionView[]>('GET', '/v1/dept/objections'),
  resolveObjection: (id: string, body: ResolveObjectionRequest) =>
    hub.call<ObjectionView>('POST', `/v1/dept/objections/${seg(id)}/resolve`, body),
  applications: () => hub.call<ApplicationView[]>('GET', '/v1/dept/applications'),
  archives: () => hub.call<ArchiveSummary[]>('GET', '/v1/dept/archives'),
  archive: (id: string) => hub.call<ArchiveRecord>('GET', `/v1/dept/archives/${seg(id)}`),
});

/** Both: what a terminal page uses. */
export const hubApi = (hub: Hub) => ({ ...publicApi(hub), ...terminalApi(hub) });
export type HubApi = ReturnType<typeof hubApi>;
