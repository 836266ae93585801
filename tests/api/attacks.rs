//! The attack suite: each test tries one kind of attack on every route it
//! applies to and asserts the precise refusal. `ROUTES` lists every route of
//! `web::configure` with who may use it; a test fails when a route is added
//! there without a line here, so a new route cannot skip these tests.

use crate::helpers::*;
use diesel::prelude::*;
use polyphony::db::schema::{
    audit_log, consultations, draft_versions, outbox, positions, rounds, sessions,
    submission_revisions, submissions, users,
};
use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::sync::Arc;

const ROUND: &str = "/consultations/additional-protocol/rounds/1";
const POST: &str = "/consultations/additional-protocol/rounds/1/submission";
/// Written by the owner as a confidential comment: no one else may ever see it.
const SECRET: &str = "Confidential words nobody else may read";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Anyone who holds the secret in the address (an e-mailed token or a
    /// receipt code); a made-up one is 404.
    Link,
    /// The signed-in person's own things; visitors are sent to sign in.
    Own,
    /// Organizers and admins; anyone else gets 403.
    Organizer,
    /// Admins only.
    Admin,
    /// Organizers and the consultation's analysts; anyone else gets 404 (as
    /// for a text that does not exist), visitors are sent to sign in.
    Analysis,
}

struct Route {
    method: &'static str,
    pattern: &'static str,
    /// The pattern with real values; `{user}`, `{position}`, `{receipt}` and
    /// `{css}` are filled in from the `World`.
    example: &'static str,
    access: Access,
}

const fn get(pattern: &'static str, example: &'static str, access: Access) -> Route {
    Route {
        method: "GET",
        pattern,
        example,
        access,
    }
}

const fn post(pattern: &'static str, example: &'static str, access: Access) -> Route {
    Route {
        method: "POST",
        pattern,
        example,
        access,
    }
}

use Access::*;

/// Every route of `web::configure`, in its order.
const ROUTES: &[Route] = &[
    get("/", "/", Public),
    get("/healthz", "/healthz", Public),
    get("/assets/{name}", "{css}", Public),
    get(
        "/consultations/{slug}",
        "/consultations/additional-protocol",
        Public,
    ),
    get("/consultations/{slug}/rounds/{n}", ROUND, Public),
    post("/consultations/{slug}/rounds/{n}/submission", POST, Own),
    get("/consultations/{slug}/rounds/{n}/submission", POST, Own),
    post(
        "/consultations/{slug}/rounds/{n}/submission/previous",
        "/consultations/additional-protocol/rounds/1/submission/previous",
        Own,
    ),
    get(
        "/consultations/{slug}/rounds/{n}/submission/revisions/{rev}",
        "/consultations/additional-protocol/rounds/1/submission/revisions/1",
        Own,
    ),
    get("/receipts/{code}", "/receipts/{receipt}", Link),
    get(
        "/consultations/{slug}/organizations",
        "/consultations/additional-protocol/organizations",
        Public,
    ),
    post(
        "/consultations/{slug}/organizations",
        "/consultations/additional-protocol/organizations",
        Own,
    ),
    get(
        "/consultations/{slug}/organizations/{id}",
        "/consultations/additional-protocol/organizations/1",
        Public,
    ),
    post(
        "/consultations/{slug}/organizations/{id}/{action}",
        "/consultations/additional-protocol/organizations/1/request",
        Own,
    ),
    post(
        "/consultations/{slug}/organizations/{id}/members/{member}/{action}",
        "/consultations/additional-protocol/organizations/1/members/{user}/approve",
        Own,
    ),
    get(
        "/consultations/{slug}/rounds/{n}/organizations/{id}",
        "/consultations/additional-protocol/rounds/1/organizations/1",
        Own,
    ),
    post(
        "/consultations/{slug}/rounds/{n}/organizations/{id}/submission",
        "/consultations/additional-protocol/rounds/1/organizations/1/submission",
        Own,
    ),
    get(
        "/consultations/{slug}/rounds/{n}/organizations/{id}/submission",
        "/consultations/additional-protocol/rounds/1/organizations/1/submission",
        Own,
    ),
    get(
        "/consultations/{slug}/rounds/{n}/organizations/{id}/submission/revisions/{rev}",
        "/consultations/additional-protocol/rounds/1/organizations/1/submission/revisions/1",
        Own,
    ),
    get(
        "/consultations/{slug}/rounds/{n}/organizations/{id}/joint",
        "/consultations/additional-protocol/rounds/1/organizations/1/joint",
        Own,
    ),
    post(
        "/consultations/{slug}/rounds/{n}/organizations/{id}/joint/invite",
        "/consultations/additional-protocol/rounds/1/organizations/1/joint/invite",
        Own,
    ),
    get(
        "/consultations/{slug}/rounds/{n}/organizations/{id}/joint/{signature}",
        "/consultations/additional-protocol/rounds/1/organizations/1/joint/1",
        Own,
    ),
    post(
        "/consultations/{slug}/rounds/{n}/organizations/{id}/joint/{signature}/{action}",
        "/consultations/additional-protocol/rounds/1/organizations/1/joint/1/confirm",
        Own,
    ),
    get(
        "/consultations/{slug}/rounds/{n}/submission/attachments",
        "/consultations/additional-protocol/rounds/1/submission/attachments",
        Own,
    ),
    post(
        "/consultations/{slug}/rounds/{n}/submission/attachments",
        "/consultations/additional-protocol/rounds/1/submission/attachments",
        Own,
    ),
    get(
        "/consultations/{slug}/rounds/{n}/submission/attachments/{id}",
        "/consultations/additional-protocol/rounds/1/submission/attachments/1",
        Own,
    ),
    post(
        "/consultations/{slug}/rounds/{n}/submission/attachments/{id}/remove",
        "/consultations/additional-protocol/rounds/1/submission/attachments/1/remove",
        Own,
    ),
    get(
        "/consultations/{slug}/rounds/{n}/report/attachments",
        "/consultations/additional-protocol/rounds/1/report/attachments",
        Public,
    ),
    get(
        "/consultations/{slug}/rounds/{n}/report/attachments/{file}",
        "/consultations/additional-protocol/rounds/1/report/attachments/0123456789abcdef0123456789abcdef",
        Public,
    ),
    get(
        "/organize/{slug}/rounds/{n}/attachments/{id}",
        "/organize/additional-protocol/rounds/1/attachments/1",
        Analysis,
    ),
    get(
        "/consultations/{slug}/rounds/{n}/report",
        "/consultations/additional-protocol/rounds/1/report",
        Public,
    ),
    get(
        "/consultations/{slug}/rounds/{n}/report.json",
        "/consultations/additional-protocol/rounds/1/report.json",
        Public,
    ),
    get(
        "/consultations/{slug}/rounds/{n}/report.csv",
        "/consultations/additional-protocol/rounds/1/report.csv",
        Public,
    ),
    get(
        "/consultations/{slug}/rounds/{n}/report/movement.csv",
        "/consultations/additional-protocol/rounds/1/report/movement.csv",
        Public,
    ),
    get(
        "/consultations/{slug}/rounds/{n}/answers",
        "/consultations/additional-protocol/rounds/1/answers",
        Own,
    ),
    post(
        "/consultations/{slug}/rounds/{n}/answers/{key}",
        "/consultations/additional-protocol/rounds/1/answers/art-1",
        Own,
    ),
    get(
        "/consultations/{slug}/rounds/{n}/report/general",
        "/consultations/additional-protocol/rounds/1/report/general",
        Public,
    ),
    get(
        "/consultations/{slug}/rounds/{n}/report/provisions/{key}",
        "/consultations/additional-protocol/rounds/1/report/provisions/art-1",
        Public,
    ),
    get(
        "/consultations/{slug}/rounds/{n}/report/search",
        "/consultations/additional-protocol/rounds/1/report/search?q=data",
        Public,
    ),
    get(
        "/consultations/{slug}/rounds/{n}/report/texts/{id}",
        "/consultations/additional-protocol/rounds/1/report/texts/1",
        Public,
    ),
    get(
        "/admin/consultations/{slug}/rounds/{n}/report",
        "/admin/consultations/additional-protocol/rounds/1/report",
        Organizer,
    ),
    get(
        "/admin/consultations/{slug}/rounds/{n}/report/provisions/{key}",
        "/admin/consultations/additional-protocol/rounds/1/report/provisions/art-1",
        Organizer,
    ),
    post(
        "/admin/consultations/{slug}/rounds/{n}/report/retry",
        "/admin/consultations/additional-protocol/rounds/1/report/retry",
        Organizer,
    ),
    post(
        "/admin/consultations/{slug}/rounds/{n}/responses/{key}",
        "/admin/consultations/additional-protocol/rounds/1/responses/art-1",
        Organizer,
    ),
    post(
        "/admin/moderation/{id}/hide",
        "/admin/moderation/{position}/hide",
        Organizer,
    ),
    get("/register", "/register", Public),
    post("/register", "/register", Public),
    post("/verify/resend", "/verify/resend", Own),
    get("/verify/{token}", "/verify/made-up-token", Link),
    get("/login", "/login", Public),
    post("/login", "/login", Public),
    post("/logout", "/logout", Public),
    get("/password/forgot", "/password/forgot", Public),
    post("/password/forgot", "/password/forgot", Public),
    get(
        "/password/reset/{token}",
        "/password/reset/made-up-token",
        Link,
    ),
    post(
        "/password/reset/{token}",
        "/password/reset/made-up-token",
        Link,
    ),
    get("/account", "/account", Own),
    post("/account", "/account", Own),
    post("/account/password", "/account/password", Own),
    post("/account/delete", "/account/delete", Own),
    get("/audit", "/audit", Public),
    get("/feed.atom", "/feed.atom", Public),
    get("/admin", "/admin", Organizer),
    get(
        "/admin/consultations/new",
        "/admin/consultations/new",
        Organizer,
    ),
    post("/admin/consultations", "/admin/consultations", Organizer),
    get(
        "/admin/consultations/{slug}",
        "/admin/consultations/additional-protocol",
        Organizer,
    ),
    post(
        "/admin/consultations/{slug}",
        "/admin/consultations/additional-protocol",
        Organizer,
    ),
    get(
        "/admin/consultations/{slug}/drafts/new",
        "/admin/consultations/additional-protocol/drafts/new",
        Organizer,
    ),
    post(
        "/admin/consultations/{slug}/drafts",
        "/admin/consultations/additional-protocol/drafts",
        Organizer,
    ),
    get(
        "/admin/consultations/{slug}/drafts/{version}/translation",
        "/admin/consultations/additional-protocol/drafts/1/translation",
        Organizer,
    ),
    post(
        "/admin/consultations/{slug}/drafts/{version}/translation",
        "/admin/consultations/additional-protocol/drafts/1/translation",
        Organizer,
    ),
    post(
        "/admin/consultations/{slug}/rounds",
        "/admin/consultations/additional-protocol/rounds",
        Organizer,
    ),
    get(
        "/admin/consultations/{slug}/rounds/{n}/settings",
        "/admin/consultations/additional-protocol/rounds/1/settings",
        Organizer,
    ),
    post(
        "/admin/consultations/{slug}/rounds/{n}/settings",
        "/admin/consultations/additional-protocol/rounds/1/settings",
        Organizer,
    ),
    get(
        "/admin/consultations/{slug}/rounds/{n}/{action}",
        "/admin/consultations/additional-protocol/rounds/1/close",
        Organizer,
    ),
    post(
        "/admin/consultations/{slug}/rounds/{n}/{action}",
        "/admin/consultations/additional-protocol/rounds/1/close",
        Organizer,
    ),
    get("/admin/participants", "/admin/participants", Organizer),
    post(
        "/admin/participants/verify",
        "/admin/participants/verify",
        Organizer,
    ),
    get(
        "/admin/participants/rules",
        "/admin/participants/rules",
        Organizer,
    ),
    post(
        "/admin/participants/rules",
        "/admin/participants/rules",
        Organizer,
    ),
    post(
        "/admin/participants/rules/{id}/delete",
        "/admin/participants/rules/1/delete",
        Organizer,
    ),
    get(
        "/admin/participants/{id}",
        "/admin/participants/{user}",
        Organizer,
    ),
    post(
        "/admin/participants/{id}/verify",
        "/admin/participants/{user}/verify",
        Organizer,
    ),
    post("/admin/users/{id}/role", "/admin/users/{user}/role", Admin),
    get("/analysis", "/analysis", Own),
    get(
        "/organize/{slug}/analysis",
        "/organize/additional-protocol/analysis",
        Analysis,
    ),
    get(
        "/organize/{slug}/rounds/{n}/analysis",
        "/organize/additional-protocol/rounds/1/analysis",
        Analysis,
    ),
    get(
        "/organize/{slug}/rounds/{n}/analysis/batches/{batch}",
        "/organize/additional-protocol/rounds/1/analysis/batches/0123456789abcdef",
        Analysis,
    ),
    get(
        "/organize/{slug}/rounds/{n}/analysis/campaigns",
        "/organize/additional-protocol/rounds/1/analysis/campaigns?provision=art-1",
        Analysis,
    ),
    get(
        "/organize/{slug}/rounds/{n}/analysis/progress",
        "/organize/additional-protocol/rounds/1/analysis/progress",
        Analysis,
    ),
    get(
        "/organize/{slug}/rounds/{n}/analysis/queue",
        "/organize/additional-protocol/rounds/1/analysis/queue",
        Analysis,
    ),
    get(
        "/organize/{slug}/rounds/{n}/analysis/texts/{kind}/{id}",
        "/organize/additional-protocol/rounds/1/analysis/texts/position/{position}",
        Analysis,
    ),
    post(
        "/admin/consultations/{slug}/analysts",
        "/admin/consultations/additional-protocol/analysts",
        Organizer,
    ),
    post(
        "/admin/consultations/{slug}/analysts/{id}/remove",
        "/admin/consultations/additional-protocol/analysts/{user}/remove",
        Organizer,
    ),
    post(
        "/organize/{slug}/analysis/tags",
        "/organize/additional-protocol/analysis/tags",
        Analysis,
    ),
    post(
        "/organize/{slug}/analysis/tags/{id}/delete",
        "/organize/additional-protocol/analysis/tags/1/delete",
        Analysis,
    ),
    post(
        "/organize/{slug}/rounds/{n}/analysis/assign",
        "/organize/additional-protocol/rounds/1/analysis/assign",
        Analysis,
    ),
    post(
        "/organize/{slug}/rounds/{n}/analysis/batches/{batch}/undo",
        "/organize/additional-protocol/rounds/1/analysis/batches/0123456789abcdef/undo",
        Analysis,
    ),
    post(
        "/organize/{slug}/rounds/{n}/analysis/tag",
        "/organize/additional-protocol/rounds/1/analysis/tag",
        Analysis,
    ),
    post(
        "/organize/{slug}/rounds/{n}/analysis/taggings/{id}/undo",
        "/organize/additional-protocol/rounds/1/analysis/taggings/1/undo",
        Analysis,
    ),
    post(
        "/organize/{slug}/rounds/{n}/analysis/texts/{kind}/{id}",
        "/organize/additional-protocol/rounds/1/analysis/texts/position/{position}",
        Analysis,
    ),
    get(
        "/admin/consultations/{slug}/rounds/{n}/texts/{kind}/{id}/disposition",
        "/admin/consultations/additional-protocol/rounds/1/texts/position/{position}/disposition",
        Analysis,
    ),
    post(
        "/admin/consultations/{slug}/rounds/{n}/texts/{kind}/{id}/disposition",
        "/admin/consultations/additional-protocol/rounds/1/texts/position/{position}/disposition",
        Analysis,
    ),
];

