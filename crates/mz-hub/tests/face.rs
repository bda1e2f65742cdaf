//! Face checks (实人) through the hub over real HTTP, with the real face models and the offline
//! photos: the elderly proxy application (高龄津贴代办, seed 000) end to end, the holder's own
//! check raising enrolment to 实名 + 实人, and every refusal recording nothing as verified.
//!
//! The register's photo of 王秀英 is obama3.jpg (demo seed); the "filmed" frames are a clip
//! synthesised from another photo of the same person (obama.jpg) by `mz_face::clip`, a new take
//! for every submission. The attacks use the real photos: obama_partial_face2.jpg is turned to
//! his left, obama2.jpg to his right.

mod common;

use common::{code_of, start, Hub};
use mz_client::{Client, ClientError};
use mz_core::api::FaceOutcome;
use mz_core::api::{FaceChallenge, FaceStep};
use mz_core::flow::DeviceConfirmation;
use mz_face::liveness::Step;
use mz_hub::demo;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

fn photo(name: &str) -> Vec<u8> {
    std::fs::read(demo::photos_dir().join(name))
        .unwrap_or_else(|e| panic!("{name}: {e} (run scripts/fetch-face-data.sh)"))
}

/// The verifier that finds the head in the photo the clips are made from.
fn camera() -> &'static mz_face::DlibVerifier {
    static V: OnceLock<mz_face::DlibVerifier> = OnceLock::new();
    V.get_or_init(|| {
        mz_face::DlibVerifier::load(&mz_face::DlibVerifier::default_models_dir(), 1)
            .expect("face models: run scripts/fetch-face-data.sh")
    })
}

/// The moves of a challenge's poses (front, move, front, move, …).
fn moves_of(steps: &[FaceStep]) -> Vec<Step> {
    steps.iter().skip(1).step_by(2).map(face_step).collect()
}

fn face_step(s: &FaceStep) -> Step {
    match s {
        FaceStep::Front => Step::Front,
        FaceStep::TurnLeft => Step::TurnLeft,
        FaceStep::TurnRight => Step::TurnRight,
        FaceStep::LookUp => Step::LookUp,
    }
}

/// A fresh take (its own sensor noise) of 王秀英 (obama.jpg, not the register's photo)
/// performing the moves of `steps`, synthesised by `mz_face::clip`.
fn perform(steps: &[FaceStep]) -> Vec<Vec<u8>> {
    static TAKE: AtomicU32 = AtomicU32::new(1);
    let take = TAKE.fetch_add(1, Ordering::Relaxed);
    mz_face::clip::film(camera(), &photo("obama.jpg"), &moves_of(steps), take).unwrap()
}

/// Other moves than asked: the second move first, then the first, then the second again.
fn other_order(steps: &[FaceStep]) -> Vec<FaceStep> {
    let m = moves_of(steps);
    let to_api = |s: Step| match s {
        Step::TurnLeft => FaceStep::TurnLeft,
        Step::TurnRight => FaceStep::TurnRight,
        Step::LookUp => FaceStep::LookUp,
        Step::Front => FaceStep::Front,
    };
    let mut out = vec![FaceStep::Front];
    for s in [m[1], m[0], m[1]] {
        out.extend([to_api(s), FaceStep::Front]);
    }
    out
}

/// Capture times 200 ms apart.
fn times(n: usize) -> Vec<u32> {
    (0..n as u32).map(|i| i * 200).collect()
}

/// Send frames as just filmed: the hub's clock first moves on by the time filming took.
async fn send(
    hub: &Hub,
    who: &Client,
    c: &FaceChallenge,
    frames: &[Vec<u8>],
) -> Result<FaceOutcome, ClientError> {
    hub.clock.advance(frames.len() as i64 / 5 + 1);
    who.face_frames(c, frames, &times(frames.len())).await
}

/// The same, at a counter (a holder without a phone).
async fn send_at_counter(
    hub: &Hub,
    counter: &Client,
    c: &FaceChallenge,
    frames: &[Vec<u8>],
) -> Result<FaceOutcome, ClientError> {
    hub.clock.advance(frames.len() as i64 / 5 + 1);
    counter
        .counter_face_frames(c, frames, &times(frames.len()))
        .await
}

