//! Test vectors and one rejecting test for every verification rule of the protocol objects.

use mz_core::catalogue;
use mz_core::cert::*;
use mz_core::codes::*;
use mz_core::crypto::{unb64, PublicKey, SigAlg, Signature, Signer};
use mz_core::ids::*;
use mz_core::wire::{self, Kind};
use mz_softkey::{SealKey, SoftKey};
use std::collections::BTreeMap;

fn vector(name: &str) -> &'static str {
    include_str!("vectors.txt")
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
        .expect("vector present")
}
const T0: i64 = 1_795_000_000;

fn vec_key() -> PublicKey {
    PublicKey::from_bytes(&unb64("k", vector("PUB")).unwrap()).unwrap()
}

#[test]
fn vectors_parse_and_verify() {
    let k = vec_key();
    let show = ScannedHolderCode::parse(vector("SHOW"))
        .unwrap()
        .verify(&k, T0 + 10)
        .unwrap();
    assert_eq!(show.body().region, 421224);
    assert_eq!(show.body().handle, [0x11; 16]);
    assert_eq!(
        show.body().scope,
        Scope::Certificate {
            cert_type: 6,
            ordinal: 0
        }
    );
    let ident = ScannedHolderCode::parse(vector("IDENT"))
        .unwrap()
        .verify(&k, T0)
        .unwrap();
    assert!(ident.is_identity());
    let login = LoginCodeBody::parse(vector("LOGIN"))
        .unwrap()
        .verify(&k)
        .unwrap();
    assert_eq!((login.terminal, login.session), ([0x33; 16], [0x44; 16]));
    login.check_time(T0).unwrap();
    let d = AuthDecision::open(&unb64("d", vector("DECISION")).unwrap())
        .unwrap()
        .verify(&k)
        .unwrap();
    assert_eq!(d.approve, vec![1, 2]);
    let g = Grant::open(&unb64("g", vector("GRANT")).unwrap())
        .unwrap()
        .verify(&k)
        .unwrap();
    assert_eq!(g.agent, "42010219900307891X");
    assert_eq!(g.valid_to - g.valid_from, 7 * 86_400);
    let a = LoginApproval::open(&unb64("a", vector("APPROVAL")).unwrap())
        .unwrap()
        .verify(&k)
        .unwrap();
    assert_eq!(
        (a.session, a.code_issued_at, a.approved_at),
        ([0x44; 16], 1_795_000_000, 1_795_000_005)
    );
    let r = GrantRevocation::open(&unb64("r", vector("REVOCATION")).unwrap())
        .unwrap()
        .verify(&k)
        .unwrap();
    assert_eq!(r.grant, [0x66; 16]);
    let c = Checkpoint::open(&unb64("c", vector("CHECKPOINT")).unwrap())
        .unwrap()
        .verify(&k)
        .unwrap();
    assert_eq!((c.seq, c.head), (77, [0xAB; 32]));
    // The audit hash is deterministic: the vector pins the entry encoding.
    let e = mz_core::audit::AuditEntry {
        seq: 1,
        at: 1_795_000_000,
        prev: [0; 32],
        event: "release".into(),
        actor: "terminal:x".into(),
        subject: Some("11010519491231002X".into()),
        detail: "{}".into(),
    };
    assert_eq!(hex::encode(e.hash()), vector("AUDIT_HASH"));
}

fn body(scope: Scope, at: i64) -> HolderCodeBody {
    HolderCodeBody {
        region: 421224,
        handle: [0xAB; 16],
        scope,
        issued_at: at,
        nonce: [1, 2, 3, 4, 5, 6, 7, 8],
    }
}