/// (method, pattern) of every `.route(…)` in `src/web/mod.rs`.
fn routes_in_source() -> BTreeSet<(String, String)> {
    let source = include_str!("../../src/web/mod.rs");
    let flat = source.split_whitespace().collect::<Vec<_>>().join(" ");
    flat.split(".route(")
        .skip(1)
        .map(|call| {
            let pattern = call.split('"').nth(1).expect("a quoted pattern");
            let method = call
                .split("web::")
                .nth(1)
                .and_then(|m| m.split("()").next())
                .expect("web::get() or web::post()");
            (method.to_uppercase(), pattern.to_string())
        })
        .collect()
}

#[test]
fn the_route_table_lists_every_route_of_the_app() {
    let source = include_str!("../../src/web/mod.rs");
    for other in [".service(", "web::resource(", "web::scope("] {
        assert!(
            !source.contains(other),
            "routes registered with {other} are not read by this test: list them in ROUTES"
        );
    }
    let in_app = routes_in_source();
    let listed: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|r| (r.method.to_string(), r.pattern.to_string()))
        .collect();
    assert_eq!(listed.len(), ROUTES.len(), "a route is listed twice");
    let missing: Vec<_> = in_app.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&in_app).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "add these routes to ROUTES in tests/api/attacks.rs: {missing:?}; remove these: {stale:?}"
    );
    assert!(
        in_app.len() >= 40,
        "the parser found {} routes",
        in_app.len()
    );
}

/// The people and objects the attacks are aimed at.
struct World {
    admin: Browser,
    organizer: Browser,
    owner: Browser,
    intruder: Browser,
    anonymous: Browser,
    owner_id: i64,
    position_id: i64,
    receipt: String,
    css: String,
}

impl World {
    fn path(&self, example: &str) -> String {
        example
            .replace("{user}", &self.owner_id.to_string())
            .replace("{position}", &self.position_id.to_string())
            .replace("{receipt}", &self.receipt)
            .replace("{css}", &self.css)
    }

    fn browser(&self, who: &str) -> &Browser {
        match who {
            "admin" => &self.admin,
            "organizer" => &self.organizer,
            "owner" => &self.owner,
            "intruder" => &self.intruder,
            _ => &self.anonymous,
        }
    }
}

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// The CSRF token of a browser's session (anonymous visitors get one from
/// the sign-in form).
async fn token(b: &Browser) -> String {
    let (_, page) = b.get_text("/account").await;
    if page.contains("name=\"csrf_token\"") {
        return csrf_in(&page);
    }
    let (_, page) = b.get_text("/login").await;
    csrf_in(&page)
}