async fn audit_events(hub: &Hub, id_number: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT event, detail FROM audit WHERE subject = $1 ORDER BY seq")
        .bind(id_number)
        .fetch_all(&hub.db.read)
        .await
        .unwrap()
}

#[tokio::test]
async fn elderly_proxy_application_end_to_end() {
    let hub = start().await;
    let son = hub.holder("zhang_wei").await;
    let mother = demo::person("wang_xiuying");
    let created = son
        .proxy_application("elderly_allowance", mother.id.as_str(), mother.name)
        .await
        .unwrap();
    assert_eq!(created.application.state, "awaiting_face");
    assert_eq!(created.application.applicant_masked, "王**");
    assert!(created.application.applicant_age >= 80);
    assert_eq!(created.application.department, "通山县民政局");
    let c: FaceChallenge = created.challenge;
    assert_eq!(
        (c.purpose.as_str(), c.steps.len(), c.steps[0].clone()),
        ("proxy", 7, FaceStep::Front)
    );
    assert!(c.steps.contains(&FaceStep::TurnLeft) || c.steps.contains(&FaceStep::TurnRight));

    let outcome = send(&hub, &son, &c, &perform(&c.steps)).await.unwrap();
    assert_eq!(outcome.seen, c.steps);
    assert!(
        outcome.distance <= outcome.threshold && outcome.threshold == 0.5,
        "{outcome:?}"
    );
    let app = outcome.application.unwrap();
    assert_eq!(app.state, "filed");
    let names: Vec<&str> = app.released.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["居民户口簿", "居民身份证"]);
    assert_eq!(app.agent_masked.as_deref(), Some("张*"));

    // The elderly person's own chain records the check and the release (frames are not kept).
    let events = audit_events(&hub, mother.id.as_str()).await;
    let kinds: Vec<&str> = events.iter().map(|e| e.0.as_str()).collect();
    for k in [
        "application_opened",
        "face_check_passed",
        "release",
        "application_filed",
    ] {
        assert!(kinds.contains(&k), "{k} in {kinds:?}");
    }
    let passed = &events
        .iter()
        .find(|e| e.0 == "face_check_passed")
        .unwrap()
        .1;
    assert!(
        passed.contains("\"distance\"") && !passed.contains("frame\":\"") && passed.len() < 400,
        "{passed}"
    );
    // She sees it in her own records when she enrols.
    let her = hub.holder("wang_xiuying").await;
    let records = her.audit().await.unwrap();
    assert!(records.iter().any(|r| r.event == "release"), "{records:?}");
    // The agent sees what they filed; a second application for her is refused.
    let mine = son.proxy_applications().await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].state, "filed");
    let e = son
        .proxy_application("elderly_allowance", mother.id.as_str(), mother.name)
        .await
        .unwrap_err();
    assert_eq!(code_of(e), "already_registered");
    // The challenge cannot be answered twice.
    assert_eq!(
        code_of(send(&hub, &son, &c, &perform(&c.steps)).await.unwrap_err()),
        "challenge_used"
    );
}

#[tokio::test]
async fn ineligible_or_unknown_applicants_are_refused_and_change_nothing() {
    let hub = start().await;
    let agent = hub.holder("zhang_wei").await;
    let before = hub.fingerprint().await;
    let li = demo::person("li_na");
    let e = agent
        .proxy_application("elderly_allowance", li.id.as_str(), li.name)
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(422));
    assert!(e.to_string().contains("80 or over"), "{e}");
    assert_eq!(code_of(e), "not_eligible");
    let zg = demo::person("zheng_guoping");
    assert_eq!(
        code_of(
            agent
                .proxy_application("elderly_allowance", zg.id.as_str(), zg.name)
                .await
                .unwrap_err()
        ),
        "already_registered"
    );
    let wx = demo::person("wang_xiuying");
    assert_eq!(
        code_of(
            agent
                .proxy_application("elderly_allowance", wx.id.as_str(), "王秀")
                .await
                .unwrap_err()
        ),
        "identity_mismatch"
    );
    assert_eq!(
        code_of(
            agent
                .proxy_application("elderly_allowance", "11010519491231002Y", "某人")
                .await
                .unwrap_err()
        ),
        "invalid_identifier"
    );
    assert_eq!(
        code_of(
            agent
                .proxy_application("marriage_registration", wx.id.as_str(), wx.name)
                .await
                .unwrap_err()
        ),
        "not_proxy_matter"
    );
    assert_eq!(hub.fingerprint().await, before);
}