#[test]
fn holder_code_rules_each_reject() {
    let dev = SoftKey::generate();
    let other = SoftKey::generate();
    let text = body(
        Scope::Certificate {
            cert_type: 1,
            ordinal: 0,
        },
        T0,
    )
    .sign_text(&dev)
    .unwrap();
    let code = || ScannedHolderCode::parse(&text).unwrap();
    // good
    code()
        .verify(&dev.public_key(), T0 + CODE_TTL_SECS)
        .unwrap();
    // bad signature
    assert_eq!(
        code().verify(&other.public_key(), T0).unwrap_err().code(),
        "bad_signature"
    );
    // expired
    assert_eq!(
        code()
            .verify(&dev.public_key(), T0 + CODE_TTL_SECS + 1)
            .unwrap_err()
            .code(),
        "expired"
    );
    // not yet valid
    assert_eq!(
        code()
            .verify(&dev.public_key(), T0 - CLOCK_SKEW_SECS - 1)
            .unwrap_err()
            .code(),
        "not_yet_valid"
    );
    // wrong kind: a show-code where only identity codes are accepted, and a login code
    assert_eq!(
        ScannedHolderCode::parse_kinds(&text, &[Kind::IdentityCode])
            .unwrap_err()
            .code(),
        "wrong_kind"
    );
    assert_eq!(
        ScannedHolderCode::parse(vector("LOGIN"))
            .unwrap_err()
            .code(),
        "wrong_kind"
    );
    // truncated
    let bytes = wire::from_text("c", &text, 500).unwrap();
    let cut = wire::to_text(&bytes[..bytes.len() - 70]);
    assert_eq!(
        ScannedHolderCode::parse(&cut).unwrap_err().code(),
        "truncated"
    );
    // oversize
    let mut big = bytes.clone();
    big.splice(2..2, std::iter::repeat_n(0u8, 200));
    assert_eq!(
        ScannedHolderCode::parse(&wire::to_text(&big))
            .unwrap_err()
            .code(),
        "oversize"
    );
    assert_eq!(
        ScannedHolderCode::parse(&format!("MZ:{}", "0".repeat(5000)))
            .unwrap_err()
            .code(),
        "oversize"
    );
    // unknown version
    let mut v2 = bytes.clone();
    v2[0] = 2;
    assert_eq!(
        ScannedHolderCode::parse(&wire::to_text(&v2))
            .unwrap_err()
            .code(),
        "unknown_version"
    );
    // trailing bytes inside the signed part
    let mut trail = bytes[..bytes.len() - 64].to_vec();
    trail.push(0);
    let sig = dev.sign(&trail).unwrap();
    trail.extend_from_slice(&sig.0);
    assert_eq!(
        ScannedHolderCode::parse(&wire::to_text(&trail))
            .unwrap_err()
            .code(),
        "malformed"
    );
    // any changed byte fails
    for i in 0..bytes.len() {
        let mut b = bytes.clone();
        b[i] ^= 0x01;
        let r = ScannedHolderCode::parse(&wire::to_text(&b))
            .and_then(|c| c.verify(&dev.public_key(), T0));
        assert!(r.is_err(), "byte {i} changed but accepted");
    }
    // not our code at all
    assert_eq!(
        ScannedHolderCode::parse("https://example.com/x")
            .unwrap_err()
            .code(),
        "malformed"
    );
    assert_eq!(
        ScannedHolderCode::parse("MZ:abc").unwrap_err().code(),
        "malformed"
    );
    // kind byte and scope must agree
    let lying = wire::seal(
        Kind::IdentityCode,
        &body(
            Scope::Certificate {
                cert_type: 1,
                ordinal: 0,
            },
            T0,
        ),
        &dev,
    )
    .unwrap();
    assert_eq!(
        ScannedHolderCode::parse(&wire::to_text(&lying))
            .unwrap_err()
            .code(),
        "malformed"
    );
}

#[test]
fn show_code_fits_qr_v8_m_and_carries_no_personal_data() {
    use qrcode::{EcLevel, QrCode, Version};
    let dev = SoftKey::generate();
    // The largest holder code: a delegated show-code.
    let text = body(
        Scope::Delegated {
            grant: [0xFF; 16],
            cert_type: u16::MAX,
        },
        i64::from(u32::MAX) * 4,
    )
    .sign_text(&dev)
    .unwrap();
    let qr = QrCode::with_version(text.as_bytes(), Version::Normal(8), EcLevel::M)
        .expect("fits QR version 8-M");
    // Decode it back from the rendered modules with rqrr.
    let w = qr.width();
    let colors = qr.to_colors();
    let scale = 4;
    let size = (w + 8) * scale;
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(size, size, |x, y| {
        let (mx, my) = ((x / scale) as isize - 4, (y / scale) as isize - 4);
        if mx < 0 || my < 0 || mx >= w as isize || my >= w as isize {
            return 255;
        }
        if colors[my as usize * w + mx as usize] == qrcode::Color::Dark {
            0
        } else {
            255
        }
    });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1);
    let (_, decoded) = grids[0].decode().unwrap();
    assert_eq!(decoded, text);
    // What a scanner reads has no ID number, name or birth date in it (text or bytes).
    let id = "11010519491231002X";
    let name = "张三";
    let bytes = wire::from_text("c", &decoded, 500).unwrap();
    let hay = String::from_utf8_lossy(&bytes);
    for needle in [id, &id[6..14], name] {
        assert!(!decoded.contains(needle) && !hay.contains(needle));
    }
    let body = ScannedHolderCode::parse(&decoded)
        .unwrap()
        .verify(&dev.public_key(), i64::from(u32::MAX) * 4)
        .unwrap();
    let dbg = format!("{:?}", body.body());
    assert!(!dbg.contains(id) && !dbg.contains(name));
}

