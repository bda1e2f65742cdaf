// Types of the hub's HTTP API used by the pages. They mirror crates/mz-core/src/api.rs.

export interface ApiError { code: string; message: string }
export interface TerminalInfo { terminal_id: string; kind: string; name: string; place: string; region: string; department: string; public_key: string | null; active: boolean }
export interface HubInfo { region: string; name: string; hub_key: string; time: number }
export interface Material { name: string; required: boolean; replaced_by: string | null }
export interface Matter { code: string; name: string; name_en: string; subject: 'person' | 'enterprise'; self_service: boolean; materials: Material[]; seed: string }
export interface CertType { no: number; code: string; name: string; name_en: string; subject: string; fields: string[]; disclosable: boolean }
export interface Catalogue { cert_types: CertType[]; matters: Matter[] }
export interface AvailableCert { type_code: string; name: string; count: number }
export interface Redemption { redemption_id: string; kind: 'identity' | 'show' | 'delegated' | 'login'; subject_name_masked: string; agent_name_masked: string | null; available: AvailableCert[]; expires_at: number }
export interface AuthRequestView { request_id: string; matter: string; matter_name: string; requester: TerminalInfo; cert_types: string[]; archive: boolean; state: string; approved: string[]; created_at: number; expires_at: number; grant_id: string | null; subject_name_masked: string }
export interface Seal { alg: string; key_id: string; sig: string }
export interface CertificateBody { license_id: string; name: string; type_code: string; number: string; issuer_name: string; issuer_code: string; issue_date: string; holder_name: string; holder_code: string; holder_code_type: string; valid_from: string; valid_to: string | null; face: Record<string, string>; disclosable: boolean }
export interface Certificate { body: CertificateBody; seal: Seal }
export interface CertificateView { certificate: Certificate; status: string; type_no: number; ordinal: number }
export interface ReleasedHolder { name: string; code: string; code_type: string }
export interface Release { request_id: string; matter: string; subject: ReleasedHolder; certificates: CertificateView[]; agent: ReleasedHolder | null }
export interface DepartmentInfo { code: string; name: string; region: string; seal_keys: string[] }
export interface LoginSessionCreated { session_id: string; expires_at: number }
export interface LoginSessionView { session_id: string; state: string; holder_name: string | null; method: string | null; expires_at: number }
export type PushEvent =
  | { kind: 'ready'; subscriber: string }
  | { kind: 'auth_request'; request: AuthRequestView }
  | { kind: 'auth_decided'; request_id: string; state: string; approved: string[] }
  | { kind: 'logged_in'; session_id: string; holder_name: string; method: string }
  | { kind: 'grant_used'; grant_id: string; matter: string; terminal: string; cert_types: string[] };