#[tokio::test]
async fn failed_face_checks_are_refused_with_reasons_and_nothing_is_verified() {
    let hub = start().await;
    let agent = hub.holder("zhang_wei").await;
    let wx = demo::person("wang_xiuying");
    let c = agent
        .proxy_application("elderly_allowance", wx.id.as_str(), wx.name)
        .await
        .unwrap()
        .challenge;

    let other = hub.holder("li_na").await;
    // Malformed input: a clear error, and not even an attempt is counted.
    let before = hub.fingerprint().await;
    assert_eq!(
        code_of(
            send(&hub, &agent, &c, &perform(&c.steps)[..2])
                .await
                .unwrap_err()
        ),
        "frame_count"
    );
    let e = agent
        .post_raw_json(
            &format!("/v1/face/challenges/{}/frames", c.id),
            &serde_json::json!({ "nonce": c.nonce, "frames": vec!["not base64!"; 12], "captured_ms": times(12) }),
        )
        .await
        .unwrap_err();
    assert_eq!(code_of(e), "bad_frame");
    // Another device cannot answer someone else's challenge.
    assert_eq!(
        send(&hub, &other, &c, &perform(&c.steps))
            .await
            .unwrap_err()
            .status(),
        Some(404)
    );
    assert_eq!(hub.fingerprint().await, before);

    // The moves in the wrong order.
    let e = send(&hub, &agent, &c, &perform(&other_order(&c.steps)))
        .await
        .unwrap_err();
    assert_eq!(
        (e.status(), code_of(e)),
        (Some(422), "challenge_not_performed".to_string())
    );
    // A second person steps in.
    let mut frames = perform(&c.steps);
    frames[2] = photo("biden.jpg");
    let e = send(&hub, &agent, &c, &frames).await.unwrap_err();
    assert_eq!(code_of(e), "different_people");
    // Third failure: a frame with no face. The challenge is then closed.
    let mut frames = perform(&c.steps);
    frames[1] = {
        let img = image::RgbImage::from_fn(320, 240, |x, y| {
            image::Rgb([(x % 200) as u8, (y % 200) as u8, 80])
        });
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(&img)
            .unwrap();
        out
    };
    let e = send(&hub, &agent, &c, &frames).await.unwrap_err();
    assert!(e.to_string().contains("no face"), "{e}");
    assert_eq!(code_of(e), "no_face");
    assert_eq!(
        code_of(
            send(&hub, &agent, &c, &perform(&c.steps))
                .await
                .unwrap_err()
        ),
        "challenge_closed"
    );

    let events = audit_events(&hub, wx.id.as_str()).await;
    assert_eq!(
        events
            .iter()
            .filter(|e| e.0 == "face_check_refused")
            .count(),
        3
    );
    assert!(!events
        .iter()
        .any(|e| e.0 == "face_check_passed" || e.0 == "release"));
    let apps = agent.proxy_applications().await.unwrap();
    assert_eq!(apps[0].state, "awaiting_face");
    assert!(apps[0].released.is_empty());

    // The right moves by the wrong person: 刘桂兰's register photo is another person.
    let lg = demo::person("liu_guilan");
    let c = agent
        .proxy_application("elderly_allowance", lg.id.as_str(), lg.name)
        .await
        .unwrap()
        .challenge;
    let e = send(&hub, &agent, &c, &perform(&c.steps))
        .await
        .unwrap_err();
    assert_eq!(code_of(e), "face_mismatch");
    // A challenge answered too late.
    let c = agent
        .proxy_application("elderly_allowance", wx.id.as_str(), wx.name)
        .await
        .unwrap()
        .challenge;
    hub.clock.advance(181);
    assert_eq!(
        send(&hub, &agent, &c, &perform(&c.steps))
            .await
            .unwrap_err()
            .status(),
        Some(410)
    );
}

