//! An example of every request body in the OpenAPI document, built from the request types
//! themselves (so each has the schema's shape; e2e/python checks each against its schema).
//! The certificate is the published vectors' ES256 one, whose seal verifies.

use mz_core::api::*;
use mz_core::cert::Certificate;
use mz_core::crypto::PublicKey;
use mz_core::flow::{ObjectionOutcome, TerminalKind};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

const VECTORS: &str = include_str!("../../../../docs/vectors/interface.json");
const CODE: &str = "MZ:X50UJTR73472472472472472472472X626Y0SBGL-T5T1:*0:*0:*0:-0R8P7V9";
const LICENCE: &str = "11220000013544541J-id_card-V0001-1";

fn vectors() -> Value {
    serde_json::from_str(VECTORS).expect("the vectors are JSON")
}

fn sample_key() -> PublicKey {
    let text = vectors()["keys"]["es256"]["public_key"].clone();
    serde_json::from_value(text).expect("a public key")
}

fn sample_certificate() -> Certificate {
    serde_json::from_value(vectors()["seals"][0]["certificate"].clone()).expect("a certificate")
}

fn example<T: Serialize>(name: &'static str, value: T) -> (&'static str, Value) {
    (
        name,
        serde_json::to_value(value).expect("an example serializes"),
    )
}

fn terminal() -> RemoteTerminal {
    RemoteTerminal {
        terminal_id: "01a24c5d-41a8-747b-8d33-99cad8ff1db7".into(),
        kind: TerminalKind::Counter,
        name: "2号窗口".into(),
        place: "咸宁市住房公积金中心".into(),
        region: "421200".into(),
        department_code: "housing_fund".into(),
        department_name: "咸宁市住房公积金中心".into(),
    }
}

fn authorization() -> AuthRequestCreate {
    AuthRequestCreate {
        redemption_id: "01a24c5d-4cd4-733d-9dad-e121f81f42ed".into(),
        matter: "housing_fund_withdrawal".into(),
        cert_types: vec!["id_card".into(), "property_cert".into()],
        archive: false,
    }
}

/// The examples by schema name.
pub fn request_examples() -> BTreeMap<&'static str, Value> {
    // The shape of a signed object (base64url); its signature is not a valid one.
    let signed = "AQRVVVVVVVVVVVVVVVVVVVVVAgECgJvsrw00jtdX1lywJmltn";
    let id_number = "11010519491231002X";
    BTreeMap::from([
        example("AuthRequestCreate", authorization()),
        example(
            "ProofOrderCreate",
            ProofOrderCreate {
                request_id: "6f1c2a9e-0b7d-4c41-9a53-2f8e1d0c7b64".into(),
            },
        ),
        example(
            "ProofIssue",
            ProofIssue {
                certificate: sample_certificate(),
            },
        ),
        example(
            "ProofRefusal",
            ProofRefusal {
                reason: "本局无该人员参保记录".into(),
            },
        ),
        example(
            "ProofCheckRequest",
            ProofCheckRequest {
                token: "q0Zy3VfYzF7b1xXcW0lYb2S5WlE9kq8c2m4Jt6Rr1aE".into(),
            },
        ),
        example(
            "CounterConsentRequest",
            CounterConsentRequest {
                approve: vec!["id_card".into()],
            },
        ),
        example(
            "StaffLookupRequest",
            StaffLookupRequest {
                subject: id_number.into(),
                name: "张三".into(),
                matter: "housing_fund_withdrawal".into(),
                cert_types: vec!["id_card".into(), "marriage_cert".into()],
                archive: true,
                guardian: None,
            },
        ),
        example(
            "CounterFaceCheckRequest",
            CounterFaceCheckRequest {
                id_number: id_number.into(),
                name: "张三".into(),
                enterprise: None,
            },
        ),
        example(
            "DecisionRequest",
            DecisionRequest {
                decision: signed.into(),
            },
        ),
        example(
            "DeviceConfirmRequest",
            DeviceConfirmRequest {
                counter_code: "7S79-MUE3".into(),
                id_number: id_number.into(),
            },
        ),
        example(
            "DeviceRemovalRequest",
            DeviceRemovalRequest {
                id_number: id_number.into(),
            },
        ),
        example(
            "EnrolRequest",
            EnrolRequest {
                id_number: id_number.into(),
                name: "张三".into(),
                device_public_key: sample_key(),
                device_label: "phone".into(),
            },
        ),
        example(
            "FaceFrames",
            FaceFrames {
                nonce: "f3a1c9".into(),
                frames: vec!["/9j/4AAQSkZJRg==".into()],
                captured_ms: vec![0],
            },
        ),
        example(
            "FedRelay",
            FedRelay {
                from: "421200".into(),
                to: "420100".into(),
                hops: vec!["421200".into()],
                call: FedCall::RequestAuthorization {
                    terminal: terminal(),
                    request: authorization(),
                },
            },
        ),
        example(
            "GrantRequest",
            GrantRequest {
                grant: signed.into(),
                agent_name: "李四".into(),
            },
        ),
        example(
            "IdentityLoginRequest",
            IdentityLoginRequest { code: CODE.into() },
        ),
        example(
            "IssueRequest",
            IssueRequest {
                certificate: sample_certificate(),
                supersedes: None,
            },
        ),
        example(
            "LoginApprovalRequest",
            LoginApprovalRequest {
                approval: signed.into(),
            },
        ),
        example(
            "ObjectionRequest",
            ObjectionRequest {
                license_id: LICENCE.into(),
                reason: "地址有误".into(),
            },
        ),
        example(
            "PinCheck",
            PinCheck {
                proof: "q83vEjRWeJA".into(),
            },
        ),
        example(
            "PinSet",
            PinSet {
                verifier: "q83vEjRWeJA".into(),
                current: None,
            },
        ),
        example(
            "ProxyApplicationRequest",
            ProxyApplicationRequest {
                matter: "elderly_allowance".into(),
                id_number: id_number.into(),
                name: "张三".into(),
            },
        ),
        example("RedeemRequest", RedeemRequest { code: CODE.into() }),
        example(
            "ResolveObjectionRequest",
            ResolveObjectionRequest {
                outcome: ObjectionOutcome::Corrected,
                resolution: "已更正地址".into(),
            },
        ),
        example(
            "RevokeCertRequest",
            RevokeCertRequest {
                license_id: LICENCE.into(),
                reason: "证照已注销".into(),
            },
        ),
        example(
            "RevokeGrantRequest",
            RevokeGrantRequest {
                revocation: signed.into(),
            },
        ),
        example(
            "SessionAuthRequest",
            SessionAuthRequest {
                matter: "property_record_query".into(),
                archive: false,
            },
        ),
        example(
            "TerminalEnrolRequest",
            TerminalEnrolRequest {
                enrolment_code: "7S79-MUE3-UKY5-Z4CJ".into(),
                public_key: sample_key(),
            },
        ),
    ])
}
