//! Types of the hub's HTTP API (JSON), shared by the hub, the client and (via generated
//! bindings) the UIs. Times are unix seconds; signed objects travel as base64url strings.

use crate::catalogue::{CertType, Matter};
use crate::cert::{CertStatus, Certificate, HolderIdType};
use crate::crypto::{KeyId, PublicKey};
use crate::flow::{
    ApplicationState, Assurance, DeviceConfirmation, DeviceState, FacePurpose, LoginMethod,
    LoginState, ObjectionOutcome, ObjectionState, PrincipalKind, ProofState, RedemptionKind,
    RequestState, TerminalKind,
};
use crate::ErrorCode;
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

macro_rules! dto {
    ($($item:item)*) => { $(
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(ToSchema))]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        $item
    )* };
}

mod proofs;
pub use proofs::*;

/// Every error response: a stable code the client matches, and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

/// The hub's current catalogue: the version the operators last imported, and what it holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CatalogueView {
    /// 0 before any catalogue is imported.
    pub version: i64,
    pub name: String,
    pub cert_types: Vec<CertType>,
    pub matters: Vec<Matter>,
}

dto! {
    pub struct HubInfo {
        pub region: String,
        pub name: String,
        pub hub_key: PublicKey,
        pub time: i64,
    }

    /// Enrolment (实名): the request is signed with the device key being registered.
    pub struct EnrolRequest {
        #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{17}[0-9Xx]$"))]
        pub id_number: String,
        pub name: String,
        pub device_public_key: PublicKey,
        /// A label for the device ("Li's phone").
        pub device_label: String,
    }

    /// A new device is pending: it acts for no one until one of `confirm_by` confirms it.
    pub struct EnrolResponse {
        pub holder_id: String,
        pub device_key_id: KeyId,
        pub device_state: DeviceState,
        /// The holder's assurance so far (none for a new holder, until a device is confirmed).
        pub assurance: Assurance,
        pub assurance_note: String,
        /// The ways this device can be confirmed now: `face` when the register has a photo of
        /// the person, `other_device` when the holder has an active device, and always `counter`.
        pub confirm_by: Vec<DeviceConfirmation>,
        /// A one-time code the device shows (as a QR code) at a counter, where staff check the
        /// ID card and confirm the device. Random; names no one.
        pub counter_code: String,
        pub counter_code_expires_at: i64,
    }

    /// One of the holder's devices.
    pub struct DeviceView {
        pub key_id: KeyId,
        pub label: String,
        pub state: DeviceState,
        pub created_at: i64,
        /// When it last took handles for codes or decided a request.
        pub last_used_at: Option<i64>,
        pub confirmed_by: Option<DeviceConfirmation>,
        /// The device that asked.
        pub this_device: bool,
    }

    pub struct DeviceList {
        pub devices: Vec<DeviceView>,
    }

    /// A counter confirms a pending device: staff checked the ID card in person (the card's
    /// number, typed or read by a card reader) and scanned the code the new device shows.
    pub struct DeviceConfirmRequest {
        pub counter_code: String,
        #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{17}[0-9Xx]$"))]
        pub id_number: String,
    }

    /// A counter removes every device of a person who lost their phone: staff checked the ID
    /// card in person.
    pub struct DeviceRemovalRequest {
        #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{17}[0-9Xx]$"))]
        pub id_number: String,
    }

    pub struct DevicesRemoved {
        /// How many devices were removed (0: none was active or pending).
        pub removed: u32,
        pub holder_name_masked: String,
    }

    pub struct DeviceConfirmed {
        pub device_label: String,
        pub holder_name_masked: String,
    }

    pub struct HandlesResponse {
        /// One-time opaque handles (32 hex digits each) for the device's next codes.
        pub handles: Vec<String>,
    }

    pub struct Profile {
        pub holder_id: String,
        pub name: String,
        pub id_number_masked: String,
        pub assurance: Assurance,
        /// The state of the device that asked (a pending device sees only this).
        pub device_state: DeviceState,
        pub region: String,
        /// Enterprises whose legal representative this holder is.
        pub enterprises: Vec<EnterpriseRef>,
    }

    pub struct EnterpriseRef {
        pub uscc: String,
        pub name: String,
    }

    pub struct CertificateView {
        pub certificate: Certificate,
        pub status: CertStatus,
        pub type_no: u16,
        /// Position among the holder's certificates of this type (used in show-codes).
        pub ordinal: u8,
    }

    pub struct DepartmentInfo {
        pub code: String,
        pub name: String,
        pub region: String,
        pub seal_keys: Vec<PublicKey>,
    }

    pub struct TerminalInfo {
        pub terminal_id: String,
        pub kind: TerminalKind,
        pub name: String,
        pub place: String,
        pub region: String,
        pub department: String,
        pub public_key: Option<PublicKey>,
        pub active: bool,
    }

    pub struct TerminalEnrolRequest {
        pub enrolment_code: String,
        pub public_key: PublicKey,
    }

    pub struct RedeemRequest {
        #[cfg_attr(feature = "openapi", schema(pattern = "^MZ:", max_length = 1024))]
        pub code: String,
    }

    pub struct AvailableCert {
        pub type_code: String,
        pub name: String,
        pub count: u32,
    }

    pub struct Redemption {
        pub redemption_id: String,
        pub kind: RedemptionKind,
        /// Masked name of whose certificates these are ("张*").
        pub subject_name_masked: String,
        /// For a delegated presentation: the agent acting (masked).
        pub agent_name_masked: Option<String>,
        pub available: Vec<AvailableCert>,
        pub expires_at: i64,
    }

    pub struct AuthRequestCreate {
        pub redemption_id: String,
        #[cfg_attr(feature = "openapi", schema(pattern = "^[a-z0-9_]{1,64}$"))]
        pub matter: String,
        #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 32))]
        pub cert_types: Vec<String>,
        pub archive: bool,
    }

    pub struct AuthRequestView {
        pub request_id: String,
        pub matter: String,
        pub matter_name: String,
        pub requester: TerminalInfo,
        pub cert_types: Vec<String>,
        pub archive: bool,
        pub state: RequestState,
        pub approved: Vec<String>,
        pub created_at: i64,
        pub expires_at: i64,
        /// Set when an agent acts under a grant.
        pub grant_id: Option<String>,
        pub subject_name_masked: String,
    }

    pub struct DecisionRequest {
        /// base64url of a signed AuthDecision.
        pub decision: String,
    }

    pub struct ReleasedHolder {
        pub name: String,
        pub code: String,
        pub code_type: HolderIdType,
    }

    pub struct Release {
        pub request_id: String,
        pub matter: String,
        pub subject: ReleasedHolder,
        pub certificates: Vec<CertificateView>,
        pub agent: Option<ReleasedHolder>,
        /// The hub that holds these certificates (this hub, or another region's through federation).
        pub held_by: String,
        /// The issuing departments' seal keys as the holding hub publishes them: a terminal
        /// verifies seals of another region's certificates with these.
        pub issuers: Vec<DepartmentInfo>,
    }

    pub struct LoginSessionCreated {
        pub session_id: String,
        pub expires_at: i64,
    }

    pub struct LoginSessionView {
        pub session_id: String,
        pub state: LoginState,
        pub holder_name: Option<String>,
        pub method: Option<LoginMethod>,
        pub expires_at: i64,
    }

    /// A kiosk asks the logged-in holder to release certificates for a self-service matter.
    pub struct SessionAuthRequest {
        #[cfg_attr(feature = "openapi", schema(pattern = "^[a-z0-9_]{1,64}$"))]
        pub matter: String,
        pub archive: bool,
    }

    /// What anyone holding a printed or archived form can check against the hub (the form's
    /// QR code points here). No personal data: the licence ids are on the form already.
    pub struct ReleaseReceipt {
        pub request_id: String,
        pub matter: String,
        pub matter_name: String,
        pub terminal: String,
        pub released_at: i64,
        pub certificates: Vec<ReceiptCert>,
    }

    pub struct ReceiptCert {
        pub license_id: String,
        pub name: String,
        pub status: CertStatus,
    }

    pub struct LoginApprovalRequest {
        /// base64url of a signed LoginApproval.
        pub approval: String,
    }

    pub struct IdentityLoginRequest {
        #[cfg_attr(feature = "openapi", schema(pattern = "^MZ:", max_length = 1024))]
        pub code: String,
    }

    pub struct GrantRequest {
        /// base64url of a signed Grant.
        pub grant: String,
        /// The agent's name, checked with the ID number against the population register so a
        /// typo cannot delegate to somebody else.
        pub agent_name: String,
    }

    pub struct RevokeGrantRequest {
        /// base64url of a signed GrantRevocation.
        pub revocation: String,
    }

    pub struct GrantView {
        pub grant_id: String,
        pub principal_kind: PrincipalKind,
        pub principal_name_masked: String,
        pub agent_name_masked: String,
        pub cert_types: Vec<String>,
        pub matters: Vec<String>,
        pub valid_from: i64,
        pub valid_to: i64,
        pub revoked_at: Option<i64>,
        pub uses: u32,
    }

    pub struct GrantsView {
        pub granted: Vec<GrantView>,
        pub received: Vec<GrantView>,
    }

    pub struct AuditEntryView {
        pub seq: u64,
        pub at: i64,
        pub event: String,
        pub actor: String,
        pub detail: serde_json::Value,
        pub prev: String,
        pub hash: String,
    }

    pub struct CheckpointView {
        pub seq: u64,
        pub head: String,
        pub at: i64,
        /// base64url of the signed Checkpoint.
        pub signed: String,
    }

    pub struct IssueRequest {
        pub certificate: Certificate,
        /// Licence id of a certificate this one replaces (e.g. after an objection): it becomes
        /// `superseded`.
        #[serde(default)]
        pub supersedes: Option<String>,
    }

    pub struct ObjectionRequest {
        pub license_id: String,
        pub reason: String,
    }

    pub struct ResolveObjectionRequest {
        pub outcome: ObjectionOutcome,
        pub resolution: String,
    }

    /// A department's archive record (预归档), as listed.
    pub struct ArchiveSummary {
        pub archive_id: String,
        pub request_id: String,
        pub matter: String,
        pub matter_name: String,
        pub subject_name: String,
        pub terminal_name: String,
        /// How the holder consented: `device` (their signed decision), `counter_tablet`,
        /// `show_code` (the code they showed), `disclosable` (none was needed).
        pub consent: String,
        pub certificates: u32,
        pub created_at: i64,
        pub keep_until: i64,
    }

    /// A department's archive record whole: what was released, to whom, on whose consent.
    pub struct ArchiveRecord {
        pub summary: ArchiveSummary,
        pub subject: ReleasedHolder,
        /// base64url of the holder's signed decision, when they decided on their device.
        pub decision: Option<String>,
        pub certificates: Vec<Certificate>,
    }

    pub struct ObjectionView {
        pub objection_id: String,
        pub license_id: String,
        pub cert_name: String,
        pub reason: String,
        pub state: ObjectionState,
        pub resolution: Option<String>,
        pub created_at: i64,
        pub resolved_at: Option<i64>,
    }

    pub struct IssueResponse {
        pub license_id: String,
    }

    pub struct RevokeCertRequest {
        pub license_id: String,
        pub reason: String,
    }

    pub struct SessionToken {
        pub token: String,
        pub expires_at: i64,
    }

    pub struct PublicCertificate {
        pub certificate: Certificate,
        pub status: CertStatus,
    }

    /// A public lookup in a named region, whichever hub holds it: the certificates, the hub
    /// that held them, and the issuing departments' seal keys as that hub publishes them.
    pub struct PublicLookup {
        pub held_by: String,
        pub certificates: Vec<PublicCertificate>,
        pub issuers: Vec<DepartmentInfo>,
    }
}