#[tokio::test]
async fn own_face_check_confirms_a_pending_device_and_raises_enrolment_to_real_person() {
    let hub = start().await;
    let zw = demo::person("zhang_wei");
    let (me, enrolled) = hub.pending_holder("zhang_wei").await;
    // 实名 only: pending, and nothing of the holder's is within reach.
    assert_eq!(enrolled.device_state, "pending");
    assert_eq!(enrolled.confirm_by, [DeviceConfirmation::Counter]);
    assert_eq!(me.me().await.unwrap().device_state, "pending");
    assert_eq!(
        code_of(me.certificates().await.unwrap_err()),
        "device_pending"
    );
    // No photo in the register yet: a clear error.
    assert_eq!(
        code_of(me.face_challenge().await.unwrap_err()),
        "no_reference_photo"
    );
    mz_hub::admin::set_person_photo(&hub.db, &zw.id, &photo("obama3.jpg"), None, hub.clock_now())
        .await
        .unwrap();
    // Not a photo: refused.
    assert_eq!(
        mz_hub::admin::set_person_photo(&hub.db, &zw.id, b"GIF89a", None, 0)
            .await
            .unwrap_err()
            .code(),
        "bad_photo"
    );
    assert_eq!(me.me().await.unwrap().assurance, "none");
    let c = me.face_challenge().await.unwrap();
    assert_eq!(c.purpose, "enrol");
    let out = send(&hub, &me, &c, &perform(&c.steps)).await.unwrap();
    assert_eq!(
        out.assurance.map(|a| a.as_str()),
        Some("real_name_real_person")
    );
    let profile = me.me().await.unwrap();
    assert_eq!(profile.assurance, "real_name_real_person");
    assert_eq!(profile.device_state, "active");
    assert!(!me.certificates().await.unwrap().is_empty());
    assert_eq!(hub.audited("device_confirmed").await, 1);
    // A new device of the same person is pending again, with every way to confirm it.
    let second = hub.client(std::sync::Arc::new(mz_softkey::SoftKey::generate()));
    let r = second
        .enrol(zw.id.as_str(), zw.name, "tablet")
        .await
        .unwrap();
    assert_eq!(r.device_state, "pending");
    assert_eq!(
        r.confirm_by,
        [
            DeviceConfirmation::Face,
            DeviceConfirmation::OtherDevice,
            DeviceConfirmation::Counter
        ]
    );
}

#[tokio::test]
async fn counter_face_check_for_a_person_without_a_phone() {
    let hub = start().await;
    let (counter, _) = hub.terminal("ts_counter").await;
    let (kiosk, _) = hub.terminal("ts_kiosk").await;
    let wx = demo::person("wang_xiuying");
    assert_eq!(
        code_of(
            kiosk
                .counter_face_check(wx.id.as_str(), wx.name)
                .await
                .unwrap_err()
        ),
        "counter_only"
    );
    assert_eq!(
        code_of(
            counter
                .counter_face_check(wx.id.as_str(), "王秀")
                .await
                .unwrap_err()
        ),
        "identity_mismatch"
    );
    let c = counter
        .counter_face_check(wx.id.as_str(), wx.name)
        .await
        .unwrap();
    assert_eq!(c.purpose, "counter");
    // A device cannot answer a counter's challenge, nor the counter a wrong-order sequence.
    let phone = hub.holder("zhang_wei").await;
    assert_eq!(
        send(&hub, &phone, &c, &perform(&c.steps))
            .await
            .unwrap_err()
            .status(),
        Some(404)
    );
    assert_eq!(
        code_of(
            send_at_counter(&hub, &counter, &c, &perform(&other_order(&c.steps)))
                .await
                .unwrap_err()
        ),
        "challenge_not_performed"
    );
    let out = send_at_counter(&hub, &counter, &c, &perform(&c.steps))
        .await
        .unwrap();
    let red = out.redemption.unwrap();
    assert_eq!(
        (red.kind.as_str(), red.subject_name_masked.as_str()),
        ("face", "王**")
    );
    assert!(red
        .available
        .iter()
        .any(|a| a.type_code == "household_register"));
    // The request is shown on the counter's tablet; she agrees to one of the two.
    let req = counter
        .request_authorization(
            &red.redemption_id,
            "elderly_allowance",
            &["id_card", "household_register"],
            true,
        )
        .await
        .unwrap();
    assert_eq!(
        code_of(
            counter
                .counter_consent(&req.request_id, &["marriage_cert"])
                .await
                .unwrap_err()
        ),
        "not_requested"
    );
    let decided = counter
        .counter_consent(&req.request_id, &["id_card"])
        .await
        .unwrap();
    assert_eq!(decided.state, "partly_approved");
    let rel = counter.release(&req.request_id).await.unwrap();
    let types: Vec<&str> = rel
        .certificates
        .iter()
        .map(|c| c.certificate.body.type_code.as_str())
        .collect();
    assert_eq!(types, ["id_card"]);
    assert_eq!(
        code_of(
            counter
                .counter_consent(&req.request_id, &["id_card"])
                .await
                .unwrap_err()
        ),
        "already_decided"
    );
    // Her chain says how she consented.
    let events = audit_events(&hub, wx.id.as_str()).await;
    assert!(
        events
            .iter()
            .any(|(e, d)| e == "approve" && d.contains("counter_tablet_after_face_check")),
        "{events:?}"
    );
    // A request under an ordinary code is the holder's to decide, on their own device.
    let handles = phone.handles(1).await.unwrap();
    let code = phone
        .holder_code(hub.region(), handles[0], mz_core::codes::Scope::Identity)
        .unwrap();
    let red2 = counter.redeem(&code).await.unwrap();
    let req2 = counter
        .request_authorization(
            &red2.redemption_id,
            "elderly_allowance",
            &["id_card"],
            false,
        )
        .await
        .unwrap();
    assert_eq!(
        code_of(
            counter
                .counter_consent(&req2.request_id, &["id_card"])
                .await
                .unwrap_err()
        ),
        "holder_decides"
    );
    // When she later enrols a phone, it is pending like any new device (the counter's face
    // check was not bound to its key), and her counter-only record is not raised by it.
    let r = hub
        .client(std::sync::Arc::new(mz_softkey::SoftKey::generate()))
        .enrol(wx.id.as_str(), wx.name, "phone")
        .await
        .unwrap();
    assert_eq!(
        (r.device_state.as_str(), r.assurance.as_str()),
        ("pending", "none")
    );
}

