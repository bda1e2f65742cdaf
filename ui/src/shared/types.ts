// The hub's and the wallet shell's types, generated from Rust (bindings.ts); the pages import
// them from here.
export type {
  ApiError, AuthRequestView, AvailableCert, CatalogueView as Catalogue, Certificate, CertificateBody, CertificateView, CertType, DepartmentInfo, HubInfo,
  LoginSessionCreated, LoginSessionView, Material, Matter, PushEvent, Redemption, Release, ReleasedHolder, Seal, TerminalInfo,
  Card, CardsView, Status, ShownCode, CmdError, AuditEntryView, GrantView, GrantsView, EnterpriseRef,
  FaceStep, FaceChallenge, FaceOutcome, ApplicationView, ProxyApplicationCreated, ReceiptCert,
} from './bindings';