#[test]
fn login_code_rules() {
    let term = SoftKey::generate();
    let b = LoginCodeBody {
        region: 421224,
        terminal: [1; 16],
        session: [2; 16],
        issued_at: T0,
        nonce: [3; 8],
    };
    let text = b.sign_text(&term).unwrap();
    assert_eq!(
        LoginCodeBody::parse(&text)
            .unwrap()
            .verify(&term.public_key())
            .unwrap(),
        b
    );
    assert_eq!(
        LoginCodeBody::parse(&text)
            .unwrap()
            .verify(&SoftKey::generate().public_key())
            .unwrap_err()
            .code(),
        "bad_signature"
    );
    assert_eq!(
        b.check_time(T0 + CODE_TTL_SECS + 1).unwrap_err().code(),
        "expired"
    );
    assert_eq!(
        b.check_time(T0 - CLOCK_SKEW_SECS - 1).unwrap_err().code(),
        "not_yet_valid"
    );
    assert_eq!(
        LoginCodeBody::parse(vector("SHOW")).unwrap_err().code(),
        "wrong_kind"
    );
}

#[test]
fn signed_objects_reject() {
    let k = SoftKey::generate();
    let d = AuthDecision {
        request: [9; 16],
        approve: vec![1],
        decided_at: T0,
    };
    let bytes = d.sign(&k).unwrap();
    assert_eq!(
        AuthDecision::open(&bytes)
            .unwrap()
            .verify(&k.public_key())
            .unwrap(),
        d
    );
    assert_eq!(
        AuthDecision::open(&bytes)
            .unwrap()
            .verify(&SoftKey::generate().public_key())
            .unwrap_err()
            .code(),
        "bad_signature"
    );
    assert_eq!(
        LoginApproval::open(&bytes).unwrap_err().code(),
        "wrong_kind"
    );
    assert_eq!(
        AuthDecision::open(&bytes[..40]).unwrap_err().code(),
        "truncated"
    );
    let dup = AuthDecision {
        approve: vec![1, 1],
        ..d.clone()
    }
    .sign(&k)
    .unwrap();
    assert_eq!(AuthDecision::open(&dup).unwrap_err().code(), "malformed");
    let mut big = bytes.clone();
    big.splice(2..2, std::iter::repeat_n(0u8, 600));
    assert_eq!(AuthDecision::open(&big).unwrap_err().code(), "oversize");
    let mut v9 = bytes.clone();
    v9[0] = 9;
    assert_eq!(
        AuthDecision::open(&v9).unwrap_err().code(),
        "unknown_version"
    );

    let a = LoginApproval {
        session: [1; 16],
        terminal: [2; 16],
        code_nonce: [3; 8],
        code_issued_at: T0 - 10,
        approved_at: T0,
    };
    assert_eq!(
        LoginApproval::open(&a.sign(&k).unwrap())
            .unwrap()
            .verify(&k.public_key())
            .unwrap(),
        a
    );
    let r = GrantRevocation {
        grant: [4; 16],
        revoked_at: T0,
    };
    assert_eq!(
        GrantRevocation::open(&r.sign(&k).unwrap())
            .unwrap()
            .verify(&k.public_key())
            .unwrap(),
        r
    );
    let c = Checkpoint {
        region: 421200,
        seq: 7,
        head: [5; 32],
        at: T0,
    };
    assert_eq!(
        Checkpoint::open(&c.sign(&k).unwrap())
            .unwrap()
            .verify(&k.public_key())
            .unwrap(),
        c
    );
}

