use crate::helpers::*;
use diesel::prelude::*;
use polyphony::db::schema::{audit_log, outbox, users};

async fn password_hash_of(app: &TestApp, email: &'static str) -> String {
    app.db
        .query(move |c| {
            users::table
                .filter(users::email.eq(email))
                .select(users::password_hash)
                .first::<String>(c)
        })
        .await
        .unwrap()
}

async fn admin_browser(app: &TestApp) -> Browser {
    let (email, password) = app.first_admin.clone().expect("first admin");
    let b = app.new_browser();
    assert_eq!(b.login(&email, &password).await.status(), 303);
    b
}

both_backends! {
    async fn a_participant_registers_verifies_by_email_and_signs_in(app) {
        let password = app.register("ada@example.org", "Ada", "civil_society").await;
        let mail = app.wait_for_mail("ada@example.org", "/verify/").await;
        assert!(mail.subject_and_body.contains("Confirm your e-mail address"));
        let link = TestApp::link_in(&mail, "/verify/");

        // Unverified, the participant can already sign in.
        let res = app.login("ada@example.org", &password).await;
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], "/account");
        let (_, account) = app.get_text("/account").await;
        assert!(account.contains("Not confirmed yet"), "{account}");

        let (status, body) = app.get_text(&link).await;
        assert_eq!(status, 200);
        assert!(body.contains("Your e-mail address is confirmed"));
        // A link works once.
        let (status, body) = app.get_text(&link).await;
        assert_eq!(status, 404);
        assert!(body.contains("This link does not work"));
        let (_, account) = app.get_text("/account").await;
        assert!(account.contains("Confirmed"));
    }

    async fn passwords_are_stored_as_argon2id_with_owasp_parameters(app) {
        app.register("hash@example.org", "H", "academia").await;
        let hash = password_hash_of(&app, "hash@example.org").await;
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
    }

    async fn a_hash_with_older_parameters_is_upgraded_at_sign_in(app) {
        let password = app.register("old@example.org", "Old", "academia").await;
        let weak = {
            use argon2::password_hash::PasswordHasher;
            argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13,
                argon2::Params::new(8192, 1, 1, None).unwrap())
                .hash_password(password.as_bytes()).unwrap().to_string()
        };
        app.db.query(move |c| diesel::update(users::table.filter(users::email.eq("old@example.org")))
            .set(users::password_hash.eq(weak)).execute(c)).await.unwrap();
        assert_eq!(app.login("old@example.org", &password).await.status(), 303);
        let hash = password_hash_of(&app, "old@example.org").await;
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
    }

    async fn registration_errors_are_shown_next_to_each_field_and_input_is_kept(app) {
        let res = app.submit("/register", "/register", &[
            ("email", "not-an-email"), ("password", "short"), ("display_name", "Grace"),
            ("organization", ""), ("stakeholder_group", "government"), ("country", "XX"), ("locale", "en"),
        ]).await;
        assert_eq!(res.status(), 422);
        let body = res.text().await.unwrap();
        assert!(body.contains("There is a problem"));
        assert!(body.contains("href=\"#email\""));
        assert!(body.contains("Enter an e-mail address in the right format"));
        assert!(body.contains("at least 12 characters long"));
        assert!(body.contains("Enter the organization you speak for."));
        assert!(body.contains("Choose your country."));
        assert!(body.contains("value=\"not-an-email\""), "email kept");
        assert!(body.contains("value=\"Grace\""), "name kept");
        assert!(body.contains("<option value=\"government\" selected>"), "group kept");
        assert!(!body.contains("value=\"short\""), "a password is never echoed");

        let res = app.submit("/register", "/register", &[
            ("email", "x@example.org"), ("password", "1qaz2wsx3edc"), ("display_name", "X"),
            ("stakeholder_group", "academia"), ("country", "FR"), ("locale", "fr"),
        ]).await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("This password is too common"));
    }

    async fn errors_are_translated(app) {
        let res = app.submit("/register?lang=fr", "/register", &[("email", ""), ("password", "")]).await;
        assert_eq!(res.status(), 422);
        let body = res.text().await.unwrap();
        assert!(body.contains("Il y a un problème"), "{body}");
        assert!(body.contains("Saisissez votre adresse électronique."));
    }

    async fn registering_an_existing_address_answers_alike_and_warns_its_owner(app) {
        app.register_verified("taken@example.org", "First", "academia").await;
        let first = app.new_browser();
        let res = first.submit("/register", "/register", &[
            ("email", "Taken@Example.org"), ("password", "another long passphrase"), ("display_name", "Second"),
            ("stakeholder_group", "academia"), ("country", "FR"), ("locale", "en"),
        ]).await;
        assert_eq!(res.status(), 200);
        assert!(res.text().await.unwrap().contains("Check your e-mail"));
        app.wait_for_mail("taken@example.org", "Someone tried to create a Polyphony account").await;
        let count: i64 = app.db.query(|c| users::table.filter(users::email.eq("taken@example.org")).count().get_result(c)).await.unwrap();
        assert_eq!(count, 1);
    }

    async fn repeated_failed_sign_ins_are_refused_with_429_and_retry_after(app) {
        app.register("target@example.org", "T", "academia").await;
        for _ in 0..5 {
            let res = app.login("target@example.org", "wrong password!!").await;
            assert_eq!(res.status(), 401);
            assert!(res.text().await.unwrap().contains("The e-mail address or the password is not right."));
        }
        let res = app.login("target@example.org", "correct horse battery staple").await;
        assert_eq!(res.status(), 429);
        let wait: i64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!(wait > 0 && wait <= 900);
        assert!(res.text().await.unwrap().contains("Too many attempts"));
        // An unknown address is limited the same way, so the limit reveals nothing.
        for _ in 0..5 {
            assert_eq!(app.login("nobody@example.org", "wrong password!!").await.status(), 401);
        }
        assert_eq!(app.login("nobody@example.org", "wrong password!!").await.status(), 429);
    }

    async fn password_reset_answers_alike_for_known_and_unknown_addresses(app) {
        app.register("known@example.org", "K", "academia").await;
        let known = app.submit("/password/forgot", "/password/forgot", &[("email", "known@example.org")]).await;
        let unknown = app.submit("/password/forgot", "/password/forgot", &[("email", "unknown@example.org")]).await;
        assert_eq!(known.status(), 200);
        assert_eq!(unknown.status(), known.status());
        assert_eq!(known.text().await.unwrap(), unknown.text().await.unwrap());
        app.wait_for_mail("known@example.org", "/password/reset/").await;
        let queued: i64 = app.db.query(|c| outbox::table.filter(outbox::recipient.eq("unknown@example.org")).count().get_result(c)).await.unwrap();
        assert_eq!(queued, 0);
    }

    async fn a_reset_link_works_once_ends_every_session_and_does_not_sign_in(app) {
        let old = app.register_verified("reset@example.org", "R", "academia").await;
        let other = app.new_browser();
        assert_eq!(other.login("reset@example.org", &old).await.status(), 303);
        assert_eq!(other.get("/account").await.status(), 200);

        app.submit("/password/forgot", "/password/forgot", &[("email", "reset@example.org")]).await;
        let mail = app.wait_for_mail("reset@example.org", "/password/reset/").await;
        let link = TestApp::link_in(&mail, "/password/reset/");
        let res = app.submit(&link, &link, &[("password", "a brand new passphrase")]).await;
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], "/login");
        // Not signed in by the reset.
        assert_eq!(app.get("/account").await.status(), 303);
        // The other browser was signed out.
        assert_eq!(other.get("/account").await.status(), 303);
        // Used once only.
        assert_eq!(app.get(&link).await.status(), 404);
        assert_eq!(app.login("reset@example.org", &old).await.status(), 401);
        assert_eq!(app.login("reset@example.org", "a brand new passphrase").await.status(), 303);
    }

    async fn signing_out_ends_the_session_even_if_the_cookie_is_replayed(app) {
        let password = app.register("out@example.org", "O", "academia").await;
        let before = app.get("/login").await;
        let anonymous_cookie = before.headers().get("set-cookie").map(|v| v.to_str().unwrap().to_string());
        let res = app.login("out@example.org", &password).await;
        let signed_in_cookie = res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
        assert!(res.headers()["set-cookie"].to_str().unwrap().contains("HttpOnly"));
        assert!(res.headers()["set-cookie"].to_str().unwrap().contains("SameSite=Lax"));
        if let Some(old) = anonymous_cookie {
            assert_ne!(old.split(';').next().unwrap(), signed_in_cookie, "a new session at sign-in");
        }
        let (_, account) = app.get_text("/account").await;
        let token = csrf_in(&account);
        assert_eq!(app.post_form("/logout", &[("csrf_token", &token)]).await.status(), 303);
        assert_eq!(app.get("/account").await.status(), 303);

        let replay = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
            .get(format!("{}/account", app.address))
            .header("Cookie", &signed_in_cookie)
            .send().await.unwrap();
        assert_eq!(replay.status(), 303, "a signed-out cookie must not work again");
    }

    async fn every_post_without_the_right_csrf_token_is_refused(app) {
        for path in ["/login", "/register", "/logout", "/password/forgot", "/account", "/account/password",
                     "/account/delete", "/verify/resend", "/admin/participants/1/verify", "/admin/users/1/role"] {
            let res = app.post_form(path, &[("email", "a@example.org")]).await;
            assert_eq!(res.status(), 403, "{path} without a token");
            let res = app.post_form(path, &[("csrf_token", "forged"), ("email", "a@example.org")]).await;
            assert_eq!(res.status(), 403, "{path} with a wrong token");
        }
    }

    async fn a_display_name_with_markup_is_shown_escaped(app) {
        let password = app.register("xss@example.org", "<script>alert(1)</script>", "academia").await;
        app.login("xss@example.org", &password).await;
        let (_, body) = app.get_text("/account").await;
        assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!body.contains("<script>alert(1)"));
        let admin = admin_browser(&app).await;
        let (_, dashboard) = admin.get_text("/admin").await;
        assert!(!dashboard.contains("<script>alert(1)"));
        let (_, listed) = admin.get_text("/admin/participants").await;
        assert!(listed.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!listed.contains("<script>alert(1)"));
    }

    async fn participants_are_refused_on_admin_pages(app) {
        let password = app.register_verified("p@example.org", "P", "academia").await;
        app.login("p@example.org", &password).await;
        let (status, body) = app.get_text("/admin").await;
        assert_eq!(status, 403);
        assert!(body.contains("You cannot do this"));
        let (_, account) = app.get_text("/account").await;
        let token = csrf_in(&account);
        let res = app.post_form("/admin/users/1/role", &[("csrf_token", &token), ("role", "admin")]).await;
        assert_eq!(res.status(), 403);
        assert_eq!(app.new_browser().get("/admin").await.status(), 403);
    }

    async fn organizers_verify_affiliations_and_admins_promote_organizers(app) {
        app.register_verified("gov@example.org", "Minister", "government").await;
        let admin = admin_browser(&app).await;
        let (_, dashboard) = admin.get_text("/admin").await;
        assert!(dashboard.contains("One affiliation to verify"));
        let id: i64 = app.db.query(|c| users::table.filter(users::email.eq("gov@example.org")).select(users::id).first(c)).await.unwrap();
        let token = csrf_in(&dashboard);
        let res = admin.post_form(&format!("/admin/participants/{id}/verify"), &[("csrf_token", &token)]).await;
        assert_eq!(res.status(), 303);
        let (_, dashboard) = admin.get_text("/admin").await;
        assert!(dashboard.contains("No affiliation is waiting for verification"));
        let (_, person) = admin.get_text(&format!("/admin/participants/{id}")).await;
        assert!(person.contains("Minister"));
        assert!(!person.contains(&format!("/admin/participants/{id}/verify")), "verified: no button left");

        let res = admin.post_form(&format!("/admin/users/{id}/role"), &[("csrf_token", &token), ("role", "organizer")]).await;
        assert_eq!(res.status(), 303);
        let role: String = app.db.query(move |c| users::table.find(id).select(users::role).first(c)).await.unwrap();
        assert_eq!(role, "organizer");
        let actions: Vec<String> = app.db.query(|c| audit_log::table.order(audit_log::id).select(audit_log::action).load(c)).await.unwrap();
        assert_eq!(actions, ["participant.verify", "user.promote"]);
        let missing = admin.post_form("/admin/participants/999999/verify", &[("csrf_token", &token)]).await;
        assert_eq!(missing.status(), 404);
    }

    async fn changing_the_password_signs_out_other_browsers(app) {
        let password = app.register("change@example.org", "C", "academia").await;
        let other = app.new_browser();
        other.login("change@example.org", &password).await;
        app.login("change@example.org", &password).await;
        let (_, account) = app.get_text("/account").await;
        let token = csrf_in(&account);
        let res = app.post_form("/account/password", &[("csrf_token", &token),
            ("current_password", &password), ("new_password", "a different passphrase")]).await;
        assert_eq!(res.status(), 303);
        assert_eq!(app.get("/account").await.status(), 200, "this browser stays signed in");
        assert_eq!(other.get("/account").await.status(), 303, "the other is signed out");
        app.wait_for_mail("change@example.org", "Your password has been changed").await;
    }

    async fn a_deleted_account_is_erased_and_cannot_sign_in(app) {
        let password = app.register("gone@example.org", "Gone", "academia").await;
        app.login("gone@example.org", &password).await;
        let (_, account) = app.get_text("/account").await;
        assert!(account.contains("no longer attributed"));
        let token = csrf_in(&account);
        let res = app.post_form("/account/delete", &[("csrf_token", &token), ("password", &password)]).await;
        assert_eq!(res.status(), 200);
        let left: i64 = app.db.query(|c| users::table.filter(users::email.eq("gone@example.org")).count().get_result(c)).await.unwrap();
        assert_eq!(left, 0);
        assert_eq!(app.login("gone@example.org", &password).await.status(), 401);
    }

    async fn profile_changes_are_validated_and_saved(app) {
        let password = app.register("edit@example.org", "Edit", "academia").await;
        app.login("edit@example.org", &password).await;
        let res = app.submit("/account", "/account", &[("display_name", ""), ("stakeholder_group", "platform"),
            ("organization", ""), ("country", "KE"), ("locale", "fr")]).await;
        assert_eq!(res.status(), 422);
        let res = app.submit("/account", "/account", &[("display_name", "Edited"), ("stakeholder_group", "platform"),
            ("organization", "StreamCo"), ("country", "KE"), ("locale", "fr")]).await;
        assert_eq!(res.status(), 303);
        let (_, body) = app.get_text("/account").await;
        assert!(body.contains("<html lang=\"fr\">"), "the account's language is used");
        assert!(body.contains("value=\"StreamCo\""));
    }
}

