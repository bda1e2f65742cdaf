// Generated from Rust by `MZ_UPDATE_BINDINGS=1 cargo test -p mz-core --features ts --test bindings`. Do not edit.

export type ApiError = { code: ErrorCode, message: string, };

export type ErrorCode = "invalid_identifier" | "malformed" | "truncated" | "unknown_version" | "wrong_kind" | "not_yet_valid" | "chain_broken" | "bad_count" | "bad_frame" | "bad_hops" | "bad_id" | "bad_json" | "unknown_field" | "bad_kind" | "bad_label" | "bad_peer" | "bad_photo" | "bad_reason" | "bad_role" | "bad_terminal" | "bad_text" | "bad_query" | "decision_mismatch" | "frame_count" | "bad_capture_times" | "grant_in_past" | "holder_mismatch" | "holder_name_mismatch" | "not_child_region" | "not_parent_region" | "not_proxy_matter" | "not_requested" | "nothing_requested" | "object_clock_skew" | "query_too_short" | "revocation_mismatch" | "terminal_mismatch" | "type_mismatch" | "wrong_subject" | "bad_signature" | "bad_request_signature" | "clock_skew" | "replayed_request" | "session_expired" | "stale_request" | "unauthenticated" | "unknown_key" | "matter_not_handled" | "outside_code" | "device_pending" | "session_from_session" | "not_needed_by_matter" | "bad_enrolment_code" | "counter_only" | "grant_expired" | "grant_revoked" | "holder_decides" | "identity_mismatch" | "not_a_kiosk" | "not_agent" | "not_disclosable" | "not_issuer" | "not_legal_representative" | "not_principal" | "not_self_service" | "not_your_region" | "not_guardian" | "outside_grant" | "refused" | "pin_required" | "pin_locked" | "bad_pin_verifier" | "approval_withdrawn" | "unknown_seal_key" | "wrong_role" | "unregistered_terminal" | "not_found" | "unknown" | "no_such_route" | "no_wallet" | "no_route" | "method_not_allowed" | "device_not_pending" | "device_removed" | "already_decided" | "already_issued" | "already_registered" | "already_released" | "already_resolved" | "already_revoked" | "application_filed" | "challenge_closed" | "challenge_used" | "code_already_used" | "department_exists" | "device_already_enrolled" | "grant_exists" | "key_in_use" | "no_department" | "no_reference_photo" | "not_decided" | "not_held" | "no_proof" | "not_released" | "proof_closed" | "not_logged_in" | "not_valid" | "objection_open" | "peer_exists" | "redemption_used" | "session_used" | "too_many_handles" | "expired" | "request_timeout" | "oversize" | "body_too_large" | "not_eligible" | "image_unreadable" | "image_too_large" | "no_face" | "several_faces" | "face_too_small" | "face_blurred" | "different_people" | "challenge_not_performed" | "motion_discontinuous" | "frames_mirrored" | "frames_repeated" | "frames_replayed" | "frames_not_for_challenge" | "face_mismatch" | "too_many_attempts" | "storage" | "internal" | "unexpected_response" | "face_unavailable" | "server_busy" | "peer_unreachable";

export type Assurance = "none" | "real_name" | "real_name_real_person";

export type TerminalKind = "counter" | "kiosk" | "console";

export type RedemptionKind = "identity" | "show" | "delegated" | "login" | "face" | "lookup";

export type RequestState = "pending" | "approved" | "partly_approved" | "refused" | "expired" | "withdrawn";

export type LoginState = "waiting" | "logged_in" | "ended" | "expired";

export type LoginMethod = "scan" | "identity_code";

export type ObjectionState = "open" | "corrected" | "rejected";

export type ObjectionOutcome = "corrected" | "rejected";

export type FacePurpose = "enrol" | "proxy" | "counter";

export type ChallengeState = "open" | "passed" | "refused";

export type ApplicationState = "awaiting_face" | "filed" | "expired";

export type PrincipalKind = "person" | "enterprise";

export type PeerRole = "parent" | "child";

export type DeviceState = "pending" | "active" | "removed";

export type DeviceConfirmation = "face" | "other_device" | "counter";

export type ProofState = "pending" | "issued" | "refused" | "expired";

export type HubInfo = { region: string, name: string, hub_key: PublicKey, time: number, };

export type CatalogueView = { 
/**
 * 0 before any catalogue is imported.
 */
version: number, name: string, cert_types: Array<CertType>, matters: Array<Matter>, };