dto! {
    /// Set this device's PIN on the hub (the hub keeps only a hash of the verifier). Changing
    /// a PIN that is set needs the current one as `current` (a wrong one counts as a failure).
    /// `verifier` is base64url(PBKDF2-HMAC-SHA256(PIN, "mianzheng-pin/v1/" + key id, 100000
    /// iterations, 32 bytes)); the PIN itself never leaves the device.
    pub struct PinSet {
        pub verifier: String,
        pub current: Option<String>,
    }

    /// A PIN entered on the device, as its verifier.
    pub struct PinCheck {
        pub proof: String,
    }

    /// The hub's verdict on a PIN. Approvals from this device (requests, kiosk logins, grants,
    /// new devices, removals) are accepted until `ok_until`; five wrong PINs lock them for five
    /// minutes by the hub's clock, whatever the device's clock or store file says.
    pub struct PinChecked {
        pub outcome: PinOutcome,
        pub tries_left: u32,
        pub locked_for_secs: i64,
        pub ok_until: Option<i64>,
    }
}

dto! {
    /// What a PIN check found.
    #[serde(rename_all = "snake_case")]
    pub enum PinOutcome {
        Correct,
        Wrong,
        Locked,
    }
}

dto! {
    /// One head pose a face challenge asks for.
    #[serde(rename_all = "snake_case")]
    pub enum FaceStep {
        /// Look straight at the camera.
        Front,
        /// Turn the head to one's own left.
        TurnLeft,
        /// Turn the head to one's own right.
        TurnRight,
        /// Raise the chin and look up (a nod).
        LookUp,
    }

    /// A live face check (实人): perform `steps` in order while the camera films; send
    /// `frames_min`–`frames_max` JPEG frames before `expires_at`. The hub decides.
    pub struct FaceChallenge {
        pub id: String,
        /// My own 实人 step, an elderly person's check for an application filed for them, or
        /// a holder without a phone at a counter.
        pub purpose: FacePurpose,
        /// The poses in order: front, then each move and back to front. Film continuously
        /// (a frame every 50–1000 ms, 200 ms suits): the head must move through the poses in
        /// between, not jump.
        pub steps: Vec<FaceStep>,
        /// Send this back with the frames (the request is signed, so the frames are bound to
        /// this challenge).
        pub nonce: String,
        pub expires_at: i64,
        pub frames_min: u32,
        pub frames_max: u32,
        /// Attempts left on this challenge.
        pub attempts_left: u32,
    }

    /// The filmed frames, in order, as base64 (standard alphabet) JPEG or PNG.
    pub struct FaceFrames {
        /// The challenge's nonce.
        pub nonce: String,
        pub frames: Vec<String>,
        /// When each frame was taken, in milliseconds after the first (so the first is 0):
        /// increasing, 50–1000 ms apart. The hub refuses frames that span more time than the
        /// challenge has existed.
        pub captured_ms: Vec<u32>,
    }

    /// A passed face check: the figures kept in the audit chain (the frames are not kept).
    pub struct FaceOutcome {
        pub challenge_id: String,
        pub purpose: FacePurpose,
        pub frames: u32,
        pub seen: Vec<FaceStep>,
        pub distance: f32,
        pub threshold: f32,
        /// For `enrol`: the holder's assurance now.
        pub assurance: Option<Assurance>,
        /// For `proxy`: the application, now filed.
        pub application: Option<ApplicationView>,
        /// For `counter`: the redemption the counter may now ask authorization under; the
        /// person consents on the counter's tablet.
        pub redemption: Option<Redemption>,
    }

    /// Staff look a holder up (统一受理): a person by ID number, an enterprise by 统一社会信用代码,
    /// each with the name in the register, and ask for a matter's certificates. The holder (an
    /// enterprise's legal representative) is prompted on their phone; nothing is released
    /// before they approve, except certificates the catalogue marks disclosable.
    pub struct StaffLookupRequest {
        /// 居民身份证号码 or 统一社会信用代码.
        #[cfg_attr(feature = "openapi", schema(pattern = "^([0-9]{17}[0-9Xx]|[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10})$"))]
        pub subject: String,
        /// The person's or enterprise's name as registered.
        pub name: String,
        #[cfg_attr(feature = "openapi", schema(pattern = "^[a-z0-9_]{1,64}$"))]
        pub matter: String,
        #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 32))]
        pub cert_types: Vec<String>,
        pub archive: bool,
        /// For a child under 18: the 居民身份证号码 of the parent at the counter, who approves
        /// on their phone (a parent of the child in the population register). Without it, a
        /// parent of the child with a confirmed wallet approves.
        #[serde(default)]
        pub guardian: Option<String>,
    }

    /// Counter face check (窗口刷脸) for a holder without a phone: who they say they are.
    pub struct CounterFaceCheckRequest {
        #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{17}[0-9Xx]$"))]
        pub id_number: String,
        pub name: String,
        /// 法人刷脸 (seed 002): the 统一社会信用代码 of an enterprise this person is the legal
        /// representative of; the passed check then acts for the enterprise.
        #[serde(default)]
        pub enterprise: Option<String>,
    }

    /// The person's own choice on the counter's tablet, after a passed face check: the
    /// certificate types they agree to release (empty: refuse).
    pub struct CounterConsentRequest {
        pub approve: Vec<String>,
    }

    /// "Apply for someone else" (代办): the agent names the person the application is for.
    pub struct ProxyApplicationRequest {
        /// A matter that allows applying for someone else (`elderly_allowance`).
        #[cfg_attr(feature = "openapi", schema(pattern = "^[a-z0-9_]{1,64}$"))]
        pub matter: String,
        #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{17}[0-9Xx]$"))]
        pub id_number: String,
        pub name: String,
    }

    /// An application filed for a person (for example 高龄津贴 for someone 80 or over).
    pub struct ApplicationView {
        pub id: String,
        pub matter: String,
        pub matter_name: String,
        pub state: ApplicationState,
        /// The applicant, masked ("王**"), and their age on the day it was made.
        pub applicant_masked: String,
        pub applicant_age: u32,
        /// Who filed it for them (masked), when filed by an agent.
        pub agent_masked: Option<String>,
        /// The department that receives it.
        pub department: String,
        pub created_at: i64,
        pub filed_at: Option<i64>,
        /// Certificates released to the application: (type name, licence id).
        pub released: Vec<ReceiptCert>,
    }

    /// A proxy application just opened, with the face challenge the applicant must pass.
    pub struct ProxyApplicationCreated {
        pub application: ApplicationView,
        pub challenge: FaceChallenge,
    }
}

