//! A department's staff console (部门工作台, `/dept/`) is a browser-held key the operator
//! registers like a terminal, of kind `console`: it acts for its department on the department's
//! routes (what it issued, objections, applications, archives) and is no counter or kiosk;
//! a counter or kiosk is no department.

mod common;

use common::*;
use mz_core::codes::Scope;

#[tokio::test]
async fn a_console_reads_what_its_department_issued_received_and_archived() {
    let hub = start().await;
    let (civil, _) = hub.terminal("civil_ts_console").await;
    // 通山县民政局 received 郑国平's 高龄津贴 application (filed in the demo's past).
    let apps = civil.department_applications().await.unwrap();
    assert!(
        apps.iter()
            .any(|a| a.matter == "elderly_allowance" && a.state.as_str() == "filed"),
        "{apps:?}"
    );
    let (ecology, _) = hub.terminal("ecology_console").await;
    let issued = ecology.issued_certificates().await.unwrap();
    assert!(!issued.is_empty());
    assert!(issued
        .iter()
        .all(|c| c.certificate.body.issuer_name == "咸宁市生态环境局"));
    assert!(ecology.department_objections().await.unwrap().is_empty());
    // The service centre's counter archives a release; its console reads it.
    let holder = hub.holder("zhang_wei").await;
    let (counter, _) = hub.terminal("ts_counter").await;
    let red = counter
        .redeem(&hub.code(&holder, Scope::Identity).await)
        .await
        .unwrap();
    let asked = counter
        .request_authorization(
            &red.redemption_id,
            "general_counter_service",
            &["id_card"],
            true,
        )
        .await
        .unwrap();
    holder
        .decide(&asked.request_id, &["id_card"])
        .await
        .unwrap();
    counter.release(&asked.request_id).await.unwrap();
    let (centre, console_id) = hub.terminal("gov_ts_console").await;
    let archives = centre.archives().await.unwrap();
    assert_eq!(archives.len(), 1);
    assert_eq!(
        centre
            .archive(&archives[0].archive_id)
            .await
            .unwrap()
            .certificates
            .len(),
        1
    );
    // The read is audited as the department's, naming the console that made it.
    let actor: String = sqlx::query_scalar("SELECT actor FROM audit WHERE event = 'archive_read'")
        .fetch_one(&hub.db.read)
        .await
        .unwrap();
    let centre_code = mz_hub::demo::dept_code("gov_ts");
    assert_eq!(
        actor,
        format!("department:{centre_code}/console:{console_id}")
    );
    // Another department's console sees none of it.
    assert!(civil.archives().await.unwrap().is_empty());
}

/// A console redeems no code and opens no kiosk session; a counter reads no department's pages.
#[tokio::test]
async fn a_console_is_no_terminal_and_a_terminal_no_department() {
    let hub = start().await;
    let (console, _) = hub.terminal("gov_ts_console").await;
    let (counter, _) = hub.terminal("ts_counter").await;
    let holder = hub.holder("zhang_wei").await;
    let code = hub.code(&holder, Scope::Identity).await;
    let before = hub.fingerprint().await;
    let refused = console.redeem(&code).await.unwrap_err();
    assert_eq!(refused.status(), Some(403), "{refused}");
    assert_eq!(console.open_login().await.unwrap_err().status(), Some(403));
    assert_eq!(counter.archives().await.unwrap_err().status(), Some(403));
    assert_eq!(
        counter
            .department_applications()
            .await
            .unwrap_err()
            .status(),
        Some(403)
    );
    assert_eq!(hub.fingerprint().await, before);
}

/// The operator registers a console with the same command as a counter; its one-time code
/// enrols a key that reads the department's pages.
#[tokio::test]
async fn the_operator_registers_a_console_with_the_command() {
    let hub = start().await;
    let land = mz_hub::demo::dept_code("land").to_string();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mz-hub"))
        .args(["terminal", "--db", &hub.db_url, "--kind", "console"])
        .args([
            "--name",
            "咸宁市自然资源和规划局 部门工作台",
            "--place",
            "咸宁市",
        ])
        .args(["--department", &land])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let code = said.lines().last().unwrap().rsplit(' ').next().unwrap();
    let console = hub.client(std::sync::Arc::new(mz_softkey::SoftKey::generate()));
    let info = console.enrol_terminal(code).await.unwrap();
    assert_eq!(info.kind.as_str(), "console");
    let issued = console.issued_certificates().await.unwrap();
    assert!(issued
        .iter()
        .all(|c| c.certificate.body.issuer_code.as_str() == land));
}