export type EnrolRequest = { id_number: string, name: string, device_public_key: PublicKey, 
/**
 * A label for the device ("Li's phone").
 */
device_label: string, };

export type EnrolResponse = { holder_id: string, device_key_id: KeyId, device_state: DeviceState, 
/**
 * The holder's assurance so far (none for a new holder, until a device is confirmed).
 */
assurance: Assurance, assurance_note: string, 
/**
 * The ways this device can be confirmed now: `face` when the register has a photo of
 * the person, `other_device` when the holder has an active device, and always `counter`.
 */
confirm_by: Array<DeviceConfirmation>, 
/**
 * A one-time code the device shows (as a QR code) at a counter, where staff check the
 * ID card and confirm the device. Random; names no one.
 */
counter_code: string, counter_code_expires_at: number, };

export type HandlesResponse = { 
/**
 * One-time opaque handles (32 hex digits each) for the device's next codes.
 */
handles: Array<string>, };

export type Profile = { holder_id: string, name: string, id_number_masked: string, assurance: Assurance, 
/**
 * The state of the device that asked (a pending device sees only this).
 */
device_state: DeviceState, region: string, 
/**
 * Enterprises whose legal representative this holder is.
 */
enterprises: Array<EnterpriseRef>, };

export type EnterpriseRef = { uscc: string, name: string, };

export type CertificateView = { certificate: Certificate, status: CertStatus, type_no: number, 
/**
 * Position among the holder's certificates of this type (used in show-codes).
 */
ordinal: number, };

export type DeviceView = { key_id: KeyId, label: string, state: DeviceState, created_at: number, 
/**
 * When it last took handles for codes or decided a request.
 */
last_used_at: number | null, confirmed_by: DeviceConfirmation | null, 
/**
 * The device that asked.
 */
this_device: boolean, };

export type DeviceList = { devices: Array<DeviceView>, };

export type DeviceConfirmRequest = { counter_code: string, id_number: string, };

export type DeviceConfirmed = { device_label: string, holder_name_masked: string, };

export type DeviceRemovalRequest = { id_number: string, };

export type DevicesRemoved = { 
/**
 * How many devices were removed (0: none was active or pending).
 */
removed: number, holder_name_masked: string, };

export type PinSet = { verifier: string, current: string | null, };

export type PinCheck = { proof: string, };

export type PinChecked = { outcome: PinOutcome, tries_left: number, locked_for_secs: number, ok_until: number | null, };

export type PinOutcome = "correct" | "wrong" | "locked";

export type DepartmentInfo = { code: string, name: string, region: string, seal_keys: Array<PublicKey>, };

export type TerminalEnrolRequest = { enrolment_code: string, public_key: PublicKey, };

export type TerminalInfo = { terminal_id: string, kind: TerminalKind, name: string, place: string, region: string, department: string, public_key: PublicKey | null, active: boolean, };

export type SessionToken = { token: string, expires_at: number, };

export type RedeemRequest = { code: string, };

export type AvailableCert = { type_code: string, name: string, count: number, };

export type Redemption = { redemption_id: string, kind: RedemptionKind, 
/**
 * Masked name of whose certificates these are ("张*").
 */
subject_name_masked: string, 
/**
 * For a delegated presentation: the agent acting (masked).
 */
agent_name_masked: string | null, available: Array<AvailableCert>, expires_at: number, };

export type AuthRequestCreate = { redemption_id: string, matter: string, cert_types: Array<string>, archive: boolean, };

export type AuthRequestView = { request_id: string, matter: string, matter_name: string, requester: TerminalInfo, cert_types: Array<string>, archive: boolean, state: RequestState, approved: Array<string>, created_at: number, expires_at: number, 
/**
 * Set when an agent acts under a grant.
 */
grant_id: string | null, subject_name_masked: string, };

export type DecisionRequest = { 
/**
 * base64url of a signed AuthDecision.
 */
decision: string, };

export type ReleasedHolder = { name: string, code: string, code_type: HolderIdType, };

export type Release = { request_id: string, matter: string, subject: ReleasedHolder, certificates: Array<CertificateView>, agent: ReleasedHolder | null, 
/**
 * The hub that holds these certificates (this hub, or another region's through federation).
 */
held_by: string, 
/**
 * The issuing departments' seal keys as the holding hub publishes them: a terminal
 * verifies seals of another region's certificates with these.
 */
issuers: Array<DepartmentInfo>, };

