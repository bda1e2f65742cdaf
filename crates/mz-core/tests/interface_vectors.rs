//! The published test vectors of the interface (`docs/vectors/interface.json`): request
//! signatures (RFC 9421 + RFC 9530) and certificate seals (RFC 8785), with ES256 and SM2-SM3
//! keys. This test checks every vector against mz-core; `MZ_UPDATE_VECTORS=1` writes the file
//! again (new signatures: ECDSA and SM2 sign with random nonces, so they change every time).

use mz_core::catalogue;
use mz_core::cert::{Certificate, CertificateBody, HolderIdType};
use mz_core::crypto::{b64, unb64, PublicKey, Signature, Signer};
use mz_core::ids::{LicenseId, Uscc};
use mz_core::reqsig::{self, Received, Request};
use mz_softkey::{SealKey, Sm2Key, SoftKey};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../docs/vectors/interface.json"
);
const P256_PKCS8: &str = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgX7t8YVE3bP3zmWREE-SmGmIImHbaGLN_m03j5SWcf_ihRANCAAT35rh3UpFxMwiEbesjpC_m7k9r_T3Kd32XNk15WvR1YnoBW6ScAZ63W_ZaIStW4HOVrvBKmvIStZXoB5YTHYS5";
const SM2_SECRET: &str = "3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8";
const CREATED: i64 = 1_796_000_000;

fn keys() -> Vec<(&'static str, SealKey, Value)> {
    let p256 = SoftKey::from_pkcs8(&unb64("k", P256_PKCS8).unwrap()).unwrap();
    let sm2 = Sm2Key::from_secret(&hex::decode(SM2_SECRET).unwrap()).unwrap();
    let describe = |k: &dyn Signer, private: Value| {
        json!({
            "alg": k.public_key().alg(),
            "private": private,
            "public_key": b64(k.public_key().as_bytes()),
            "key_id": k.key_id().to_string(),
        })
    };
    let p256_info = describe(&p256, json!({ "pkcs8_base64url": P256_PKCS8 }));
    let sm2_info = describe(&sm2, json!({ "secret_hex": SM2_SECRET }));
    vec![
        ("es256", SealKey::P256(p256), p256_info),
        ("sm2", SealKey::Sm2(sm2), sm2_info),
    ]
}

fn request_vector(name: &str, key_name: &str, key: &dyn Signer, req: (&str, &str, &str)) -> Value {
    let (method, target, body) = req;
    let nonce = format!("vector-nonce-{name}");
    let headers = reqsig::sign(key, method, target, body.as_bytes(), CREATED, &nonce).unwrap();
    let get = |h: &str| headers.iter().find(|(k, _)| *k == h).unwrap().1.clone();
    let received =
        Received::parse(&get(reqsig::H_SIGNATURE_INPUT), &get(reqsig::H_SIGNATURE)).unwrap();
    json!({
        "name": name,
        "key": key_name,
        "method": method,
        "target": target,
        "body": body,
        "content_digest": get(reqsig::H_CONTENT_DIGEST),
        "signature_input": get(reqsig::H_SIGNATURE_INPUT),
        "signature": get(reqsig::H_SIGNATURE),
        "signature_base": base_of(method, target, &get(reqsig::H_CONTENT_DIGEST), &received),
    })
}

fn base_of(method: &str, target: &str, digest: &str, received: &Received) -> String {
    let lookup = |h: &str| (h == reqsig::H_CONTENT_DIGEST).then(|| digest.to_string());
    let request = Request {
        method,
        target,
        header: &lookup,
    };
    reqsig::signature_base(&request, &received.covered, &received.params_value).unwrap()
}