/// A JPEG of a photo, re-encoded at `quality` (so held stills are not the same bytes).
fn reencoded(name: &str, quality: u8) -> Vec<u8> {
    let img = image::load_from_memory(&photo(name)).unwrap().to_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(&img)
        .unwrap();
    out
}

/// Liveness attacks, each refused (and each counted as nothing verified): frames not filmed for
/// this challenge, three stills of real poses, a still and its mirror image, the same picture
/// twice, and a replay of an earlier passing set.
#[tokio::test]
async fn liveness_attacks_are_refused() {
    let hub = start().await;
    let agent = hub.holder("zhang_wei").await;
    let wx = demo::person("wang_xiuying");
    let open = || async {
        agent
            .proxy_application("elderly_allowance", wx.id.as_str(), wx.name)
            .await
            .unwrap()
            .challenge
    };
    let c = open().await;
    let frames = perform(&c.steps);
    let code = |r: Result<FaceOutcome, ClientError>| code_of(r.unwrap_err());
    let before = hub.fingerprint().await;
    // Another challenge's nonce (or none): not filmed for this one.
    let mut other = c.clone();
    other.nonce = "A".repeat(22);
    hub.clock.advance(10);
    let t = times(frames.len());
    assert_eq!(
        code(agent.face_frames(&other, &frames, &t).await),
        "frames_not_for_challenge"
    );
    // Frames that claim 30 s of filming, 10 s after the challenge was issued.
    let slow: Vec<u32> = (0..frames.len() as u32).map(|i| i * 1000).collect();
    assert_eq!(
        code(agent.face_frames(&c, &frames, &slow).await),
        "frames_not_for_challenge"
    );
    // Capture times that are not a camera's.
    let mut bad = t.clone();
    bad[3] = bad[2];
    assert_eq!(
        code(agent.face_frames(&c, &frames, &bad).await),
        "bad_capture_times"
    );
    // The same picture twice.
    let mut twice = frames.clone();
    twice[4] = twice[3].clone();
    assert_eq!(
        code(send(&hub, &agent, &c, &twice).await),
        "frames_repeated"
    );
    assert_eq!(
        hub.fingerprint().await,
        before,
        "refused before analysis: nothing recorded"
    );

    // Three stills of real poses (front, his left, his right), each held for a few frames,
    // in the asked order: the head jumps from one pose to the next.
    let pose_photo = |s: &FaceStep| match s {
        FaceStep::TurnLeft => "obama_partial_face2.jpg",
        FaceStep::TurnRight => "obama2.jpg",
        _ => "obama.jpg",
    };
    let stills: Vec<Vec<u8>> = c
        .steps
        .iter()
        .flat_map(|s| [s, s])
        .enumerate()
        .map(|(i, s)| reencoded(pose_photo(s), 60 + i as u8))
        .collect();
    assert_eq!(
        code(send(&hub, &agent, &c, &stills).await),
        "motion_discontinuous"
    );
    // A still and its mirror image for the two turns.
    let c = open().await;
    let left = reencoded("obama_partial_face2.jpg", 91);
    let right = {
        let img = image::load_from_memory(&left).unwrap().to_rgb8();
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 91)
            .encode_image(&image::imageops::flip_horizontal(&img))
            .unwrap();
        out
    };
    let mut mirror_set = vec![
        reencoded("obama.jpg", 80),
        left,
        reencoded("obama.jpg", 81),
        right,
    ];
    for q in 82..90 {
        mirror_set.push(reencoded("obama.jpg", q));
    }
    assert_eq!(
        code(send(&hub, &agent, &c, &mirror_set).await),
        "motion_discontinuous"
    );

    // A passing set, and the same set sent again for a new challenge of the same moves.
    let c = open().await;
    let passing = perform(&c.steps);
    send(&hub, &agent, &c, &passing).await.unwrap();
    // Her check at a counter, answered with the frames of the check that passed.
    let (counter, _) = hub.terminal("ts_counter").await;
    let own = counter
        .counter_face_check(wx.id.as_str(), wx.name)
        .await
        .unwrap();
    let e = send_at_counter(&hub, &counter, &own, &passing)
        .await
        .unwrap_err();
    assert_eq!(code_of(e), "frames_replayed");
    let refused: Vec<String> = audit_events(&hub, wx.id.as_str())
        .await
        .into_iter()
        .filter(|e| e.0 == "face_check_refused")
        .map(|e| e.1)
        .collect();
    assert!(
        refused.iter().any(|d| d.contains("frames_replayed")),
        "{refused:?}"
    );
}