export type ReleaseReceipt = { request_id: string, matter: string, matter_name: string, terminal: string, released_at: number, certificates: Array<ReceiptCert>, };

export type ReceiptCert = { license_id: string, name: string, status: CertStatus, };

export type LoginSessionCreated = { session_id: string, expires_at: number, };

export type LoginSessionView = { session_id: string, state: LoginState, holder_name: string | null, method: LoginMethod | null, expires_at: number, };

export type SessionAuthRequest = { matter: string, archive: boolean, };

export type LoginApprovalRequest = { 
/**
 * base64url of a signed LoginApproval.
 */
approval: string, };

export type IdentityLoginRequest = { code: string, };

export type GrantRequest = { 
/**
 * base64url of a signed Grant.
 */
grant: string, 
/**
 * The agent's name, checked with the ID number against the population register so a
 * typo cannot delegate to somebody else.
 */
agent_name: string, };

export type RevokeGrantRequest = { 
/**
 * base64url of a signed GrantRevocation.
 */
revocation: string, };

export type GrantView = { grant_id: string, principal_kind: PrincipalKind, principal_name_masked: string, agent_name_masked: string, cert_types: Array<string>, matters: Array<string>, valid_from: number, valid_to: number, revoked_at: number | null, uses: number, };

export type GrantsView = { granted: Array<GrantView>, received: Array<GrantView>, };

export type AuditEntryView = { seq: number, at: number, event: string, actor: string, detail: JsonValue, prev: string, hash: string, };

export type CheckpointView = { seq: number, head: string, at: number, 
/**
 * base64url of the signed Checkpoint.
 */
signed: string, };

export type IssueRequest = { certificate: Certificate, 
/**
 * Licence id of a certificate this one replaces (e.g. after an objection): it becomes
 * `superseded`.
 */
supersedes: string | null, };

export type IssueResponse = { license_id: string, };

export type RevokeCertRequest = { license_id: string, reason: string, };

export type ObjectionRequest = { license_id: string, reason: string, };

export type ResolveObjectionRequest = { outcome: ObjectionOutcome, resolution: string, };

export type ObjectionView = { objection_id: string, license_id: string, cert_name: string, reason: string, state: ObjectionState, resolution: string | null, created_at: number, resolved_at: number | null, };

export type ArchiveSummary = { archive_id: string, request_id: string, matter: string, matter_name: string, subject_name: string, terminal_name: string, 
/**
 * How the holder consented: `device` (their signed decision), `counter_tablet`,
 * `show_code` (the code they showed), `disclosable` (none was needed).
 */
consent: string, certificates: number, created_at: number, keep_until: number, };

export type ArchiveRecord = { summary: ArchiveSummary, subject: ReleasedHolder, 
/**
 * base64url of the holder's signed decision, when they decided on their device.
 */
decision: string | null, certificates: Array<Certificate>, };

export type PublicCertificate = { certificate: Certificate, status: CertStatus, };

export type PublicLookup = { held_by: string, certificates: Array<PublicCertificate>, issuers: Array<DepartmentInfo>, };

export type FaceStep = "front" | "turn_left" | "turn_right" | "look_up";

export type FaceChallenge = { id: string, 
/**
 * My own 实人 step, an elderly person's check for an application filed for them, or
 * a holder without a phone at a counter.
 */
purpose: FacePurpose, 
/**
 * The poses in order: front, then each move and back to front. Film continuously
 * (a frame every 50–1000 ms, 200 ms suits): the head must move through the poses in
 * between, not jump.
 */
steps: Array<FaceStep>, 
/**
 * Send this back with the frames (the request is signed, so the frames are bound to
 * this challenge).
 */
nonce: string, expires_at: number, frames_min: number, frames_max: number, 
/**
 * Attempts left on this challenge.
 */
attempts_left: number, };

export type FaceFrames = { 
/**
 * The challenge's nonce.
 */
nonce: string, frames: Array<string>, 
/**
 * When each frame was taken, in milliseconds after the first (so the first is 0):
 * increasing, 50–1000 ms apart. The hub refuses frames that span more time than the
 * challenge has existed.
 */
captured_ms: Array<number>, };