#[test]
fn grant_rules() {
    let k = SoftKey::generate();
    let g = Grant {
        grant: [1; 16],
        principal: Principal::Person("11010519491231002X".into()),
        agent: "42010219900307891X".into(),
        cert_types: vec![10],
        matters: vec!["crane_use_registration".into()],
        valid_from: T0,
        valid_to: T0 + 7 * 86_400,
        created_at: T0,
    };
    Grant::open(&g.sign(&k).unwrap())
        .unwrap()
        .verify(&k.public_key())
        .unwrap();
    let bad = |g: Grant| Grant::open(&g.sign(&k).unwrap()).unwrap_err().code();
    assert_eq!(
        bad(Grant {
            agent: "11010519491231002X".into(),
            ..g.clone()
        }),
        "malformed",
        "self"
    );
    assert_eq!(
        bad(Grant {
            agent: "420102199003078910".into(),
            ..g.clone()
        }),
        "invalid_identifier"
    );
    assert_eq!(
        bad(Grant {
            principal: Principal::Enterprise("91110000802100433C".into()),
            ..g.clone()
        }),
        "invalid_identifier"
    );
    assert_eq!(
        bad(Grant {
            cert_types: vec![],
            ..g.clone()
        }),
        "malformed"
    );
    assert_eq!(
        bad(Grant {
            valid_to: T0,
            ..g.clone()
        }),
        "malformed"
    );
    assert_eq!(
        bad(Grant {
            valid_to: T0 + MAX_GRANT_SECS + 1,
            ..g.clone()
        }),
        "malformed"
    );
    g.check_time(T0).unwrap();
    assert_eq!(g.check_time(T0 - 1).unwrap_err().code(), "not_yet_valid");
    assert_eq!(g.check_time(T0 + 7 * 86_400).unwrap_err().code(), "expired");
}

fn sample_cert(issuer: &Uscc) -> CertificateBody {
    let t = catalogue::Catalogue::demo().cert_type("id_card").unwrap();
    let mut face = BTreeMap::new();
    face.insert("姓名".to_string(), "张三".to_string());
    face.insert("公民身份号码".to_string(), "11010519491231002X".to_string());
    CertificateBody {
        license_id: LicenseId::new(&t.type_code(), issuer, "A0001", 1).unwrap(),
        name: t.name.clone(),
        type_code: t.code.clone(),
        number: "A0001".into(),
        issuer_name: "北京市公安局西城分局".into(),
        issuer_code: issuer.clone(),
        issue_date: "2020-01-02".parse().unwrap(),
        holder_name: "张三".into(),
        holder_code: "11010519491231002X".into(),
        holder_code_type: HolderIdType::IdNumber,
        valid_from: "2020-01-02".parse().unwrap(),
        valid_to: Some("2040-01-02".parse().unwrap()),
        face,
        disclosable: false,
    }
}

#[test]
fn sm2_vector_from_openssl_verifies_and_changes_are_rejected() {
    let key = PublicKey::sm2(&hex::decode(vector("SM2PUB")).unwrap()).unwrap();
    assert_eq!(key.alg(), SigAlg::Sm2Sm3);
    let msg = vector("SM2MSG").as_bytes();
    let sig = Signature::from_bytes(&hex::decode(vector("SM2SIG")).unwrap()).unwrap();
    key.verify(msg, &sig).unwrap();
    let mut m = msg.to_vec();
    m[0] ^= 1;
    assert!(key.verify(&m, &sig).is_err(), "changed message");
    let mut s = sig;
    s.0[63] ^= 1;
    assert!(key.verify(msg, &s).is_err(), "changed signature");
    // The same point read as a P-256 key is another key, and the signature fails under it.
    let p256 = PublicKey::from_bytes(&hex::decode(vector("SM2PUB")).unwrap()).unwrap();
    assert_eq!(p256.alg(), SigAlg::Es256);
    assert_ne!(p256.key_id(), key.key_id());
    assert!(p256.verify(msg, &sig).is_err());
    // Off-curve points and bad forms are refused as SM2 keys.
    let mut off = hex::decode(vector("SM2PUB")).unwrap();
    off[64] ^= 1;
    assert!(PublicKey::sm2(&off).is_err());
    assert!(PublicKey::from_bytes(&[0x53; 66]).is_err());
    assert!(PublicKey::from_bytes(&[0x53]).is_err());
    // The binary form round-trips through its text form.
    let text: String = key.clone().into();
    assert_eq!(PublicKey::try_from(text).unwrap(), key);
}

#[test]
fn seal_verifies_and_any_changed_byte_is_rejected() {
    for alg in [SigAlg::Es256, SigAlg::Sm2Sm3] {
        seal_rules(alg);
    }
}