/// What the hub pushes (server-sent events; the SSE event name is `kind`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[allow(clippy::large_enum_variant)] // few and short-lived
pub enum PushEvent {
    /// To the holder: a terminal asks to use certificates.
    AuthRequest { request: AuthRequestView },
    /// To the terminal: the holder decided.
    AuthDecided {
        request_id: String,
        state: RequestState,
        approved: Vec<String>,
    },
    /// To the kiosk: a holder logged in.
    LoggedIn {
        session_id: String,
        holder_name: String,
        method: LoginMethod,
    },
    /// To a principal: an agent used a grant.
    GrantUsed {
        grant_id: String,
        matter: String,
        terminal: String,
        cert_types: Vec<String>,
    },
    /// To the holder's active devices: a new device was enrolled for them and waits for
    /// approval (approve it, or remove it if it is not theirs).
    DeviceAdded {
        key_id: KeyId,
        label: String,
        at: i64,
    },
    /// To the issuing department: a kiosk ordered a proof of it (read the pending orders).
    ProofOrdered { order_id: String },
    /// To the kiosk that ordered a proof: the department issued or refused it.
    ProofAnswered { order_id: String, state: ProofState },
    /// On a reconnection whose `Last-Event-ID` the hub can no longer resume from: read the
    /// state again (pending requests, a request's state). Its id is the current one.
    Resync {},
    /// Sent once when the stream opens (without an id: it does not move a client's place).
    Ready { subscriber: String },
}