export type FaceOutcome = { challenge_id: string, purpose: FacePurpose, frames: number, seen: Array<FaceStep>, distance: number, threshold: number, 
/**
 * For `enrol`: the holder's assurance now.
 */
assurance: Assurance | null, 
/**
 * For `proxy`: the application, now filed.
 */
application: ApplicationView | null, 
/**
 * For `counter`: the redemption the counter may now ask authorization under; the
 * person consents on the counter's tablet.
 */
redemption: Redemption | null, };

export type CounterFaceCheckRequest = { id_number: string, name: string, 
/**
 * 法人刷脸 (seed 002): the 统一社会信用代码 of an enterprise this person is the legal
 * representative of; the passed check then acts for the enterprise.
 */
enterprise: string | null, };

export type CounterConsentRequest = { approve: Array<string>, };

export type StaffLookupRequest = { 
/**
 * 居民身份证号码 or 统一社会信用代码.
 */
subject: string, 
/**
 * The person's or enterprise's name as registered.
 */
name: string, matter: string, cert_types: Array<string>, archive: boolean, 
/**
 * For a child under 18: the 居民身份证号码 of the parent at the counter, who approves
 * on their phone (a parent of the child in the population register). Without it, a
 * parent of the child with a confirmed wallet approves.
 */
guardian: string | null, };

export type ProxyApplicationRequest = { 
/**
 * A matter that allows applying for someone else (`elderly_allowance`).
 */
matter: string, id_number: string, name: string, };

export type ApplicationView = { id: string, matter: string, matter_name: string, state: ApplicationState, 
/**
 * The applicant, masked ("王**"), and their age on the day it was made.
 */
applicant_masked: string, applicant_age: number, 
/**
 * Who filed it for them (masked), when filed by an agent.
 */
agent_masked: string | null, 
/**
 * The department that receives it.
 */
department: string, created_at: number, filed_at: number | null, 
/**
 * Certificates released to the application: (type name, licence id).
 */
released: Array<ReceiptCert>, };

export type ProxyApplicationCreated = { application: ApplicationView, challenge: FaceChallenge, };

export type PushEvent = { "kind": "auth_request", request: AuthRequestView, } | { "kind": "auth_decided", request_id: string, state: RequestState, approved: Array<string>, } | { "kind": "logged_in", session_id: string, holder_name: string, method: LoginMethod, } | { "kind": "grant_used", grant_id: string, matter: string, terminal: string, cert_types: Array<string>, } | { "kind": "device_added", key_id: KeyId, label: string, at: number, } | { "kind": "proof_ordered", order_id: string, } | { "kind": "proof_answered", order_id: string, state: ProofState, } | { "kind": "resync", } | { "kind": "ready", subscriber: string, };

export type RemoteTerminal = { 
/**
 * Its id at its own hub.
 */
terminal_id: string, kind: TerminalKind, name: string, place: string, region: string, department_code: string, department_name: string, };

export type FedRelay = { 
/**
 * Region of the hub that started the call.
 */
from: string, 
/**
 * Region the call is for: a holder code's home region, or on the way back the region
 * of the hub that started the exchange.
 */
to: string, 
/**
 * Regions of the hubs the call has passed through, in order.
 */
hops: Array<string>, call: FedCall, };

export type FedCall = { "op": "redeem", terminal: RemoteTerminal, code: string, } | { "op": "request_authorization", terminal: RemoteTerminal, request: AuthRequestCreate, } | { "op": "get_request", terminal: RemoteTerminal, request_id: string, } | { "op": "release", terminal: RemoteTerminal, request_id: string, } | { "op": "decided", terminal_id: string, request_id: string, state: RequestState, approved: Array<string>, } | { "op": "lookup", cert_type: string, holder: string, };

export type FedReply = { "op": "redemption" } & Redemption | { "op": "request" } & AuthRequestView | { "op": "release" } & Release | { "op": "delivered" } | { "op": "lookup" } & PublicLookup;

export type ProofOrderCreate = { request_id: string, };

export type ProofOrderView = { order_id: string, request_id: string, cert_type: string, cert_name: string, department_name: string, state: ProofState, 
/**
 * Why the department refused, when it did.
 */
reason: string | null, 
/**
 * The sealed proof, once issued.
 */
certificate: Certificate | null, 
/**
 * The issuing department and its seal keys, to check the seal in the page.
 */
issuer: DepartmentInfo | null, 
/**
 * The secret printed on the proof (in its QR code) with which its holder checks it at
 * the hub: in the answer that creates the order only (the hub keeps its hash).
 */
check_token: string | null, created_at: number, expires_at: number, };