fn seal_rules(alg: SigAlg) {
    let dept = SealKey::generate(alg);
    let issuer = Uscc::parse("11220000013544541J").unwrap();
    let cert = sample_cert(&issuer).seal(&dept).unwrap();
    assert_eq!(cert.seal.alg, alg);
    cert.verify(&dept.public_key()).unwrap();
    assert_eq!(
        cert.verify(&SoftKey::generate().public_key())
            .unwrap_err()
            .code(),
        "bad_signature"
    );
    assert_eq!(
        cert.verify(&SealKey::generate(SigAlg::Sm2Sm3).public_key())
            .unwrap_err()
            .code(),
        "bad_signature"
    );
    // A seal that names the other algorithm fails, though key and signature are the same.
    let mut relabelled = cert.clone();
    relabelled.seal.alg = if alg == SigAlg::Es256 {
        SigAlg::Sm2Sm3
    } else {
        SigAlg::Es256
    };
    assert_eq!(
        relabelled.verify(&dept.public_key()).unwrap_err().code(),
        "bad_signature"
    );
    let json = serde_json::to_vec(&cert).unwrap();
    let mut rejected = 0;
    for i in 0..json.len() {
        let mut b = json.clone();
        b[i] ^= 0x01;
        let ok = serde_json::from_slice::<Certificate>(&b)
            .map(|c| c.verify(&dept.public_key()).is_ok())
            .unwrap_or(false);
        assert!(
            !ok,
            "byte {i} ({:?}) changed but the seal still verifies",
            json[i] as char
        );
        rejected += 1;
    }
    assert_eq!(rejected, json.len());
    // body rules
    let mut wrong_issuer = sample_cert(&issuer);
    wrong_issuer.issuer_code = Uscc::parse("91110000802100433B").unwrap();
    assert!(wrong_issuer.seal(&dept).is_err());
    let mut bad_holder = sample_cert(&issuer);
    bad_holder.holder_code = "110105194912310021".into();
    assert!(bad_holder.seal(&dept).is_err());
    // status
    let b = sample_cert(&issuer);
    assert_eq!(
        b.status_on(CertStatus::Valid, "2041-01-01".parse().unwrap()),
        CertStatus::Expired
    );
    assert_eq!(
        b.status_on(CertStatus::Revoked, "2021-01-01".parse().unwrap()),
        CertStatus::Revoked
    );
    assert_eq!(
        b.status_on(CertStatus::Valid, "2021-01-01".parse().unwrap()),
        CertStatus::Valid
    );
}

#[test]
fn codes_with_spaces_survive_scanner_noise() {
    // base45 has a space in its alphabet: codes contain spaces, but never end with one (the top
    // digit of a final group is at most 32, the space is 36).
    let dev = SoftKey::generate();
    let mut with_space = 0;
    for i in 0..300u32 {
        let text = HolderCodeBody {
            region: 421224,
            handle: [0xAB; 16],
            scope: Scope::Identity,
            issued_at: T0 + i64::from(i),
            nonce: [i as u8; 8],
        }
        .sign_text(&dev)
        .unwrap();
        assert!(!text.ends_with(' '));
        if text.contains(' ') {
            with_space += 1;
            for noisy in [
                format!("{text}\r\n"),
                format!("{text}\n"),
                format!("\t{text}"),
            ] {
                ScannedHolderCode::parse(&noisy)
                    .unwrap()
                    .verify(&dev.public_key(), T0 + i64::from(i))
                    .unwrap();
            }
            // a space removed from the middle breaks it
            assert!(ScannedHolderCode::parse(&text.replacen(' ', "", 1))
                .and_then(|c| c.verify(&dev.public_key(), T0 + i64::from(i)))
                .is_err());
        }
    }
    assert!(with_space > 50, "{with_space} of 300 codes contain a space");
}

#[test]
fn federated_call_names_are_their_wire_tags() {
    use mz_core::api::{AuthRequestCreate, FedCall, RemoteTerminal};
    let t = RemoteTerminal {
        terminal_id: "t".into(),
        kind: mz_core::flow::TerminalKind::Counter,
        name: "n".into(),
        place: "p".into(),
        region: "420102".into(),
        department_code: "d".into(),
        department_name: "D".into(),
    };
    let calls = [
        FedCall::Redeem {
            terminal: t.clone(),
            code: "MZ:x".into(),
        },
        FedCall::RequestAuthorization {
            terminal: t.clone(),
            request: AuthRequestCreate {
                redemption_id: "r".into(),
                matter: "m".into(),
                cert_types: vec![],
                archive: false,
            },
        },
        FedCall::GetRequest {
            terminal: t.clone(),
            request_id: "q".into(),
        },
        FedCall::Release {
            terminal: t,
            request_id: "q".into(),
        },
        FedCall::Decided {
            terminal_id: "t".into(),
            request_id: "q".into(),
            state: mz_core::flow::RequestState::Approved,
            approved: vec![],
        },
        FedCall::Lookup {
            cert_type: "pollutant_permit".into(),
            holder: "绿源".into(),
        },
    ];
    for c in calls {
        assert_eq!(serde_json::to_value(&c).unwrap()["op"], c.op());
    }
}