#[actix_web::test]
async fn registration_succeeds_while_the_smtp_server_is_down_and_the_mail_arrives_later() {
    if !crate::skips::aiosmtpd_available() {
        return;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let database = TestDatabase::create(Backend::Sqlite).unwrap();
    let mut settings = test_settings(&database);
    settings.email.transport = polyphony::config::EmailTransport::Smtp;
    settings.email.smtp_url = format!("smtp://127.0.0.1:{port}");
    let maildir = database.dir().join("maildir");
    let app = spawn_with(database, settings, Backend::Sqlite).await;

    // Nothing listens on the port yet: registration must still succeed.
    app.register("smtp@example.org", "Smtp", "technical").await;
    actix_web::rt::time::sleep(std::time::Duration::from_millis(1500)).await;
    let attempts: i32 = app
        .db
        .query(|c| outbox::table.select(outbox::attempts).first(c))
        .await
        .unwrap();
    assert!(attempts >= 1, "the worker tried and will retry");

    let mut server = std::process::Command::new("python3")
        .args([
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            &format!("127.0.0.1:{port}"),
            "-c",
            "aiosmtpd.handlers.Mailbox",
        ])
        .arg(&maildir)
        .spawn()
        .unwrap();
    let mut delivered = None;
    for _ in 0..300 {
        // Other messages (the round-opened notice to the admin) may arrive too.
        if let Ok(entries) = std::fs::read_dir(maildir.join("new"))
            && let Some(text) = entries
                .filter_map(Result::ok)
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                .find(|t| t.contains("smtp@example.org"))
        {
            delivered = Some(text);
            break;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    server.kill().ok();
    server.wait().ok();
    let mail = decode_qp(&delivered.expect("the e-mail arrives once the server is back"));
    assert!(mail.contains("smtp@example.org"));
    let start = mail.find("/verify/").unwrap();
    let link: String = mail[start..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '<' && *c != '"')
        .collect();
    assert_eq!(
        app.get(&link).await.status(),
        200,
        "the link in the delivered e-mail works"
    );
    let status: String = app
        .db
        .query(|c| outbox::table.select(outbox::status).first(c))
        .await
        .unwrap();
    assert_eq!(status, "sent");
}

/// A sign-in from `client` as a trusted proxy would forward it.
async fn login_from(b: &Browser, client: &str, email: &str, password: &str) -> u16 {
    let (_, page) = b.get_text("/login").await;
    let token = csrf_in(&page);
    b.client
        .post(format!("{}/login", b.address))
        .header("x-forwarded-for", client)
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", email),
            ("password", password),
            ("next", "/account"),
        ])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// The app again, believing the forwarding headers its tests send from 127.0.0.1.
async fn behind_a_proxy(app: &TestApp) -> TestApp {
    let database = TestDatabase::create(app.backend).expect("another test database");
    let mut settings = test_settings(&database);
    settings.server.trusted_proxies = vec!["127.0.0.1/32".into(), "::1".into()];
    spawn_with(database, settings, app.backend).await
}

both_backends! {
    async fn an_attacker_cannot_lock_the_owner_out_of_their_usual_browser(app) {
        let app = behind_a_proxy(&app).await;
        let password = app.register_verified("delegate@example.org", "Delegate", "government").await;
        // The owner's usual browser has signed in before.
        let owner = app.new_browser();
        assert_eq!(owner.login("delegate@example.org", &password).await.status(), 303);
        assert_eq!(owner.post_form("/logout", &[("csrf_token", &csrf_in(&owner.get_text("/account").await.1))]).await.status(), 303);
        // A hundred wrong passwords from a hundred other addresses.
        let attacker = app.new_browser();
        let mut refused = 0;
        for i in 0..100 {
            let status = login_from(&attacker, &format!("198.51.100.{i}"), "delegate@example.org", "guessing-{i}").await;
            assert!(status == 401 || status == 429, "{status}");
            refused += usize::from(status == 429);
        }
        assert!(refused >= 90, "a brute force from unknown devices stops after the limit: {refused} refused");
        // Even the right password from an unknown device waits…
        let stranger = app.new_browser();
        assert_eq!(login_from(&stranger, "203.0.113.5", "delegate@example.org", &password).await, 429);
        // …but the owner's own browser signs in at once.
        assert_eq!(login_from(&owner, "203.0.113.9", "delegate@example.org", &password).await, 303);
        assert_eq!(owner.get("/account").await.status(), 200);
    }

    async fn a_known_device_has_a_limit_of_its_own(app) {
        let password = app.register_verified("owner2@example.org", "Owner", "academia").await;
        let owner = app.new_browser();
        assert_eq!(owner.login("owner2@example.org", &password).await.status(), 303);
        for _ in 0..5 {
            assert_eq!(owner.login("owner2@example.org", "not the password").await.status(), 401);
        }
        assert_eq!(owner.login("owner2@example.org", &password).await.status(), 429, "the device is limited too");
        // Its failures did not lock the account for the owner's other browsers.
        assert_eq!(app.new_browser().login("owner2@example.org", &password).await.status(), 303);
    }

    async fn forwarding_headers_count_only_from_trusted_proxies(app) {
        // Not trusted (the default): a client cannot pick the address its limit counts against.
        let b = app.new_browser();
        let limit = app.settings.limits.login_per_ip as usize;
        let mut statuses = vec![];
        for i in 0..=limit {
            statuses.push(login_from(&b, &format!("198.51.100.{i}"), &format!("nobody{i}@example.org"), "wrong password!!").await);
        }
        assert_eq!(statuses.last(), Some(&429), "spoofed X-Forwarded-For from an untrusted peer is ignored");
        // Behind a trusted proxy every client has a limit of its own, and what a
        // client writes to the left of the proxy's entry is ignored.
        let proxied = behind_a_proxy(&app).await;
        let b = proxied.new_browser();
        for i in 0..=limit {
            let client = format!("6.6.6.6, 198.51.100.{i}");
            assert_eq!(login_from(&b, &client, &format!("nobody{i}@example.org"), "wrong password!!").await, 401);
        }
        for i in 0..=limit {
            let status = login_from(&b, &format!("198.51.100.{i}, 203.0.113.1"), &format!("other{i}@example.org"), "wrong password!!").await;
            if i == limit {
                assert_eq!(status, 429, "one real client, however it fills the header");
            }
        }
    }
}

both_backends! {
    async fn an_address_registered_by_someone_else_is_taken_back_by_its_owner(app) {
        // Someone registers the delegate's address with a password of their own
        // and signs in.
        let attacker = app.new_browser();
        let theirs = attacker.register("claimed@example.org", "Mallory", "government").await;
        assert_eq!(attacker.login("claimed@example.org", &theirs).await.status(), 303);
        assert_eq!(attacker.get("/account").await.status(), 200);
        // The owner, not knowing, registers the address again: the answer is the
        // usual one, and the mailbox gets a link to set a password of their own.
        let owner = app.new_browser();
        owner.register("claimed@example.org", "The delegate", "government").await;
        let mail = app.wait_for_mail("claimed@example.org", "/password/reset/").await;
        let link = TestApp::link_in(&mail, "/password/reset/");
        let res = owner.submit(&link, &link, &[("password", "the owner's own passphrase")]).await;
        assert_eq!(res.status(), 303);
        assert_eq!(attacker.get("/account").await.status(), 303, "the attacker is signed out");
        assert_eq!(owner.login("claimed@example.org", "the owner's own passphrase").await.status(), 303);
        assert_eq!(app.new_browser().login("claimed@example.org", &theirs).await.status(), 401);
        let verified: bool = app.db.query(|c| users::table.filter(users::email.eq("claimed@example.org"))
            .select(users::email_verified_at.is_not_null()).first(c)).await.unwrap();
        assert!(verified, "following the link confirmed the address");
    }

    async fn confirming_an_address_signs_out_whoever_registered_it_before(app) {
        let attacker = app.new_browser();
        let theirs = attacker.register("confirmed@example.org", "Mallory", "government").await;
        assert_eq!(attacker.login("confirmed@example.org", &theirs).await.status(), 303);
        let mail = app.wait_for_mail("confirmed@example.org", "/verify/").await;
        let owner = app.new_browser();
        assert_eq!(owner.get(&TestApp::link_in(&mail, "/verify/")).await.status(), 200);
        assert_eq!(attacker.get("/account").await.status(), 303, "the attacker is signed out");
    }

    async fn confirming_an_address_keeps_the_confirming_browser_signed_in(app) {
        let password = app.register("mine@example.org", "Me", "academia").await;
        assert_eq!(app.login("mine@example.org", &password).await.status(), 303);
        let other = app.new_browser();
        assert_eq!(other.login("mine@example.org", &password).await.status(), 303);
        let mail = app.wait_for_mail("mine@example.org", "/verify/").await;
        assert_eq!(app.get(&TestApp::link_in(&mail, "/verify/")).await.status(), 200);
        assert_eq!(app.get("/account").await.status(), 200, "the browser that confirmed stays signed in");
        assert_eq!(other.get("/account").await.status(), 303, "a session opened before elsewhere ends");
    }
}