export type DeptProofOrder = { order_id: string, cert_type: string, matter: string, 
/**
 * Whom the proof is about (the department looks them up in its own records).
 */
subject: ReleasedHolder, 
/**
 * The department the proof is to be issued in the name of.
 */
department_code: string, department_name: string, terminal_name: string, created_at: number, expires_at: number, };

export type ProofIssue = { certificate: Certificate, };

export type ProofRefusal = { reason: string, };

export type ProofCheckRequest = { token: string, };

export type ProofCheck = { certificate: Certificate, status: CertStatus, issuer: DepartmentInfo, checked_at: number, };

export type CertType = { 
/**
 * Small number used inside codes and signed decisions: never reassigned to another type.
 */
no: number, 
/**
 * Stable catalogue code.
 */
code: string, 
/**
 * 证照名称
 */
name: string, name_en: string, subject: SubjectKind, 
/**
 * Face fields (照面信息) in display order.
 */
fields: Array<string>, 
/**
 * May be disclosed publicly (e.g. 排污许可证, 营业执照).
 */
disclosable: boolean, 
/**
 * Showing its show-code is itself the holder's consent to release it to the terminal
 * that redeems the code (医保电子凭证 at a pharmacy: "免提交社保卡、免输入密码", seed 001):
 * no second prompt; still audited and in the holder's records.
 */
shown_is_consent: boolean, 
/**
 * The departments (统一社会信用代码) that may issue it; they issue no other type.
 */
issued_by: Array<string>, };

export type Material = { name: string, required: boolean, 
/**
 * The certificate type that replaces this material (免提交), by catalogue code.
 */
replaced_by: string | null, };

export type Matter = { code: string, name: string, name_en: string, subject: SubjectKind, 
/**
 * Offered on 24-hour self-service kiosks.
 */
self_service: boolean, 
/**
 * Where it comes from (a seed document, a 事项清单 entry).
 */
seed: string, materials: Array<Material>, 
/**
 * The departments (统一社会信用代码) whose terminals may ask for it.
 */
handled_by: Array<string>, 
/**
 * Who may apply on someone else's behalf, if anyone.
 */
proxy: ProxyRule | null, 
/**
 * How long a department keeps the archive record (预归档) of a request made with
 * "archive": the released certificates and the holder's signed decision.
 */
retention_years: number, 
/**
 * The proof the matter gives at a kiosk, if it gives one: a certificate type (房查证明,
 * 社保参保证明) that its issuing department's own service composes and seals.
 */
issues: string | null, };

export type ProxyRule = { 
/**
 * Eligible from this age (by the ID's birth date) on the day of application.
 */
min_age: number, 
/**
 * The kind of department that receives the application (matched on its name's ending).
 */
received_by: string, };

export type SubjectKind = "person" | "enterprise";

export type Certificate = { body: CertificateBody, seal: Seal, };

export type CertificateBody = { 
/**
 * 电子证照标识
 */
license_id: LicenseId, 
/**
 * 证照名称
 */
name: string, 
/**
 * 证照类型代码 (catalogue code, e.g. `id_card`)
 */
type_code: string, 
/**
 * 证照编号
 */
number: string, 
/**
 * 颁发机构
 */
issuer_name: string, 
/**
 * 颁发机构代码
 */
issuer_code: Uscc, 
/**
 * 颁发日期
 */
issue_date: string, 
/**
 * 持证主体
 */
holder_name: string, 
/**
 * 持证主体代码
 */
holder_code: string, 
/**
 * 持证主体代码类型
 */
holder_code_type: HolderIdType, 
/**
 * 有效期起始
 */
valid_from: string, 
/**
 * 有效期截止; none = 长期
 */
valid_to: string | null, 
/**
 * 照面信息, by field name
 */
face: { [key in string]: string }, 
/**
 * 是否可公开 (public lookup allowed)
 */
disclosable: boolean, };

export type Seal = { alg: SigAlg, key_id: KeyId, sig: Signature, };

export type HolderIdType = "111" | "001";

export type CertStatus = "valid" | "revoked" | "expired" | "superseded";

export type SigAlg = "ES256" | "SM2-SM3";

export type PublicKey = string;

export type KeyId = string;

export type Signature = string;

export type RegionCode = string;

export type IdNumber = string;

export type Uscc = string;

export type LicenseId = string;

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]?: JsonValue } | null;
