use mz_core::codes::*;
use mz_core::crypto::{b64, Signer};
use mz_softkey::SoftKey;

#[test]
#[ignore]
/// Regenerate with `cargo test -p mz-core --test gen_vectors -- --ignored`. The key is fixed, but
/// ring signs with random nonces, so signatures change: the committed vectors.txt is the reference.
fn write_vectors() {
    let k = SoftKey::from_pkcs8(&mz_core::crypto::unb64("k", "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgX7t8YVE3bP3zmWREE-SmGmIImHbaGLN_m03j5SWcf_ihRANCAAT35rh3UpFxMwiEbesjpC_m7k9r_T3Kd32XNk15WvR1YnoBW6ScAZ63W_ZaIStW4HOVrvBKmvIStZXoB5YTHYS5").unwrap()).unwrap();
    let mut out = String::new();
    out.push_str(&format!("PUB {}\n", b64(k.public_key().as_bytes())));
    let show = HolderCodeBody {
        region: 421224,
        handle: [0x11; 16],
        scope: Scope::Certificate {
            cert_type: 6,
            ordinal: 0,
        },
        issued_at: 1_795_000_000,
        nonce: [7; 8],
    };
    out.push_str(&format!("SHOW {}\n", show.sign_text(&k).unwrap()));
    let id = HolderCodeBody {
        region: 421224,
        handle: [0x22; 16],
        scope: Scope::Identity,
        issued_at: 1_795_000_000,
        nonce: [8; 8],
    };
    out.push_str(&format!("IDENT {}\n", id.sign_text(&k).unwrap()));
    let login = LoginCodeBody {
        region: 421224,
        terminal: [0x33; 16],
        session: [0x44; 16],
        issued_at: 1_795_000_000,
        nonce: [9; 8],
    };
    out.push_str(&format!("LOGIN {}\n", login.sign_text(&k).unwrap()));
    let d = AuthDecision {
        request: [0x55; 16],
        approve: vec![1, 2],
        decided_at: 1_795_000_000,
    };
    out.push_str(&format!("DECISION {}\n", b64(&d.sign(&k).unwrap())));
    let g = Grant {
        grant: [0x66; 16],
        principal: Principal::Person("11010519491231002X".into()),
        agent: "42010219900307891X".into(),
        cert_types: vec![10],
        matters: vec![],
        valid_from: 1_795_000_000,
        valid_to: 1_795_604_800,
        created_at: 1_795_000_000,
    };
    out.push_str(&format!("GRANT {}\n", b64(&g.sign(&k).unwrap())));
    let a = LoginApproval {
        session: [0x44; 16],
        terminal: [0x33; 16],
        code_nonce: [9; 8],
        code_issued_at: 1_795_000_000,
        approved_at: 1_795_000_005,
    };
    out.push_str(&format!("APPROVAL {}\n", b64(&a.sign(&k).unwrap())));
    let r = GrantRevocation {
        grant: [0x66; 16],
        revoked_at: 1_795_100_000,
    };
    out.push_str(&format!("REVOCATION {}\n", b64(&r.sign(&k).unwrap())));
    let c = Checkpoint {
        region: 421200,
        seq: 77,
        head: [0xAB; 32],
        at: 1_795_000_000,
    };
    out.push_str(&format!("CHECKPOINT {}\n", b64(&c.sign(&k).unwrap())));
    let e = mz_core::audit::AuditEntry {
        seq: 1,
        at: 1_795_000_000,
        prev: [0; 32],
        event: "release".into(),
        actor: "terminal:x".into(),
        subject: Some("11010519491231002X".into()),
        detail: "{}".into(),
    };
    out.push_str(&format!("AUDIT_HASH {}\n", hex::encode(e.hash())));
    // The SM2 vector comes from OpenSSL, not from here: keep it (and its comment).
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors.txt");
    for line in std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.starts_with("# SM2") || l.starts_with("SM2"))
    {
        out.push_str(line);
        out.push('\n');
    }
    std::fs::write(path, out).unwrap();
}