/// 法人刷脸 (seed 002): staff enter the legal representative's ID number and name with the
/// enterprise's 统一社会信用代码; after her face check the case is the enterprise's, and she
/// consents on the counter's tablet. Someone who does not represent it is refused before any
/// face is checked.
#[tokio::test]
async fn a_legal_representative_checked_by_face_acts_for_the_enterprise() {
    let hub = start().await;
    let (counter, _) = hub.terminal("ts_counter").await;
    let wf = demo::person("wu_fang");
    mz_hub::admin::set_person_photo(&hub.db, &wf.id, &photo("obama3.jpg"), None, hub.clock_now())
        .await
        .unwrap();
    let shop = demo::enterprise_code("bianmin").to_string();
    let other = demo::enterprise_code("xinda").to_string();
    let before = hub.fingerprint().await;
    let e = counter
        .counter_face_check_for(wf.id.as_str(), wf.name, Some(&other))
        .await
        .unwrap_err();
    assert_eq!(code_of(e), "not_legal_representative");
    assert_eq!(hub.fingerprint().await, before);
    let c = counter
        .counter_face_check_for(wf.id.as_str(), wf.name, Some(&shop))
        .await
        .unwrap();
    let out = send_at_counter(&hub, &counter, &c, &perform(&c.steps))
        .await
        .unwrap();
    let red = out.redemption.unwrap();
    assert_eq!(red.subject_name_masked, "通山县吴芳便民超市");
    let mut available: Vec<_> = red.available.iter().map(|a| a.type_code.as_str()).collect();
    available.sort();
    assert_eq!(available, ["business_licence", "trade_operating_licence"]);
    let types = ["business_licence", "trade_operating_licence"];
    let req = counter
        .request_authorization(&red.redemption_id, "startup_guarantee_loan", &types, false)
        .await
        .unwrap();
    let decided = counter
        .counter_consent(&req.request_id, &types)
        .await
        .unwrap();
    assert_eq!(decided.state, "approved");
    let rel = counter.release(&req.request_id).await.unwrap();
    assert_eq!(rel.subject.code, shop);
    assert_eq!(rel.certificates.len(), 2);
}