impl PushEvent {
    pub fn name(&self) -> &'static str {
        match self {
            PushEvent::AuthRequest { .. } => "auth_request",
            PushEvent::AuthDecided { .. } => "auth_decided",
            PushEvent::LoggedIn { .. } => "logged_in",
            PushEvent::GrantUsed { .. } => "grant_used",
            PushEvent::DeviceAdded { .. } => "device_added",
            PushEvent::ProofOrdered { .. } => "proof_ordered",
            PushEvent::ProofAnswered { .. } => "proof_answered",
            PushEvent::Ready { .. } => "ready",
            PushEvent::Resync {} => "resync",
        }
    }
}

/// Mask a name for display before release: keep the first character ("张*", "欧阳**").
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => std::iter::once(first).chain(chars.map(|_| '*')).collect(),
        None => String::new(),
    }
}

dto! {
    /// A terminal of another hub, as its own hub vouches for it (federation).
    pub struct RemoteTerminal {
        /// Its id at its own hub.
        pub terminal_id: String,
        pub kind: TerminalKind,
        pub name: String,
        pub place: String,
        pub region: String,
        pub department_code: String,
        pub department_name: String,
    }

    /// A call from hub to hub, passed on by each hub towards the one that holds `to`. Every
    /// hop is a request signed by the sending hub's key, and audited by the receiving hub.
    pub struct FedRelay {
        /// Region of the hub that started the call.
        pub from: String,
        /// Region the call is for: a holder code's home region, or on the way back the region
        /// of the hub that started the exchange.
        pub to: String,
        /// Regions of the hubs the call has passed through, in order.
        pub hops: Vec<String>,
        pub call: FedCall,
    }
}