fn sample_body(
    issuer: &str,
    type_code: &str,
    holder: (&str, &str, HolderIdType),
) -> CertificateBody {
    let t = catalogue::Catalogue::demo().cert_type(type_code).unwrap();
    let issuer = Uscc::parse(issuer).unwrap();
    let face: BTreeMap<String, String> = [
        ("姓名", holder.0),
        ("Address", "广东省深圳市福田区"),
        ("民族", "汉"),
        ("a_field", "x\"y\\z\n"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    CertificateBody {
        license_id: LicenseId::new(&t.type_code(), &issuer, "V0001", 1).unwrap(),
        name: t.name.clone(),
        type_code: t.code.clone(),
        number: "V0001".into(),
        issuer_name: "测试颁发机构".into(),
        issuer_code: issuer,
        issue_date: "2026-01-02".parse().unwrap(),
        holder_name: holder.0.into(),
        holder_code: holder.1.into(),
        holder_code_type: holder.2,
        valid_from: "2026-01-02".parse().unwrap(),
        valid_to: None,
        face,
        disclosable: false,
    }
}

fn seal_vector(name: &str, key_name: &str, key: &dyn Signer, body: CertificateBody) -> Value {
    let cert = body.seal(key).unwrap();
    json!({
        "name": name,
        "key": key_name,
        "certificate": cert,
        "sealed_bytes": String::from_utf8(cert.body.canonical()).unwrap(),
    })
}

fn generate() -> Value {
    let keys = keys();
    let mut requests = Vec::new();
    let mut seals = Vec::new();
    let person = ("张三", "11010519491231002X", HolderIdType::IdNumber);
    let firm = (
        "深圳市测试科技有限公司",
        "91110000802100433B",
        HolderIdType::Uscc,
    );
    for (kn, key, _) in &keys {
        requests.push(request_vector(
            &format!("get-{kn}"),
            kn,
            key,
            ("GET", "/v1/me", ""),
        ));
        requests.push(request_vector(
            &format!("post-query-{kn}"),
            kn,
            key,
            ("POST", "/v1/me/handles?n=5", ""),
        ));
        requests.push(request_vector(
            &format!("post-json-{kn}"),
            kn,
            key,
            ("POST", "/v1/requests", r#"{"code":"MZ:EXAMPLE","matter":"hukou_move","purpose":"户口迁移","types":["id_card"]}"#),
        ));
    }
    let issuer = "11220000013544541J";
    seals.push(seal_vector(
        "id-card-es256",
        "es256",
        &keys[0].1,
        sample_body(issuer, "id_card", person),
    ));
    seals.push(seal_vector(
        "licence-sm2",
        "sm2",
        &keys[1].1,
        sample_body(issuer, "business_licence", firm),
    ));
    json!({
        "about": "Test vectors of the Mianzheng hub interface. See docs/integrators.md.",
        "keys": keys.iter().map(|(n, _, info)| (n.to_string(), info.clone())).collect::<serde_json::Map<_, _>>(),
        "request_signatures": requests,
        "seals": seals,
    })
}

fn public_key(file: &Value, name: &str) -> PublicKey {
    PublicKey::from_bytes(&unb64("k", file["keys"][name]["public_key"].as_str().unwrap()).unwrap())
        .unwrap()
}

fn check_request(file: &Value, v: &Value) {
    let s = |k: &str| v[k].as_str().unwrap().to_string();
    let key = public_key(file, v["key"].as_str().unwrap());
    assert_eq!(
        reqsig::content_digest(s("body").as_bytes()),
        s("content_digest")
    );
    let received = Received::parse(&s("signature_input"), &s("signature")).unwrap();
    assert_eq!(received.params.key_id, key.key_id());
    assert_eq!(received.params.alg, Some(key.alg()));
    let base = base_of(&s("method"), &s("target"), &s("content_digest"), &received);
    assert_eq!(base, s("signature_base"), "{}", s("name"));
    let sig = Signature::from_bytes(&received.signature).unwrap();
    key.verify(base.as_bytes(), &sig).unwrap();
    // The same signature over another request fails.
    let other = base_of("DELETE", &s("target"), &s("content_digest"), &received);
    assert!(key.verify(other.as_bytes(), &sig).is_err());
    assert!(reqsig::check_content_digest(&s("content_digest"), b"changed").is_err());
}

fn check_seal(file: &Value, v: &Value) {
    let key = public_key(file, v["key"].as_str().unwrap());
    let cert: Certificate = serde_json::from_value(v["certificate"].clone()).unwrap();
    assert_eq!(
        cert.body.canonical(),
        v["sealed_bytes"].as_str().unwrap().as_bytes()
    );
    cert.verify(&key).unwrap();
    let mut changed = cert.clone();
    changed.body.holder_name.push('X');
    assert!(changed.verify(&key).is_err());
}

#[test]
fn the_published_vectors_verify() {
    if std::env::var_os("MZ_UPDATE_VECTORS").is_some() {
        let text = serde_json::to_string_pretty(&generate()).unwrap();
        std::fs::create_dir_all(std::path::Path::new(FILE).parent().unwrap()).unwrap();
        std::fs::write(FILE, text + "\n").unwrap();
    }
    let file: Value = serde_json::from_str(&std::fs::read_to_string(FILE).unwrap()).unwrap();
    let keys = keys();
    for (name, key, info) in &keys {
        assert_eq!(&file["keys"][name], info, "key {name}");
        assert_eq!(public_key(&file, name), key.public_key());
    }
    let requests = file["request_signatures"].as_array().unwrap();
    let seals = file["seals"].as_array().unwrap();
    assert_eq!((requests.len(), seals.len()), (6, 2));
    requests.iter().for_each(|v| check_request(&file, v));
    seals.iter().for_each(|v| check_seal(&file, v));
}