async fn world(app: &TestApp) -> World {
    let owner = app
        .participant("owner@example.org", "academia", "FR", false)
        .await;
    let res = owner
        .submit(
            ROUND,
            POST,
            &[
                ("action", "submit"),
                ("stance[art-1]", "oppose"),
                ("comment[art-1]", SECRET),
                ("general_comment", SECRET),
                ("disclosure", "confidential"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let receipt = location(&res)
        .split("receipt=")
        .nth(1)
        .expect("a receipt code")
        .to_string();
    let intruder = app
        .participant("intruder@example.org", "academia", "KE", false)
        .await;
    let organizer = app
        .participant("organizer@example.org", "academia", "FR", false)
        .await;
    app.db
        .query(|c| {
            diesel::update(users::table.filter(users::email.eq("organizer@example.org")))
                .set(users::role.eq("organizer"))
                .execute(c)
        })
        .await
        .unwrap();
    let (owner_id, position_id) = app
        .db
        .query(|c| {
            let owner: i64 = users::table
                .filter(users::email.eq("owner@example.org"))
                .select(users::id)
                .first(c)?;
            let position: i64 = positions::table
                .filter(positions::comment.eq(SECRET))
                .select(positions::id)
                .first(c)?;
            Ok((owner, position))
        })
        .await
        .unwrap();
    let anonymous = app.new_browser();
    let (_, home) = anonymous.get_text("/").await;
    let start = home.find("/assets/app.").expect("the stylesheet link");
    let css = home[start..start + home[start..].find('"').unwrap()].to_string();
    World {
        admin: app.admin().await,
        organizer,
        owner,
        intruder,
        anonymous,
        owner_id,
        position_id,
        receipt,
        css,
    }
}

/// Counts that any successful state-changing request would move.
async fn state(app: &TestApp) -> Vec<i64> {
    app.db
        .query(|c| {
            Ok(vec![
                users::table.count().get_result(c)?,
                users::table
                    .filter(users::role.ne("participant"))
                    .count()
                    .get_result(c)?,
                users::table
                    .filter(users::affiliation_verified_at.is_not_null())
                    .count()
                    .get_result(c)?,
                sessions::table
                    .filter(sessions::revoked_at.is_not_null())
                    .count()
                    .get_result(c)?,
                consultations::table.count().get_result(c)?,
                draft_versions::table.count().get_result(c)?,
                rounds::table.count().get_result(c)?,
                rounds::table
                    .filter(rounds::closed_early_at.is_not_null())
                    .count()
                    .get_result(c)?,
                submissions::table.count().get_result(c)?,
                submission_revisions::table.count().get_result(c)?,
                positions::table
                    .filter(positions::hidden_reason.is_not_null())
                    .count()
                    .get_result(c)?,
                audit_log::table.count().get_result(c)?,
                outbox::table.count().get_result(c)?,
            ])
        })
        .await
        .unwrap()
}

/// Fields an honest form for any route would carry, so that only the token
/// can be the reason for a refusal.
const PLAUSIBLE: &[(&str, &str)] = &[
    ("email", "owner@example.org"),
    ("password", PASSWORD),
    ("role", "admin"),
    ("reason", "hidden by a forged request"),
    ("response", "forged"),
    ("note", "forged"),
];

fn assert_security_headers(res: &reqwest::Response, what: &str) {
    let h = res.headers();
    let csp = h
        .get("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no CSP"))
        .to_str()
        .unwrap();
    for directive in [
        "default-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ] {
        assert!(csp.contains(directive), "{what}: CSP lacks {directive}");
    }
    for loose in ["unsafe-inline", "unsafe-eval", "script-src", "*"] {
        assert!(!csp.contains(loose), "{what}: CSP allows {loose}");
    }
    assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
    assert_eq!(h["referrer-policy"], "same-origin", "{what}");
    assert_eq!(h["x-frame-options"], "DENY", "{what}");
}

/// Sends one request by hand, its body (if any) in HTTP/1.1 chunks so that it
/// declares no length, and returns the status and the response's head in
/// lower case. Writing goes on in another thread: the server may answer and
/// close before the whole body is sent.
async fn raw_request(address: &str, head: String, chunks: Vec<Vec<u8>>) -> (u16, String) {
    let addr = address.trim_start_matches("http://").to_string();
    actix_web::rt::task::spawn_blocking(move || {
        let stream = std::net::TcpStream::connect(&addr).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(20)))
            .unwrap();
        let mut writer = stream.try_clone().unwrap();
        let sender = std::thread::spawn(move || {
            let _ = writer.write_all(head.as_bytes());
            for chunk in chunks {
                let frame = [
                    format!("{:x}\r\n", chunk.len()).into_bytes(),
                    chunk,
                    b"\r\n".to_vec(),
                ]
                .concat();
                if writer.write_all(&frame).is_err() {
                    return;
                }
            }
            let _ = writer.write_all(b"0\r\n\r\n");
        });
        let mut reader = stream;
        let mut line = Vec::new();
        let mut byte = [0u8; 1];
        while !line.ends_with(b"\r\n\r\n") {
            match reader.read(&mut byte) {
                Ok(1) => line.push(byte[0]),
                other => panic!("no response head: {other:?} after {line:?}"),
            }
        }
        drop(reader);
        let _ = sender.join();
        let head = String::from_utf8_lossy(&line).to_lowercase();
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, head)
    })
    .await
    .unwrap()
}

/// A browser whose cookies the test can read and plant.
fn browser_with_jar(address: &str, jar: Arc<reqwest::cookie::Jar>) -> Browser {
    Browser {
        address: address.to_string(),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_provider(jar)
            .build()
            .unwrap(),
    }
}

fn session_cookie(jar: &reqwest::cookie::Jar, address: &str) -> String {
    use reqwest::cookie::CookieStore;
    let all = jar
        .cookies(&address.parse().unwrap())
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    all.split("; ")
        .find(|c| c.starts_with("polyphony="))
        .expect("a session cookie")
        .to_string()
}

/// Markup that must never act, for fields shown as plain text (≤ 80
/// characters, the shortest limit: a display name).
const MARKUP: &str = "<script>alert(1)</script><img src=x onerror=alert(2)><svg onload=alert(3)>";
const MARKUP_ESCAPED: &str =
    "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt;";
/// Markup for long plain-text fields (comments, proposed wording).
const LONG_MARKUP: &str = "\"><script>alert('c1')</script><a href=\"javascript:alert('c2')\">x</a> \
    ' onmouseover='alert(3)' <svg><script>alert('c4')</script></svg> <iframe src=//evil.example></iframe>";
/// Markdown fields (draft, summary, organizers' response): sanitized, not
/// escaped, so only the marker text must survive.
const MARKDOWN: &str = "Marker-md text <script>alert('m1')</script> [click](javascript:alert('m2')) \
    <a href=\"javascript:alert('m3')\">a</a> <img src=x onerror=alert('m4')> \
    <svg onload=alert('m5')><circle r=\"1\"/></svg> <iframe src=\"https://evil.example\"></iframe> \
    <p onclick=\"alert('m6')\" style=\"x\">p</p> [data](data:text/html;base64,PHNjcmlwdD4=) \
    <form action=\"https://evil.example\"><button>b</button></form> <object data=\"x.swf\"></object>";

/// Nothing in `html` can run a script, load a frame or plug-in, or send the
/// reader or a form off the site by a script or data address. Checked on the
/// parsed document, as a browser would read it: text that merely looks like
/// markup (`&lt;img onerror=…&gt;`) is harmless and allowed.
fn assert_inert(html: &str, what: &str) {
    let document = scraper::Html::parse_document(html);
    for element in document
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        let tag = element.value().name();
        assert!(
            ![
                "script",
                "iframe",
                "frame",
                "frameset",
                "object",
                "embed",
                "applet",
                "base",
                "style",
                "foreignobject",
            ]
            .contains(&tag),
            "{what}: a <{tag}> element in {}",
            element.html()
        );
        for (name, value) in element.value().attrs() {
            let value = value.trim().to_lowercase();
            assert!(
                !name.starts_with("on") && name != "srcdoc",
                "{what}: attribute {name} in {}",
                element.html()
            );
            if [
                "href",
                "src",
                "action",
                "formaction",
                "xlink:href",
                "data",
                "poster",
            ]
            .contains(&name)
            {
                for scheme in ["javascript:", "vbscript:", "data:text/html"] {
                    assert!(!value.starts_with(scheme), "{what}: {name}={value}");
                }
            }
            if name == "action" || name == "formaction" {
                assert!(
                    value.starts_with('/') && !value.starts_with("//"),
                    "{what}: a form sent to {value}"
                );
            }
        }
    }
}