/// What one hub asks of another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[allow(clippy::large_enum_variant)]
pub enum FedCall {
    /// A terminal of the calling side scanned a holder code of the destination's region.
    Redeem {
        terminal: RemoteTerminal,
        code: String,
    },
    RequestAuthorization {
        terminal: RemoteTerminal,
        request: AuthRequestCreate,
    },
    GetRequest {
        terminal: RemoteTerminal,
        request_id: String,
    },
    Release {
        terminal: RemoteTerminal,
        request_id: String,
    },
    /// Back to the terminal's hub: the holder decided (it pushes this to the terminal).
    Decided {
        terminal_id: String,
        request_id: String,
        state: RequestState,
        approved: Vec<String>,
    },
    /// Public lookup of disclosable certificates in the destination's region (for anyone).
    Lookup { cert_type: String, holder: String },
}

impl FedCall {
    /// The call's name (its `op` tag), for audit entries.
    pub fn op(&self) -> &'static str {
        match self {
            FedCall::Redeem { .. } => "redeem",
            FedCall::RequestAuthorization { .. } => "request_authorization",
            FedCall::GetRequest { .. } => "get_request",
            FedCall::Release { .. } => "release",
            FedCall::Decided { .. } => "decided",
            FedCall::Lookup { .. } => "lookup",
        }
    }
}

/// The answer to a [`FedCall`], passed back along the same hops.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[allow(clippy::large_enum_variant)]
pub enum FedReply {
    Redemption(Redemption),
    Request(AuthRequestView),
    Release(Release),
    Delivered,
    Lookup(PublicLookup),
}