both_backends! {
    async fn every_post_without_or_with_a_wrong_csrf_token_is_refused(app) {
        let w = world(&app).await;
        let before = state(&app).await;
        let stolen = token(&w.intruder).await;
        for route in ROUTES.iter().filter(|r| r.method == "POST") {
            let path = w.path(route.example);
            for who in ["admin", "owner", "anonymous"] {
                let b = w.browser(who);
                let own = token(b).await;
                assert_ne!(own, stolen);
                for (case, supplied) in [("without a token", None), ("with a forged token", Some("forged")),
                                         ("with an empty token", Some("")), ("with another session's token", Some(stolen.as_str()))] {
                    let mut fields: Vec<(&str, &str)> = PLAUSIBLE.to_vec();
                    if let Some(t) = supplied {
                        fields.insert(0, ("csrf_token", t));
                    }
                    let res = b.post_form(&path, &fields).await;
                    assert_eq!(res.status(), 403, "{who}: POST {path} {case}");
                    assert_security_headers(&res, &path);
                    assert!(res.text().await.unwrap().contains("You cannot do this"), "{who}: POST {path} {case}");
                }
                // The token in the query string counts only for file uploads.
                let res = b.client.post(format!("{}{path}?csrf_token={own}", b.address)).form(PLAUSIBLE).send().await.unwrap();
                assert_eq!(res.status(), 403, "{who}: POST {path} with the token in the query string");
            }
        }
        let upload = reqwest::multipart::Form::new().text("csrf_token", token(&w.admin).await)
            .text("markdown", "## Article 1\nForged.\n").text("action", "save");
        let res = w.admin.client.post(format!("{}/admin/consultations/additional-protocol/drafts", w.admin.address))
            .multipart(upload).send().await.unwrap();
        assert_eq!(res.status(), 403, "an upload carries its token in the query string, not in the body");
        assert_eq!(state(&app).await, before, "no refused request changed anything");
        assert_eq!(w.admin.get("/admin").await.status(), 200, "the refused /logout signed nobody out");
    }

    async fn every_object_url_refuses_other_participants_and_visitors(app) {
        let w = world(&app).await;
        let before = state(&app).await;
        let owner_email = "owner@example.org";
        for route in ROUTES {
            let path = w.path(route.example);
            let who: &[&str] = match route.access {
                Public | Link | Own => &["intruder", "anonymous"],
                Organizer | Analysis => &["owner", "intruder", "anonymous"],
                Admin => &["owner", "intruder", "anonymous", "organizer"],
            };
            for &who in who {
                let b = w.browser(who);
                // Another participant's own routes are their own: nothing to steal by posting.
                if route.access == Own && route.method == "POST" && who != "anonymous" {
                    continue;
                }
                if matches!(route.access, Public | Link) && route.method == "POST" {
                    continue;
                }
                let res = if route.method == "GET" {
                    b.get(&path).await
                } else {
                    let t = token(b).await;
                    let mut fields: Vec<(&str, &str)> = PLAUSIBLE.to_vec();
                    fields.insert(0, ("csrf_token", t.as_str()));
                    b.post_form(&path, &fields).await
                };
                let status = res.status().as_u16();
                let to = location(&res);
                let body = res.text().await.unwrap();
                let what = format!("{who}: {} {path}", route.method);
                match (route.access, who) {
                    (Organizer | Admin, _) => {
                        assert_eq!(status, 403, "{what}");
                        assert!(body.contains("You cannot do this"), "{what}");
                    }
                    (Analysis, "anonymous") => {
                        assert_eq!(status, 303, "{what}");
                        assert!(to.starts_with("/login?next=%2F"), "{what}: sent to {to}");
                    }
                    (Analysis, _) => assert_eq!(status, 404, "{what}"),
                    (Own, "anonymous") => {
                        assert_eq!(status, 303, "{what}");
                        assert!(to.starts_with("/login?next=%2F"), "{what}: sent to {to}");
                    }
                    // Their own page (their account) or nothing (no submission of theirs).
                    (Own | Link | Public, _) => assert!(status == 200 || status == 404, "{what}: {status}"),
                }
                assert!(!body.contains(SECRET), "{what} shows the owner's confidential text");
                if route.access != Public {
                    assert!(!body.contains(owner_email), "{what} shows the owner's address");
                }
            }
        }
        for path in [POST.to_string(), format!("{POST}/revisions/1"), "/verify/made-up-token".into(),
                     "/password/reset/made-up-token".into(), "/receipts/0000-0000-0000-0000".into()] {
            assert_eq!(w.intruder.get(&path).await.status(), 404, "{path}: someone else's, or made up");
        }
        // The owner's receipt proves it exists, and nothing more.
        let (status, body) = w.intruder.get_text(&format!("/receipts/{}", w.receipt)).await;
        assert_eq!(status, 200);
        assert!(!body.contains(SECRET) && !body.contains("Name of owner"));
        // Counting up from someone's revision numbers finds nothing either.
        for rev in ["1", "2", "0", "-1", "99999999999", "x"] {
            let path = format!("{POST}/revisions/{rev}");
            assert_eq!(w.intruder.get(&path).await.status(), 404, "{path}");
        }
        assert_eq!(state(&app).await, before, "no refused request changed anything");
        let (status, mine) = w.owner.get_text(&format!("{POST}/revisions/1")).await;
        assert_eq!((status, mine.contains(SECRET)), (200, true), "the owner still sees it");
    }

    async fn markup_in_every_user_field_is_inert_on_every_page_and_in_emails(app) {
        let admin = app.admin().await;
        let res = admin.submit("/admin/consultations/new", "/admin/consultations", &[
            ("slug", "xss"), ("title", MARKUP), ("summary", MARKDOWN),
            ("eligible_groups", "academia"), ("eligible_groups", "civil_society")]).await;
        assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
        let draft = format!("# {MARKUP}\n\n{MARKDOWN}\n\n## Article 1 — {MARKUP}\n{MARKDOWN}\n\n## Article 2\nPlain.\n");
        let res = admin.submit("/admin/consultations/xss/drafts/new", "/admin/consultations/xss/drafts",
            &[("markdown", &draft), ("level", "2"), ("action", "preview")]).await;
        assert_eq!(res.status(), 200);
        assert_inert(&res.text().await.unwrap(), "draft preview");
        let res = admin.submit("/admin/consultations/xss/drafts/new", "/admin/consultations/xss/drafts",
            &[("markdown", &draft), ("level", "2"), ("action", "save")]).await;
        assert_eq!(res.status(), 303);
        let now = app.clock.now();
        let when = |t: time::PrimitiveDateTime| format!("{:04}-{:02}-{:02}T{:02}:{:02}", t.year(), u8::from(t.month()), t.day(), t.hour(), t.minute());
        let res = admin.submit("/admin/consultations/xss", "/admin/consultations/xss/rounds", &[
            ("draft_version", "1"), ("opens_at", &when(now)),
            ("closes_at", &when(now + time::Duration::days(5))), ("attribution", "open")]).await;
        assert_eq!(res.status(), 303);

        // A participant whose name and organization are markup, registered through the form.
        let b = app.new_browser();
        let res = b.submit("/register", "/register", &[("email", "xss@example.org"), ("password", PASSWORD),
            ("display_name", MARKUP), ("organization", MARKUP), ("stakeholder_group", "academia"),
            ("country", "FR"), ("locale", "en")]).await;
        assert_eq!(res.status(), 200);
        let mail = app.wait_for_mail("xss@example.org", "/verify/").await;
        assert_eq!(b.get(&TestApp::link_in(&mail, "/verify/")).await.status(), 200);
        assert_eq!(b.login("xss@example.org", PASSWORD).await.status(), 303);

        let round = "/consultations/xss/rounds/1";
        let post = "/consultations/xss/rounds/1/submission";
        let answers = [("stance[art-1]", "support_with_changes"), ("comment[art-1]", LONG_MARKUP),
            ("proposed_text[art-1]", LONG_MARKUP), ("general_comment", LONG_MARKUP), ("disclosure", "attributed")];
        let mut review = vec![("action", "review")];
        review.extend_from_slice(&answers);
        let res = b.submit(round, post, &review).await;
        assert_eq!(res.status(), 200);
        assert_inert(&res.text().await.unwrap(), "review page");
        let mut submit = vec![("action", "submit")];
        submit.extend_from_slice(&answers);
        let res = b.submit(round, post, &submit).await;
        assert_eq!(res.status(), 303);
        let receipt = location(&res).split("receipt=").nth(1).unwrap().to_string();
        app.wait_for_mail("xss@example.org", &receipt).await;

        let user_id: i64 = app.db.query(|c| users::table.filter(users::email.eq("xss@example.org")).select(users::id).first(c)).await.unwrap();
        let (_, dashboard) = admin.get_text("/admin").await;
        assert!(dashboard.contains(MARKUP_ESCAPED), "the name is shown, as text");
        let res = admin.post_form(&format!("/admin/participants/{user_id}/verify"), &[("csrf_token", &csrf_in(&dashboard))]).await;
        assert_eq!(res.status(), 303);

        // Signed-in pages, the participant's and the organizers'.
        for (who, browser, path) in [
            ("participant", &b, round.to_string()), ("participant", &b, post.to_string()),
            ("participant", &b, format!("{post}/revisions/1")), ("participant", &b, format!("{round}?receipt={receipt}")),
            ("participant", &b, "/account".into()), ("anyone", &b, format!("/receipts/{receipt}")),
            ("organizer", &admin, "/admin".into()), ("organizer", &admin, "/admin/consultations/xss".into()),
            ("organizer", &admin, "/admin/consultations/xss/drafts/new".into()),
            ("organizer", &admin, "/admin/consultations/xss/rounds/1/close".into()),
            ("public", &app.browser, "/".into()), ("public", &app.browser, "/consultations/xss".into()),
            ("public", &app.browser, round.into()), ("public", &app.browser, format!("{round}?view=changes")),
            ("public", &app.browser, "/audit".into()),
        ] {
            let (status, page) = browser.get_text(&path).await;
            assert_eq!(status, 200, "{who} {path}");
            assert_inert(&page, &path);
        }
        let (_, account) = b.get_text("/account").await;
        assert!(account.contains(MARKUP_ESCAPED), "the account page shows the name as text");
        let (_, mine) = b.get_text(&format!("{post}/revisions/1")).await;
        assert!(mine.contains("&lt;script&gt;alert(&#x27;c1&#x27;)&lt;/script&gt;"), "the comment is shown, as text");
        let (_, public) = app.get_text("/consultations/xss").await;
        assert!(public.contains("Marker-md text") && public.contains(MARKUP_ESCAPED), "summary and title are shown");
        let (_, feed) = app.get_text("/feed.atom").await;
        assert!(!feed.contains("<script"), "the Atom feed escapes titles");

        // Close, respond, hide one text, publish: the public report and its files.
        let admin_round = "/admin/consultations/xss/rounds/1";
        assert_eq!(admin.submit(&format!("{admin_round}/close"), &format!("{admin_round}/close"), &[]).await.status(), 303);
        let (_, preview) = admin.get_text(&format!("{admin_round}/report")).await;
        assert_inert(&preview, "draft report");
        let (_, preview) = admin.get_text(&format!("{admin_round}/report/provisions/art-1")).await;
        assert_inert(&preview, "draft report provision");
        let t = csrf_in(&preview);
        let res = admin.post_form(&format!("{admin_round}/responses/art-1"), &[("csrf_token", &t), ("response", MARKDOWN)]).await;
        assert_eq!(res.status(), 303);
        let res = admin.submit(&format!("{admin_round}/publish"), &format!("{admin_round}/publish"), &[("note", MARKUP)]).await;
        assert_eq!(res.status(), 303);
        let general: i64 = app.db.query(|c| positions::table.filter(positions::proposed_text.eq(LONG_MARKUP)).select(positions::id).first(c)).await.unwrap();
        let res = admin.post_form(&format!("/admin/moderation/{general}/hide"), &[("csrf_token", &t), ("reason", MARKUP)]).await;
        assert_eq!(res.status(), 303);
        for page in ["", "/provisions/art-1", "/general"] {
            for version in ["", "?version=1"] {
                let path = format!("{round}/report{page}{version}");
                let (status, report) = app.get_text(&path).await;
                assert_eq!(status, 200, "{path}");
                assert_inert(&report, &path);
            }
        }
        let (_, report) = app.get_text(&format!("{round}/report/provisions/art-1?version=1")).await;
        assert!(report.contains("&lt;script&gt;alert(&#x27;c1&#x27;)"), "the published comment is shown, as text");
        assert!(report.contains(MARKUP_ESCAPED), "the author's name is shown, as text");
        let json = app.get(&format!("{round}/report.json")).await;
        assert!(json.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
        assert_security_headers(&json, "report.json");
        let csv = app.get(&format!("{round}/report.csv")).await;
        assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        assert_security_headers(&csv, "report.csv");

        // Every e-mail that was written: verification, receipt, round opened, report published.
        let mails: Vec<(String, String)> = app.db.query(|c| outbox::table.select((outbox::kind, outbox::body_html)).load(c)).await.unwrap();
        let kinds: BTreeSet<&str> = mails.iter().map(|(k, _)| k.as_str()).collect();
        for kind in ["verify_email", "receipt", "report_published"] {
            assert!(kinds.contains(kind), "a {kind} e-mail was written: {kinds:?}");
        }
        for (kind, html) in &mails {
            assert_inert(html, kind);
        }
        let receipt_mail = &mails.iter().find(|(k, _)| k == "receipt").unwrap().1;
        assert!(receipt_mail.contains("&lt;script&gt;alert(&#x27;c1&#x27;)"), "the receipt quotes the comment, as text");
    }

    async fn sql_injection_strings_are_stored_and_shown_literally(app) {
        const NAME: &str = "Robert'); DROP TABLE users;--";
        const ORG: &str = "' OR '1'='1";
        const COMMENT: &str = "1; DELETE FROM submissions WHERE '1'='1'; -- \" OR \"\"=\" \\'; SELECT pg_sleep(5);";
        let b = app.new_browser();
        let res = b.submit("/register", "/register", &[("email", "bobby@example.org"), ("password", PASSWORD),
            ("display_name", NAME), ("organization", ORG), ("stakeholder_group", "academia"),
            ("country", "FR"), ("locale", "en")]).await;
        assert_eq!(res.status(), 200);
        let mail = app.wait_for_mail("bobby@example.org", "/verify/").await;
        b.get(&TestApp::link_in(&mail, "/verify/")).await;
        assert_eq!(b.login("bobby@example.org", PASSWORD).await.status(), 303);
        let res = b.submit(ROUND, POST, &[("action", "submit"), ("comment[art-1]", COMMENT),
            ("general_comment", ORG), ("disclosure", "attributed")]).await;
        assert_eq!(res.status(), 303);

        let stored: (String, String) = app.db.query(|c| users::table.filter(users::email.eq("bobby@example.org"))
            .select((users::display_name, users::organization)).first(c)).await.unwrap();
        assert_eq!(stored, (NAME.to_string(), ORG.to_string()), "stored exactly as typed");
        let comment: String = app.db.query(|c| positions::table.filter(positions::comment.ne("")).select(positions::comment).first(c)).await.unwrap();
        assert_eq!(comment, COMMENT);
        let (_, account) = b.get_text("/account").await;
        assert!(account.contains("Robert&#x27;); DROP TABLE users;--"), "shown literally");
        let (_, mine) = b.get_text(&format!("{POST}/revisions/1")).await;
        assert!(mine.contains("1; DELETE FROM submissions WHERE &#x27;1&#x27;&#x3D;&#x27;1&#x27;"), "{mine}");

        // The same strings where they meet a query: sign-in, reset, addresses, parameters.
        for email in ["' OR '1'='1' --@example.org", "admin@polyphony.localhost' --", "\" OR 1=1 --"] {
            let res = app.login(email, "' OR '1'='1").await;
            assert!(res.status() == 401 || res.status() == 422, "{email}: {}", res.status());
            let res = app.submit("/password/forgot", "/password/forgot", &[("email", email)]).await;
            assert!(res.status() == 200 || res.status() == 422, "{email}: {}", res.status());
        }
        for path in ["/consultations/x'%20OR%20'1'='1", "/consultations/additional-protocol'--/rounds/1",
                     "/receipts/'%20OR%201=1--", "/verify/'%20OR%201=1--", "/password/reset/1'%3B%20DROP%20TABLE%20users",
                     "/consultations/additional-protocol/rounds/1%20OR%201=1"] {
            assert_eq!(app.get(path).await.status(), 404, "{path}");
        }
        for path in ["/audit?page=1%20OR%201=1", "/consultations/additional-protocol/rounds/1/report?version=1;DROP"] {
            assert_eq!(app.get(path).await.status(), 400, "{path}");
        }
        let users_left: i64 = app.db.query(|c| users::table.count().get_result(c)).await.unwrap();
        let submissions_left: i64 = app.db.query(|c| submissions::table.count().get_result(c)).await.unwrap();
        assert_eq!((users_left, submissions_left), (2, 1), "nothing was dropped or deleted");
    }

    async fn text_that_is_not_utf8_or_holds_a_nul_is_refused_with_400_everywhere(app) {
        let w = world(&app).await;
        let before = state(&app).await;
        let t = token(&w.admin).await;
        for route in ROUTES.iter().filter(|r| r.method == "POST") {
            let path = w.path(route.example);
            for (case, body) in [
                ("percent-encoded invalid UTF-8", format!("csrf_token={t}&email=a%FFb@example.org&title=%C3").into_bytes()),
                ("raw invalid UTF-8", [format!("csrf_token={t}&email=a").into_bytes(), vec![0xff, 0xfe], b"b".to_vec()].concat()),
                ("a NUL character", format!("csrf_token={t}&email=a%00b@example.org&display_name=A%00").into_bytes()),
                ("a NUL in a field name", format!("csrf_token={t}&e%00mail=x").into_bytes()),
            ] {
                let res = w.admin.client.post(format!("{}{path}", w.admin.address))
                    .header("content-type", "application/x-www-form-urlencoded").body(body).send().await.unwrap();
                assert_eq!(res.status(), 400, "POST {path} with {case}");
                assert_security_headers(&res, &path);
                let page = res.text().await.unwrap();
                assert!(page.contains("The request could not be understood"), "POST {path} with {case}: {page}");
            }
        }
        for route in ROUTES.iter().filter(|r| r.method == "GET") {
            let path = w.path(route.example);
            for query in ["?lang=%FF", "?next=%00", "?view=%E2%82"] {
                let (status, page) = w.admin.get_text(&format!("{path}{query}")).await;
                assert_eq!(status, 400, "GET {path}{query}");
                assert!(page.contains("The request could not be understood"));
            }
        }
        for path in ["/consultations/%FF", "/receipts/A%00B", "/verify/%00", "/consultations/additional-protocol/rounds/1%00",
                     "/admin/consultations/%C3%28"] {
            assert_eq!(w.admin.get(path).await.status(), 400, "{path}");
        }
        // An uploaded draft is a file: not text means 422 with the import error, not a 500.
        let url = format!("{}/admin/consultations/additional-protocol/drafts?csrf_token={t}", w.admin.address);
        for bytes in [b"## Article 1\nText\0with a NUL\n".to_vec(), vec![0xff, 0xfe, 0x41]] {
            let form = reqwest::multipart::Form::new().text("level", "2").text("action", "save")
                .part("file", reqwest::multipart::Part::bytes(bytes).file_name("draft.md"));
            let res = w.admin.client.post(&url).multipart(form).send().await.unwrap();
            assert_eq!(res.status(), 422);
            assert!(res.text().await.unwrap().contains("The document is not UTF-8 text."));
        }
        assert_eq!(state(&app).await, before, "nothing was stored");
        assert_eq!(w.admin.get("/admin").await.status(), 200, "the refused /logout signed nobody out");
    }

    async fn malformed_forms_get_400_with_the_error_page(app) {
        let w = world(&app).await;
        let before = state(&app).await;
        let t = token(&w.admin).await;
        // These read no form fields, so a wrong type of body changes nothing for them.
        let no_fields = ["/logout", "/verify/resend", "/consultations/{slug}/rounds/{n}/submission/previous", "/admin/participants/{id}/verify", "/admin/participants/rules/{id}/delete", "/admin/consultations/{slug}/drafts", "/admin/consultations/{slug}/drafts/{version}/translation", "/consultations/{slug}/rounds/{n}/submission/attachments/{id}/remove"];
        for route in ROUTES.iter().filter(|r| r.method == "POST" && !no_fields.contains(&r.pattern)) {
            let path = w.path(route.example);
            for content_type in ["text/plain", "application/json"] {
                let res = w.admin.client.post(format!("{}{path}", w.admin.address))
                    .header("content-type", content_type).body(format!("csrf_token={t}&email=a@example.org")).send().await.unwrap();
                assert_eq!(res.status(), 400, "POST {path} as {content_type}");
                assert!(res.text().await.unwrap().contains("The request could not be understood"));
            }
        }
        for (path, fields) in [
            ("/login", vec![("email", "a@example.org"), ("email", "b@example.org")]),
            ("/password/forgot", vec![("email", "a@example.org"), ("email", "b@example.org")]),
            ("/admin/users/{user}/role", vec![]),
            ("/admin/users/{user}/role", vec![("role", "emperor")]),
        ] {
            let path = w.path(path);
            let mut all = vec![("csrf_token", t.as_str())];
            all.extend(fields.iter().copied());
            let res = w.admin.post_form(&path, &all).await;
            assert_eq!(res.status(), 400, "POST {path} {fields:?}");
            assert!(res.text().await.unwrap().contains("The request could not be understood"));
        }
        // Paths that climb out of the assets, encoded or not, find nothing.
        for path in ["/assets/..%2f..%2fCargo.toml", "/assets/%2e%2e%2fsecret.key", "/assets/..%5c..%5cCargo.toml",
                     "/assets/app.css%00.png", "/../Cargo.toml", "/%2e%2e/%2e%2e/etc/passwd"] {
            let (status, body) = w.anonymous.get_text(path).await;
            assert!(status == 404 || status == 400, "{path}: {status}");
            assert!(!body.contains("[package]") && !body.contains("root:"), "{path}");
        }
        // The submission form names provisions and codes: anything else is 422.
        let o = token(&w.owner).await;
        for bad in [("stance[art-99]", "support"), ("stance[art-1]", "maybe"), ("stance[]", "support"),
                    ("comment[art-1", "x"), ("disclosure", "public"), ("action", "delete"), ("", "")] {
            let res = w.owner.post_form(POST, &[("csrf_token", o.as_str()), bad]).await;
            assert_eq!(res.status(), 422, "{bad:?}");
            assert!(res.text().await.unwrap().contains("The form could not be processed"), "{bad:?}");
        }
        assert_eq!(state(&app).await, before, "nothing was stored");
    }

    async fn oversized_bodies_get_413_whether_or_not_they_declare_their_length(app) {
        let w = world(&app).await;
        let limit = app.settings.server.max_body_bytes;
        let host = w.admin.address.trim_start_matches("http://").to_string();
        for route in ROUTES.iter().filter(|r| r.method == "POST") {
            let path = w.path(route.example);
            // Declared: refused from the headers alone, before any of the body is read.
            let head = format!("POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
                                Content-Length: {}\r\nConnection: close\r\n\r\n", limit + 1);
            assert_eq!(raw_request(&w.admin.address, head, vec![]).await.0, 413, "POST {path} declaring {} bytes", limit + 1);
            // Undeclared: counted as it arrives.
            let head = format!("POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
                                Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
            let chunks = vec![vec![b'a'; 64 * 1024]; limit / (64 * 1024) + 2];
            assert_eq!(raw_request(&w.admin.address, head, chunks).await.0, 413, "POST {path} chunked");
        }
        let res = w.owner.submit(ROUND, POST, &[("action", "save"), ("comment[art-1]", &"x".repeat(limit))]).await;
        assert_eq!(res.status(), 413);
        let page = res.text().await.unwrap();
        assert!(page.contains("What you sent is too large"), "{page}");

        // A chunked upload of many parts, each under the limit, is refused as a whole.
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let admin = browser_with_jar(&w.admin.address, jar.clone());
        let (email, password) = app.first_admin.clone().unwrap();
        assert_eq!(admin.login(&email, &password).await.status(), 303);
        let t = token(&admin).await;
        let cookie = session_cookie(&jar, &admin.address);
        let boundary = "attackboundary";
        let part = |name: &str, len: usize| format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{}\r\n", "x".repeat(len)).into_bytes();
        let mut chunks: Vec<Vec<u8>> = (0..4).map(|i| part(&format!("junk{i}"), limit / 3)).collect();
        chunks.push(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"markdown\"\r\n\r\n## Article 1\nText\r\n--{boundary}--\r\n").into_bytes());
        let head = format!("POST /admin/consultations/additional-protocol/drafts?csrf_token={t} HTTP/1.1\r\nHost: {host}\r\n\
                            Cookie: {cookie}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n\
                            Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        assert_eq!(raw_request(&admin.address, head, chunks).await.0, 413);
    }

    async fn a_sign_in_never_follows_next_off_the_site(app) {
        app.participant("nav@example.org", "academia", "FR", false).await;
        for next in ["//evil.example", "https://evil.example/", "http:evil.example", "/\\evil.example", "\\\\evil.example",
                     "///evil.example", "/\t/evil.example", " //evil.example", "javascript:alert(1)", "evil.example",
                     "data:text/html,<script>alert(1)</script>", "/\r\nSet-Cookie: x=y"] {
            let b = app.new_browser();
            let (status, form) = b.get_text(&format!("/login?next={}", form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>())).await;
            assert_eq!(status, 200, "{next:?}");
            assert!(form.contains("name=\"next\" value=\"/\""), "{next:?} kept in the form");
            let res = b.submit("/login", "/login", &[("email", "nav@example.org"), ("password", PASSWORD), ("next", next)]).await;
            assert_eq!(res.status(), 303, "{next:?}");
            let to = location(&res);
            assert!(to.starts_with('/') && !to.starts_with("//") && !to.contains('\\') && !to.contains("evil.example"),
                    "{next:?} led to {to}");
            assert!(res.headers().get_all("set-cookie").iter().all(|c| !c.to_str().unwrap().starts_with("x=")), "{next:?} set a cookie");
        }
        let b = app.new_browser();
        let res = b.submit("/login", "/login", &[("email", "nav@example.org"), ("password", PASSWORD), ("next", "/account?tab=1")]).await;
        assert_eq!(location(&res), "/account?tab=1", "a local path is followed");
        // A page reached at //evil.example links back to this site, not off it.
        for path in ["//evil.example", "/\\evil.example"] {
            let (status, page) = app.get_text(path).await;
            assert_eq!(status, 404);
            assert!(!page.contains("href=\"//evil") && !page.contains("href=\"/\\evil"), "{path}: {page}");
        }
    }

    async fn a_session_planted_before_sign_in_is_not_signed_in_and_a_signed_out_one_stays_out(app) {
        app.participant("fix@example.org", "academia", "FR", false).await;
        // The attacker gets a session (with a CSRF token) and plants its cookie in the victim's browser.
        let attacker_jar = Arc::new(reqwest::cookie::Jar::default());
        let attacker = browser_with_jar(&app.address, attacker_jar.clone());
        let planted_token = token(&attacker).await;
        let planted = session_cookie(&attacker_jar, &app.address);
        let victim_jar = Arc::new(reqwest::cookie::Jar::default());
        victim_jar.add_cookie_str(&format!("{planted}; Path=/"), &app.address.parse().unwrap());
        let victim = browser_with_jar(&app.address, victim_jar.clone());
        assert_eq!(victim.login("fix@example.org", PASSWORD).await.status(), 303);
        assert_ne!(session_cookie(&victim_jar, &app.address), planted, "a new session at sign-in");
        assert_eq!(victim.get("/account").await.status(), 200);
        // The attacker's copy is still a signed-out session, and its token no longer works for the victim.
        assert_eq!(attacker.get("/account").await.status(), 303);
        let res = victim.post_form("/account/password", &[("csrf_token", &planted_token),
            ("current_password", PASSWORD), ("new_password", "the attacker's passphrase")]).await;
        assert_eq!(res.status(), 403, "the CSRF token changes at sign-in");

        // Signed out, the cookie is dead even if it was copied: neither reading nor acting works.
        let victim_token = token(&victim).await;
        let signed_in = session_cookie(&victim_jar, &app.address);
        let res = victim.post_form("/logout", &[("csrf_token", &victim_token)]).await;
        assert_eq!(res.status(), 303);
        let replay_jar = Arc::new(reqwest::cookie::Jar::default());
        replay_jar.add_cookie_str(&format!("{signed_in}; Path=/"), &app.address.parse().unwrap());
        let replay = browser_with_jar(&app.address, replay_jar);
        let res = replay.get("/account").await;
        assert_eq!(res.status(), 303);
        assert!(location(&res).starts_with("/login"));
        let res = replay.post_form("/account/password", &[("csrf_token", &victim_token),
            ("current_password", PASSWORD), ("new_password", "the attacker's passphrase")]).await;
        assert_eq!(res.status(), 303, "refused: sent to sign in");
        assert!(location(&res).starts_with("/login"));
        let res = replay.post_form("/account/delete", &[("csrf_token", &victim_token), ("password", PASSWORD)]).await;
        assert_eq!(res.status(), 303);
        assert_eq!(app.login("fix@example.org", PASSWORD).await.status(), 303, "the password and the account are unchanged");
        // A session not signed out ends by itself after 30 days.
        assert_eq!(app.get("/account").await.status(), 200);
        app.clock.advance(time::Duration::days(30) + time::Duration::minutes(1));
        assert_eq!(app.get("/account").await.status(), 303, "an expired session no longer signs in");
    }

    async fn sign_in_registration_and_reset_answer_alike_for_known_and_unknown_addresses(app) {
        app.participant("known@example.org", "academia", "FR", false).await;
        let b = app.new_browser();
        let same = |page: String, email: &str| page.replace(email, "EMAIL");
        let mut answers = vec![];
        for email in ["known@example.org", "unknown@example.org"] {
            // Registration last: it makes the unknown address known.
            let login = b.submit("/login", "/login", &[("email", email), ("password", "a wrong password"), ("next", "/")]).await;
            let reset = b.submit("/password/forgot", "/password/forgot", &[("email", email)]).await;
            let register = b.submit("/register", "/register", &[("email", email), ("password", "another long passphrase"),
                ("display_name", "Someone"), ("organization", ""), ("stakeholder_group", "academia"), ("country", "FR"), ("locale", "en")]).await;
            let mut statuses = vec![];
            let mut bodies = vec![];
            for res in [login, reset, register] {
                statuses.push(res.status().as_u16());
                bodies.push(same(res.text().await.unwrap(), email));
            }
            answers.push((statuses, bodies));
        }
        assert_eq!(answers[0].0, [401, 200, 200]);
        assert_eq!(answers[0].0, answers[1].0, "the same statuses");
        for (i, what) in ["sign-in", "reset", "registration"].iter().enumerate() {
            assert_eq!(answers[0].1[i], answers[1].1[i], "{what}: the same page for a known and an unknown address");
        }
        // The difference is only in the mailbox of the address's owner.
        app.wait_for_mail("known@example.org", "Someone tried to create a Polyphony account").await;
        app.wait_for_mail("unknown@example.org", "/verify/").await;
    }

    async fn every_response_carries_the_security_headers(app) {
        let w = world(&app).await;
        for route in ROUTES {
            let path = w.path(route.example);
            for who in ["anonymous", "owner", "admin"] {
                let b = w.browser(who);
                let res = if route.method == "GET" {
                    b.get(&path).await
                } else {
                    b.post_form(&path, &[]).await
                };
                assert_security_headers(&res, &format!("{who}: {} {path} ({})", route.method, res.status()));
            }
        }
        // Redirects, 400, 404, 405-like and 413 answers too, and compressed ones.
        let t = token(&w.owner).await;
        let redirect = w.owner.post_form(POST, &[("csrf_token", &t), ("action", "save")]).await;
        assert_eq!(redirect.status(), 303);
        assert_security_headers(&redirect, "303");
        for (what, res) in [
            ("404", w.anonymous.get("/nope").await),
            ("400", w.anonymous.get("/audit?page=x").await),
            ("PUT", w.anonymous.client.put(format!("{}/", w.anonymous.address)).send().await.unwrap()),
            ("gzip", w.anonymous.client.get(format!("{}/", w.anonymous.address)).header("accept-encoding", "gzip").send().await.unwrap()),
        ] {
            assert_security_headers(&res, what);
        }
        let host = w.anonymous.address.trim_start_matches("http://").to_string();
        let (status, head) = raw_request(&w.anonymous.address, format!("POST /login HTTP/1.1\r\nHost: {host}\r\n\
            Content-Length: {}\r\nConnection: close\r\n\r\n", app.settings.server.max_body_bytes + 1), vec![]).await;
        assert_eq!(status, 413);
        for header in ["content-security-policy: default-src 'none'", "x-content-type-options: nosniff",
                       "referrer-policy: same-origin", "x-frame-options: deny"] {
            assert!(head.contains(header), "413 without {header}: {head}");
        }
    }
}

both_backends! {
    async fn every_get_route_answers_head_like_get_without_a_body(app) {
        let w = world(&app).await;
        for route in ROUTES.iter().filter(|r| r.method == "GET") {
            let path = w.path(route.example);
            for who in ["anonymous", "owner", "admin"] {
                let b = w.browser(who);
                let get = b.get(&path).await;
                let head = b.client.head(format!("{}{path}", b.address)).send().await.unwrap();
                let what = format!("{who}: HEAD {path}");
                assert_eq!(head.status(), get.status(), "{what}");
                assert_eq!(
                    head.headers().get("content-type"),
                    get.headers().get("content-type"),
                    "{what}"
                );
                assert_security_headers(&head, &what);
                assert!(head.bytes().await.unwrap().is_empty(), "{what} has a body");
            }
        }
        assert_eq!(w.anonymous.client.head(format!("{}/nope", w.anonymous.address)).send().await.unwrap().status(), 404);
    }

    async fn strict_transport_security_is_sent_only_when_the_site_is_served_over_https(app) {
        let res = app.get("/").await;
        assert!(res.headers().get("strict-transport-security").is_none(), "HSTS over plain HTTP");
        let database = TestDatabase::create(app.backend).expect("a second test database");
        let mut settings = test_settings(&database);
        settings.app.base_url = "https://consult.example.org".into();
        let https = spawn_with(database, settings, app.backend).await;
        for path in ["/", "/login", "/nope"] {
            let res = https.get(path).await;
            assert_eq!(
                res.headers().get("strict-transport-security").and_then(|v| v.to_str().ok()),
                Some("max-age=31536000"),
                "{path}"
            );
        }
    }
}

/// A form's fields that make `route` do what it is for, as its page would send
/// them; the one-time token is added by the caller.
fn effective_fields(pattern: &str) -> Vec<(&'static str, &'static str)> {
    match pattern {
        "/consultations/{slug}/rounds/{n}/submission" => vec![
            ("action", "submit"),
            ("stance[art-1]", "support"),
            ("disclosure", "anonymous"),
        ],
        "/admin/consultations/{slug}/rounds/{n}/responses/{key}" => {
            vec![("response", "We heard you.")]
        }
        "/admin/moderation/{id}/hide" => vec![("reason", "off topic")],
        "/register" => vec![
            ("email", "twice@example.org"),
            ("password", "a long enough passphrase 42"),
            ("display_name", "Twice"),
            ("organization", "Org"),
            ("stakeholder_group", "academia"),
            ("country", "FR"),
            ("locale", "en"),
        ],
        "/password/forgot" => vec![("email", "owner@example.org")],
        "/password/reset/{token}" => vec![("password", "a long enough passphrase 42")],
        "/account" => vec![
            ("display_name", "Owner renamed"),
            ("organization", "Org"),
            ("stakeholder_group", "academia"),
            ("country", "FR"),
            ("locale", "en"),
        ],
        "/account/password" => vec![
            ("current_password", PASSWORD),
            ("new_password", "another long passphrase 43"),
        ],
        "/account/delete" => vec![("password", "another long passphrase 43")],
        "/admin/consultations" => vec![
            ("slug", "sent-twice"),
            ("title", "Sent twice"),
            ("summary", "Once."),
            ("eligible_groups", "academia"),
        ],
        "/admin/consultations/{slug}" => vec![
            ("title", "Renamed once"),
            ("summary", "Once."),
            ("eligible_groups", "academia"),
        ],
        "/admin/consultations/{slug}/rounds" => vec![
            ("draft_version", "1"),
            ("opens_at", "2030-01-01T00:00:00Z"),
            ("closes_at", "2030-02-01T00:00:00Z"),
            ("attribution", "open"),
        ],
        "/admin/consultations/{slug}/rounds/{n}/{action}" => vec![],
        "/admin/users/{id}/role" => vec![("role", "organizer")],
        // A rule that matches nobody: its own audit entry is its one effect.
        "/admin/participants/rules" => vec![
            ("domain", "example.net"),
            ("stakeholder_group", "academia"),
            ("country", "FR"),
            ("action", "confirm"),
        ],
        "/admin/consultations/{slug}/rounds/{n}/texts/{kind}/{id}/disposition" => {
            vec![("disposition", "accepted"), ("reason", "Once.")]
        }
        _ => vec![],
    }
}

both_backends! {
    async fn every_form_sent_twice_has_its_effect_once_and_both_get_the_same_answer(app) {
        let w = world(&app).await;
        // Signing out and deleting the account end the session the others need.
        let mut posts: Vec<&Route> = ROUTES.iter().filter(|r| r.method == "POST" && r.pattern != "/login").collect();
        posts.sort_by_key(|r| ["/logout", "/account/delete"].contains(&r.pattern));
        let mut moved = std::collections::BTreeMap::new();
        for route in posts {
            let path = w.path(route.example);
            let b = w.browser(match route.access { Admin | Organizer | Analysis => "admin", _ if route.pattern == "/register" => "anonymous", _ => "owner" });
            let csrf = token(b).await;
            let form_token = polyphony::accounts::tokens::generate();
            let send = || async {
                let res = if route.pattern.ends_with("/drafts") || route.pattern.ends_with("/translation") {
                    let upload = reqwest::multipart::Form::new()
                        .text("markdown", "# Draft\n\n## Article 1 — Scope\nOnce.\n\n## Article 2 — Rest\nTwice?\n")
                        .text("action", if route.pattern.ends_with("/drafts") { "save" } else { "preview" });
                    b.client.post(format!("{}{path}?csrf_token={csrf}&form_token={form_token}", b.address))
                        .multipart(upload).send().await.unwrap()
                } else {
                    let mut fields = effective_fields(route.pattern);
                    fields.push(("csrf_token", &csrf));
                    fields.push(("form_token", &form_token));
                    b.post_form(&path, &fields).await
                };
                (res.status().as_u16(), location(&res), res.text().await.unwrap())
            };
            let before = state(&app).await;
            let (first, second) = tokio::join!(send(), send());
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            let later = send().await;
            let what = format!("POST {path}");
            assert!(first.0 < 500, "{what}: {}", first.0);
            if first.0 < 400 {
                assert_eq!((second.0, &second.1), (first.0, &first.1), "{what}: a double click gets the first answer");
                assert_eq!(second.2, first.2, "{what}: a double click gets the first page");
                if ["/logout", "/account/delete"].contains(&route.pattern) && later.0 == 403 {
                    // The session it ended cannot send it again.
                } else {
                    assert_eq!(later, first, "{what}: a repeat gets the first answer");
                }
            } else {
                // A refusal changes nothing, so a repeat is refused alike.
                assert_eq!((second.0, later.0), (first.0, first.0), "{what}");
            }
            let after = state(&app).await;
            for (i, (a, b)) in before.iter().zip(&after).enumerate() {
                assert!((a - b).abs() <= 1, "{what}: count {i} moved from {a} to {b}");
            }
            moved.insert(route.pattern, before.iter().zip(&after).filter(|(a, b)| a != b).count());
        }
        for acting in ["/consultations/{slug}/rounds/{n}/submission", "/admin/consultations", "/admin/consultations/{slug}/rounds",
                       "/admin/consultations/{slug}/drafts", "/register", "/admin/consultations/{slug}/rounds/{n}/{action}"] {
            assert!(moved[acting] > 0, "{acting} did something (once)");
        }
        // Signing in twice opens two sessions, both good: nothing to count once.
        let (_, login) = w.anonymous.get_text("/login").await;
        assert!(!login.contains("form_token"));
    }
}

both_backends! {
    async fn registering_one_address_many_times_at_once_answers_alike_and_makes_one_account(app) {
        let b = app.new_browser();
        let (_, page) = b.get_text("/register").await;
        let t = csrf_in(&page);
        let fields = [("csrf_token", t.as_str()), ("email", "race@example.org"), ("password", PASSWORD),
            ("display_name", "Racer"), ("organization", ""), ("stakeholder_group", "academia"),
            ("country", "FR"), ("locale", "en")];
        let all = futures_util::future::join_all((0..app.settings.limits.mail_per_address).map(|_| b.post_form("/register", &fields))).await;
        for res in &all {
            assert_eq!(res.status(), 200, "every attempt gets the same answer, never an error");
        }
        let accounts: i64 = app.db.query(|c| users::table.filter(users::email.eq("race@example.org")).count().get_result(c)).await.unwrap();
        assert_eq!(accounts, 1);
    }
}

both_backends! {
    async fn an_organizer_clicking_twice_never_gets_an_error(app) {
        let admin = app.admin().await;
        let t = token(&admin).await;
        let at_once = |path: &'static str, fields: Vec<(&'static str, String)>| {
            let admin = &admin;
            let t = t.clone();
            async move {
                let mut all: Vec<(&str, &str)> = vec![("csrf_token", t.as_str())];
                all.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
                let responses = futures_util::future::join_all((0..6).map(|_| admin.post_form(path, &all))).await;
                responses.iter().map(|r| r.status().as_u16()).collect::<Vec<u16>>()
            }
        };
        let now = app.clock.now();
        let when = |t: time::PrimitiveDateTime| format!("{:04}-{:02}-{:02}T{:02}:{:02}", t.year(), u8::from(t.month()), t.day(), t.hour(), t.minute());
        let cases: Vec<(&'static str, Vec<(&'static str, String)>)> = vec![
            ("/admin/consultations", vec![("slug", "twice".into()), ("title", "Twice".into()), ("summary", "S".into()),
                ("eligible_groups", "academia".into())]),
            ("/admin/consultations/twice/drafts", vec![("markdown", "## Article 1\nText.\n".into()), ("level", "2".into()), ("action", "save".into())]),
            ("/admin/consultations/twice/rounds", vec![("draft_version", "1".into()), ("opens_at", when(now)),
                ("closes_at", when(now + time::Duration::days(3))), ("attribution", "open".into())]),
            ("/admin/consultations/twice/rounds/1/close", vec![]),
            ("/admin/consultations/twice/rounds/1/responses/art-1", vec![("response", "Heard.".into())]),
            ("/admin/consultations/twice/rounds/1/publish", vec![("note", "".into())]),
        ];
        for (path, fields) in cases {
            let statuses = at_once(path, fields).await;
            // The first wins; the others see the result (303), a form error
            // (422: the address is taken) or a translated 409, never a 500.
            assert!(statuses.iter().all(|s| [303, 409, 422].contains(s)), "POST {path} six times at once: {statuses:?}");
            assert!(statuses.contains(&303), "POST {path}: one of them succeeds: {statuses:?}");
        }
        let (status, _) = app.get_text("/consultations/twice/rounds/1/report").await;
        assert_eq!(status, 200);
    }
}

both_backends! {
    async fn no_one_can_flood_a_mailbox_through_the_forms_that_send_mail(app) {
        // Someone registers with another person's address, then asks for mail to it again and again.
        app.register("victim@example.org", "Not the victim", "academia").await;
        let b = app.new_browser();
        assert_eq!(b.login("victim@example.org", PASSWORD).await.status(), 303);
        let t = token(&b).await;
        for _ in 0..2 {
            assert_eq!(b.post_form("/verify/resend", &[("csrf_token", &t)]).await.status(), 303);
        }
        let other = app.new_browser();
        let res = other.submit("/password/forgot", "/password/forgot", &[("email", "Victim@Example.org")]).await;
        assert_eq!(res.status(), 200);
        let again = [("email", "victim@example.org"), ("password", "another long passphrase"), ("display_name", "X"),
            ("stakeholder_group", "academia"), ("country", "FR"), ("locale", "en")];
        assert_eq!(other.submit("/register", "/register", &again).await.status(), 200);
        // Five requests for this address in the hour: the sixth of any kind is refused.
        for res in [b.post_form("/verify/resend", &[("csrf_token", &t)]).await,
                    other.submit("/password/forgot", "/password/forgot", &[("email", "victim@example.org")]).await,
                    other.submit("/register", "/register", &again).await] {
            assert_eq!(res.status(), 429);
            assert!(res.headers().contains_key("retry-after"));
            assert!(res.text().await.unwrap().contains("Too many attempts"));
        }
        let sent: i64 = app.db.query(|c| outbox::table.filter(outbox::recipient.eq("victim@example.org"))
            .count().get_result(c)).await.unwrap();
        assert_eq!(sent, 5, "five e-mails, no more");
        // An unknown address is limited alike, so the limit reveals nothing.
        for _ in 0..5 {
            assert_eq!(other.submit("/password/forgot", "/password/forgot", &[("email", "nobody@example.org")]).await.status(), 200);
        }
        assert_eq!(other.submit("/password/forgot", "/password/forgot", &[("email", "nobody@example.org")]).await.status(), 429);
        // Other addresses are not affected, and the hour passes.
        assert_eq!(other.submit("/password/forgot", "/password/forgot", &[("email", "someone@example.org")]).await.status(), 200);
        app.clock.advance(time::Duration::hours(1) + time::Duration::seconds(1));
        assert_eq!(b.post_form("/verify/resend", &[("csrf_token", &t)]).await.status(), 303);
    }
}

both_backends! {
    async fn markup_in_the_address_is_never_reflected_as_markup(app) {
        let w = world(&app).await;
        let payload = "\"><script>alert(1)</script><svg onload=alert(2)><a href=javascript:alert(3)>";
        let encoded: String = form_urlencoded::byte_serialize(payload.as_bytes()).collect();
        for route in ROUTES.iter().filter(|r| r.method == "GET") {
            let path = w.path(route.example);
            for who in ["anonymous", "admin"] {
                let address = format!("{path}?next={encoded}&receipt={encoded}&view={encoded}&x{encoded}={encoded}");
                let res = w.browser(who).get(&address).await;
                let html = res.headers().get("content-type").is_some_and(|t| t.to_str().unwrap().starts_with("text/html"));
                let body = res.text().await.unwrap();
                if html {
                    assert_inert(&body, &format!("{who}: {address}"));
                }
            }
        }
        for path in [format!("/receipts/{encoded}"), format!("/verify/{encoded}"), format!("/password/reset/{encoded}"),
                     format!("/consultations/{encoded}"), format!("/{encoded}"), format!("/login?next={encoded}")] {
            let (status, body) = w.anonymous.get_text(&path).await;
            assert!(status == 404 || status == 200, "{path}: {status}");
            assert_inert(&body, &path);
        }
    }
}
