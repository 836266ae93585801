//! Position papers: PDF, Word and OpenDocument files attached to a
//! submission, checked by content, stored in the database or a directory,
//! searched, and served as inert downloads to whoever may read them.

use crate::attachment_fixtures as files;
use crate::helpers::*;
use crate::reports::close_and_publish;
use diesel::prelude::*;
use polyphony::config::AttachmentStorage;
use polyphony::db::schema::{attachment_chunks, attachments, submission_revisions};
use sha2::Digest;

const ROUND: &str = "/consultations/additional-protocol/rounds/1";
const POST: &str = "/consultations/additional-protocol/rounds/1/submission";
const PAPERS: &str = "/consultations/additional-protocol/rounds/1/submission/attachments";
const ANALYSIS: &str = "/organize/additional-protocol/rounds/1";

/// A participant with a saved draft to attach files to.
async fn drafter(app: &TestApp, email: &str, disclosure: &str) -> Browser {
    let b = app.participant(email, "government", "CA", true).await;
    let res = b
        .submit(
            ROUND,
            POST,
            &[
                ("action", "save"),
                ("stance[art-1]", "support"),
                ("general_comment", "See our paper."),
                ("disclosure", disclosure),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    b
}

async fn submit(b: &Browser, disclosure: &str) {
    let res = b
        .submit(
            ROUND,
            POST,
            &[
                ("action", "submit"),
                ("stance[art-1]", "support"),
                ("general_comment", "See our paper."),
                ("disclosure", disclosure),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
}

async fn upload(b: &Browser, name: &str, bytes: Vec<u8>) -> (u16, String) {
    let (_, page) = b.get_text(ROUND).await;
    let token = csrf_in(&page);
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
    );
    let res = b
        .client
        .post(format!("{}{PAPERS}?csrf_token={token}", b.address))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

/// (id, public id, file name, sha256, extracted text) of every stored paper.
type Stored = (i64, String, String, String, String);

async fn stored(app: &TestApp) -> Vec<Stored> {
    app.db
        .query(|c| {
            attachments::table
                .order(attachments::id)
                .select((
                    attachments::id,
                    attachments::public_id,
                    attachments::file_name,
                    attachments::sha256,
                    attachments::extracted_text,
                ))
                .load(c)
        })
        .await
        .unwrap()
}

async fn chunk_rows(app: &TestApp) -> i64 {
    app.db
        .query(|c| attachment_chunks::table.count().get_result(c))
        .await
        .unwrap()
}

/// Downloads `path`; asserts the headers that keep a file from being run as
/// a page of the site, and returns the bytes.
async fn download(b: &Browser, path: &str, content_type: &str) -> Vec<u8> {
    let res = b.get(path).await;
    assert_eq!(res.status(), 200, "{path}");
    let h = res.headers();
    assert_eq!(h["content-type"], content_type, "{path}");
    assert!(
        h["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\""),
        "{path}: {:?}",
        h["content-disposition"]
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["content-security-policy"], "default-src 'none'; sandbox");
    res.bytes().await.unwrap().to_vec()
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(bytes))
}

both_backends! {
    async fn papers_of_each_kind_are_attached_searched_and_downloaded_as_inert_files(app) {
        let b = drafter(&app, "ministry@example.org", "attributed").await;
        let pdf = files::pdf("Interoperability mandates for platforms");
        let docx = files::docx("Discoverability quotas\nfor local music");
        let odt = files::odt("Financement du journalisme local");
        for (name, bytes) in [("Position.pdf", &pdf), ("Annex.docx", &docx), ("Note", &odt)] {
            let (status, page) = upload(&b, name, bytes.clone()).await;
            assert_eq!(status, 303, "{name}: {page}");
        }
        let (status, page) = b.get_text(PAPERS).await;
        assert_eq!(status, 200);
        for name in ["Position.pdf", "Annex.docx", "Note.odt"] {
            assert!(page.contains(name), "{name} listed: {page}");
        }
        assert!(!page.contains("id=\"file\""), "no room left for a fourth file");

        // A fourth is refused, and the three stay.
        let (status, page) = upload(&b, "More.pdf", pdf.clone()).await;
        assert_eq!(status, 409);
        assert!(page.contains("already carries 3 files"), "{page}");
        let papers = stored(&app).await;
        assert_eq!(papers.len(), 3);

        // Stored with their fingerprints and text, in rows of at most 256 KB.
        for ((_, _, name, digest, text), (bytes, words)) in papers.iter().zip([
            (&pdf, "Interoperability mandates for platforms"),
            (&docx, "Discoverability quotas\nfor local music"),
            (&odt, "Financement du journalisme local"),
        ]) {
            assert_eq!(digest, &sha256(bytes), "{name}");
            assert!(text.contains(words), "{name}: {text:?}");
        }
        assert_eq!(chunk_rows(&app).await, 3);

        // Downloaded by their author as they were sent, and by the organizers.
        let admin = app.admin().await;
        for ((id, ..), (bytes, kind)) in papers.iter().zip([
            (&pdf, "application/pdf"),
            (&docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            (&odt, "application/vnd.oasis.opendocument.text"),
        ]) {
            assert_eq!(&download(&b, &format!("{PAPERS}/{id}"), kind).await, bytes);
            assert_eq!(&download(&admin, &format!("{ANALYSIS}/attachments/{id}"), kind).await, bytes);
        }

        // Once submitted, their words find the submission in the analysis search.
        submit(&b, "attributed").await;
        for query in ["interoperability", "discoverability", "journalisme"] {
            let (status, page) = admin.get_text(&format!("{ANALYSIS}/analysis?q={query}")).await;
            assert_eq!(status, 200);
            assert!(page.contains("See our paper."), "{query} finds the submission");
        }
        // The general comment's page in the workspace links to its papers.
        let submission = app.db.query(|c| attachments::table.select(attachments::submission_id).first::<i64>(c)).await.unwrap();
        let (status, page) = admin.get_text(&format!("{ANALYSIS}/analysis/texts/general/{submission}")).await;
        assert_eq!(status, 200);
        for (id, _, name, ..) in &papers {
            assert!(page.contains(&format!("{ANALYSIS}/attachments/{id}\" download>{name}")), "{page}");
        }

        // Removing one while the round is open frees its place and its rows.
        let (first, ..) = &papers[0];
        let res = b.submit(PAPERS, &format!("{PAPERS}/{first}/remove"), &[]).await;
        assert_eq!(res.status(), 303);
        assert_eq!(stored(&app).await.len(), 2);
        assert_eq!(chunk_rows(&app).await, 2);
        let (status, page) = admin.get_text(&format!("{ANALYSIS}/analysis?q=interoperability")).await;
        assert_eq!(status, 200);
        assert!(!page.contains("See our paper."), "the removed paper's words are no longer searched");
        assert_eq!(b.get(&format!("{PAPERS}/{first}")).await.status(), 404);
    }

    async fn disguised_oversized_encrypted_and_bomb_files_are_refused_and_nothing_is_lost(app) {
        let b = drafter(&app, "ngo@example.org", "organization").await;
        assert_eq!(upload(&b, "Kept.odt", files::odt("Kept")).await.0, 303);
        let mut oversized = b"%PDF-1.4\n".to_vec();
        oversized.resize(10 * 1024 * 1024 + 1, b' ');
        for (name, bytes, status, message) in [
            ("invoice.pdf", files::HTML.to_vec(), 422, "whatever its name says"),
            ("paper.pdf", files::docx("Word inside"), 422, "does not match what it contains"),
            ("locked.pdf", files::encrypted_pdf(), 422, "protected by a password or encrypted"),
            ("bomb.docx", files::zip_bomb(), 422, "far more than its size"),
            ("empty.pdf", vec![], 422, "Choose a file to attach"),
            ("huge.pdf", oversized, 413, "larger than 10.0 MB"),
        ] {
            let (got, page) = upload(&b, name, bytes).await;
            assert_eq!(got, status, "{name}: {page}");
            assert!(page.contains(message), "{name}: {page}");
            assert!(page.contains("id=\"file-error\""), "{name}: the error is next to the field");
            assert!(page.contains("Kept.odt"), "{name}: the file already attached is still listed");
        }
        let papers = stored(&app).await;
        assert_eq!(papers.len(), 1);
        assert_eq!(chunk_rows(&app).await, 1);
        let (_, page) = b.get_text(ROUND).await;
        assert!(page.contains("See our paper."), "the saved answers are untouched");

    }

    async fn papers_are_private_until_published_and_then_only_where_the_disclosure_allows(app) {
        let open = drafter(&app, "open@example.org", "attributed").await;
        let secret = drafter(&app, "secret@example.org", "confidential").await;
        let other = drafter(&app, "other@example.org", "anonymous").await;
        assert_eq!(upload(&open, "Open.pdf", files::pdf("Open words")).await.0, 303);
        assert_eq!(upload(&secret, "Secret.pdf", files::pdf("Secret words")).await.0, 303);
        let papers = stored(&app).await;
        let ((open_id, open_public, ..), (secret_id, secret_public, ..)) = (&papers[0], &papers[1]);

        // Another participant, a visitor and another consultation find nothing.
        for path in [format!("{PAPERS}/{open_id}"), format!("{ANALYSIS}/attachments/{open_id}")] {
            assert_eq!(other.get(&path).await.status(), 404, "{path}");
        }
        let visitor = app.new_browser();
        assert_eq!(visitor.get(&format!("{PAPERS}/{open_id}")).await.status(), 303);
        assert_eq!(visitor.get(&format!("{ANALYSIS}/attachments/{open_id}")).await.status(), 303);
        let admin = app.admin().await;
        new_consultation(&admin, "elsewhere").await;
        assert_eq!(admin.get(&format!("/organize/elsewhere/rounds/1/attachments/{open_id}")).await.status(), 404);
        assert_eq!(admin.get(&format!("{ANALYSIS}/attachments/{secret_id}")).await.status(), 200,
            "organizers read confidential papers too");
        // Nothing is public before the report.
        assert_eq!(visitor.get(&format!("{ROUND}/report/attachments")).await.status(), 404);
        assert_eq!(visitor.get(&format!("{ROUND}/report/attachments/{open_public}")).await.status(), 404);

        for (b, disclosure) in [(&open, "attributed"), (&secret, "confidential")] {
            submit(b, disclosure).await;
        }
        close_and_publish(&app).await;

        let (status, page) = visitor.get_text(&format!("{ROUND}/report/attachments")).await;
        assert_eq!(status, 200);
        assert!(page.contains("Open.pdf") && page.contains("Name of open@example.org"), "{page}");
        assert!(!page.contains("Secret.pdf") && !page.contains(secret_public.as_str()), "{page}");
        let bytes = download(&visitor, &format!("{ROUND}/report/attachments/{open_public}"), "application/pdf").await;
        assert_eq!(bytes, files::pdf("Open words"));
        assert_eq!(visitor.get(&format!("{ROUND}/report/attachments/{secret_public}")).await.status(), 404);
        let (_, report) = visitor.get_text(&format!("{ROUND}/report")).await;
        assert!(report.contains(&format!("{ROUND}/report/attachments\"")), "the report links to its papers");

        // The round is closed: papers can no longer change.
        let res = open.submit(PAPERS, &format!("{PAPERS}/{open_id}/remove"), &[]).await;
        assert_eq!(res.status(), 409);
        assert_eq!(stored(&app).await.len(), 2);
    }
}

both_backends! {
    async fn published_papers_are_listed_in_report_json_and_csv_where_the_disclosure_allows(app) {
        let open = drafter(&app, "open@example.org", "attributed").await;
        let secret = drafter(&app, "secret@example.org", "confidential").await;
        let paper = files::pdf("Open words");
        assert_eq!(upload(&open, "Open.pdf", paper.clone()).await.0, 303);
        assert_eq!(upload(&secret, "Secret.pdf", files::pdf("Secret words")).await.0, 303);
        for (b, disclosure) in [(&open, "attributed"), (&secret, "confidential")] {
            submit(b, disclosure).await;
        }
        close_and_publish(&app).await;
        let open_public = stored(&app).await[0].1.clone();
        let url = format!("{ROUND}/report/attachments/{open_public}");

        let (status, json) = app.get_text(&format!("{ROUND}/report.json")).await;
        assert_eq!(status, 200);
        let report: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(report["attachments"], serde_json::json!([{
            "file_name": "Open.pdf",
            "media_type": "application/pdf",
            "size_bytes": paper.len(),
            "sha256": sha256(&paper),
            "url": url,
            "name": "Name of open@example.org",
            "organization": "Org",
            "group": "government",
            "country": "CA",
        }]), "the confidential paper is not listed");
        let visitor = app.new_browser();
        let bytes = download(&visitor, &url, "application/pdf").await;
        assert_eq!(sha256(&bytes), sha256(&paper), "the listed fingerprint is the download's");

        let (_, csv_text) = app.get_text(&format!("{ROUND}/report.csv")).await;
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let header = reader.headers().unwrap().clone();
        assert_eq!(header.iter().next_back(), Some("attachments"), "a column added at the end");
        let rows: Vec<(String, String)> = reader.records().map(|r| {
            let r = r.unwrap();
            (r[6].to_string(), r[header.len() - 1].to_string())
        }).collect();
        let (open_rows, secret_rows): (Vec<_>, Vec<_>) = rows.iter().partition(|(name, _)| !name.is_empty());
        assert_eq!(open_rows.len(), secret_rows.len(), "one row per position of each");
        assert!(open_rows.iter().all(|(_, papers)| papers == &url), "{rows:?}");
        assert!(secret_rows.iter().all(|(_, papers)| papers.is_empty()), "the confidential rows name no paper: {rows:?}");
    }

    async fn adding_or_removing_a_paper_after_submitting_is_a_revision_of_its_own(app) {
        let b = drafter(&app, "late@example.org", "attributed").await;
        submit(&b, "attributed").await;
        assert_eq!(upload(&b, "Late.pdf", files::pdf("Late words")).await.0, 303);
        let id = stored(&app).await[0].0;
        let res = b.submit(PAPERS, &format!("{PAPERS}/{id}/remove"), &[]).await;
        assert_eq!(res.status(), 303);

        let revisions: Vec<(i32, String, String)> = app.db.query(|c| submission_revisions::table
            .order(submission_revisions::revision.asc())
            .select((submission_revisions::revision, submission_revisions::action, submission_revisions::content))
            .load(c)).await.unwrap();
        let actions: Vec<(i32, &str)> = revisions.iter().map(|(n, a, _)| (*n, a.as_str())).collect();
        assert_eq!(actions, [(1, "save"), (2, "submit"), (3, "attach"), (4, "detach")]);
        let files = |content: &str| -> serde_json::Value {
            serde_json::from_str::<serde_json::Value>(content).unwrap()["attachments"].clone()
        };
        let attached = files(&revisions[2].2);
        assert_eq!(attached[0]["file_name"], "Late.pdf");
        assert_eq!(attached[0]["sha256"], sha256(&files::pdf("Late words")));
        assert_eq!(files(&revisions[3].2), serde_json::json!([]), "after the removal, none");
        let answers: serde_json::Value = serde_json::from_str(&revisions[2].2).unwrap();
        assert_eq!(answers["status"], "submitted", "the answers are the submitted ones");

        let (_, history) = b.get_text(POST).await;
        assert!(history.contains("File attached") && history.contains("File removed"), "{history}");
        let (_, page) = b.get_text(ROUND).await;
        assert!(!page.contains("saved changes that are not submitted"), "a file change leaves the submission as submitted");
    }

    async fn deleting_an_account_deletes_its_papers(app) {
        let b = drafter(&app, "leaving@example.org", "attributed").await;
        assert_eq!(upload(&b, "Mine.pdf", files::pdf("My words")).await.0, 303);
        submit(&b, "attributed").await;
        let keeper = drafter(&app, "keeper@example.org", "attributed").await;
        assert_eq!(upload(&keeper, "Kept.pdf", files::pdf("Kept words")).await.0, 303);
        let res = b.submit("/account", "/account/delete", &[("password", PASSWORD)]).await;
        assert_eq!(res.status(), 200);
        let left: Vec<String> = stored(&app).await.into_iter().map(|(_, _, name, ..)| name).collect();
        assert_eq!(left, ["Kept.pdf"], "only the other participant's paper stays");
        assert_eq!(chunk_rows(&app).await, 1, "with its rows alone");
        let admin = app.admin().await;
        let (_, page) = admin.get_text(&format!("{ANALYSIS}/analysis?q=words")).await;
        assert!(!page.contains("See our paper."), "the deleted paper's words are no longer searched");
    }
}

async fn papers_can_be_kept_in_a_directory(backend: Backend) {
    let Some(database) = TestDatabase::create(backend) else {
        return;
    };
    let mut settings = test_settings(&database);
    let dir = database.dir().join("papers");
    settings.storage.attachments = AttachmentStorage::Dir;
    settings.storage.attachments_dir = dir.clone();
    let app = spawn_with(database, settings, backend).await;
    let b = drafter(&app, "dir@example.org", "attributed").await;
    let paper = files::docx("Kept in a directory");
    assert_eq!(upload(&b, "Dir.docx", paper.clone()).await.0, 303);
    let papers = stored(&app).await;
    let (id, public_id, _, digest, text) = &papers[0];
    assert_eq!(text, "Kept in a directory");
    assert_eq!(digest, &sha256(&paper));
    assert_eq!(std::fs::read(dir.join(public_id)).unwrap(), paper);
    assert_eq!(
        chunk_rows(&app).await,
        0,
        "nothing of the file is in the database"
    );
    let kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    assert_eq!(download(&b, &format!("{PAPERS}/{id}"), kind).await, paper);
    let res = b
        .submit(PAPERS, &format!("{PAPERS}/{id}/remove"), &[])
        .await;
    assert_eq!(res.status(), 303);
    assert!(!dir.join(public_id).exists(), "the removed file is deleted");
    assert!(stored(&app).await.is_empty());

    // Deleting the account deletes the files it attached.
    assert_eq!(upload(&b, "Again.docx", paper).await.0, 303);
    let again = stored(&app).await[0].1.clone();
    assert!(dir.join(&again).exists());
    let res = b
        .submit("/account", "/account/delete", &[("password", PASSWORD)])
        .await;
    assert_eq!(res.status(), 200);
    assert!(!dir.join(&again).exists(), "the account's file is deleted");
    assert!(stored(&app).await.is_empty());
}

on_both_backends! {
    papers_are_kept_in_a_directory_when_storage_says_dir => papers_can_be_kept_in_a_directory;
}

/// Keeps the cookies a response sets, by name.
fn keep_cookies(res: &reqwest::Response, jar: &mut std::collections::BTreeMap<String, String>) {
    for value in res.headers().get_all("set-cookie") {
        let pair = value.to_str().unwrap().split(';').next().unwrap();
        let (name, value) = pair.split_once('=').unwrap();
        jar.insert(name.to_string(), value.to_string());
    }
}

/// Sends `head` then `body` on `stream` (as far as the server reads it) and
/// returns the response's status, having read its body to the end.
async fn exchange(stream: &mut tokio::net::TcpStream, head: &str, body: &[u8]) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream.write_all(head.as_bytes()).await.unwrap();
    // A server that answers before reading everything may stop reading: what
    // it does with the connection then is what is tested.
    let _ = stream.write_all(body).await;
    let mut received = Vec::new();
    let mut buffer = [0u8; 8192];
    let (status, length, start) = loop {
        let n = stream.read(&mut buffer).await.unwrap();
        assert!(
            n > 0,
            "the connection closed before a response to {}",
            head.lines().next().unwrap_or("")
        );
        received.extend_from_slice(&buffer[..n]);
        if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&received[..end]).to_lowercase();
            let status: u16 = head[9..12].parse().unwrap();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().unwrap());
            break (status, length, end + 4);
        }
    };
    while received.len() < start + length {
        let n = stream.read(&mut buffer).await.unwrap();
        assert!(n > 0, "the connection closed inside a response");
        received.extend_from_slice(&buffer[..n]);
    }
    status
}

both_backends! {
    async fn the_same_paper_sent_by_several_is_one_campaign_of_general_comments(app) {
        let letter = files::pdf("Joint letter of the coalition for cultural diversity: we ask every platform to fund local creators and to show their works.");
        let other = files::pdf("Our own analysis of discoverability obligations for audiovisual services in small markets.");
        for (email, paper) in [("c1@example.org", &letter), ("c2@example.org", &letter), ("c3@example.org", &letter), ("own@example.org", &other)] {
            let b = drafter(&app, email, "anonymous").await;
            assert_eq!(upload(&b, "Letter.pdf", paper.clone()).await.0, 303);
            submit(&b, "anonymous").await;
        }
        let admin = app.admin().await;
        let (_, page) = admin.get_text(&format!("{ANALYSIS}/analysis?provision=general")).await;
        assert!(page.contains("/analysis/campaigns?provision&#x3D;general"), "the general comments link to their campaigns");
        let (status, list) = admin.get_text(&format!("{ANALYSIS}/analysis/campaigns?provision=general")).await;
        assert_eq!(status, 200);
        assert_eq!(list.matches("Sent 3 times").count(), 1, "the three letters, not the paper of its own: {list}");
        assert!(list.contains("Joint letter of the coalition") && !list.contains("Our own analysis"), "{list}");
        let first: String = list.split("campaign&#x3D;g:").nth(1).unwrap().chars().take_while(char::is_ascii_digit).collect();
        let (_, copies) = admin.get_text(&format!("{ANALYSIS}/analysis?campaign=g:{first}")).await;
        assert!(copies.contains("3 texts found"), "{copies}");
        let (_, none) = admin.get_text(&format!("{ANALYSIS}/analysis?campaign=g:999999")).await;
        assert!(none.contains("0 texts found"), "a text in no campaign names none");
    }

    async fn after_a_refused_upload_the_same_connection_carries_the_next_request(app) {
        drafter(&app, "big@example.org", "attributed").await;
        // A session of our own, whose cookie this test sends by hand.
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let base = app.browser.address.clone();
        let mut jar = std::collections::BTreeMap::new();
        let res = client.get(format!("{base}/login")).send().await.unwrap();
        keep_cookies(&res, &mut jar);
        let cookie = |jar: &std::collections::BTreeMap<String, String>| jar.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
        let token = csrf_in(&res.text().await.unwrap());
        let res = client.post(format!("{base}/login")).header("cookie", cookie(&jar))
            .form(&[("csrf_token", token.as_str()), ("email", "big@example.org"), ("password", PASSWORD)])
            .send().await.unwrap();
        assert_eq!(res.status(), 303);
        keep_cookies(&res, &mut jar);
        let res = client.get(format!("{base}{ROUND}")).header("cookie", cookie(&jar)).send().await.unwrap();
        keep_cookies(&res, &mut jar);
        let token = csrf_in(&res.text().await.unwrap());

        let boundary = "polyphony-boundary";
        let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"huge.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n").into_bytes();
        body.resize(body.len() + 10 * 1024 * 1024 + 1, b' ');
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let host = base.trim_start_matches("http://");
        let upload = |path: &str| format!(
            "POST {path}?csrf_token={token} HTTP/1.1\r\nHost: {host}\r\nCookie: {}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n",
            cookie(&jar), body.len()
        );
        let health = format!("GET /healthz HTTP/1.1\r\nHost: {host}\r\n\r\n");
        let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
        for attempt in 0..3 {
            assert_eq!(exchange(&mut stream, &upload(PAPERS), &body).await, 413, "attempt {attempt}");
            assert_eq!(exchange(&mut stream, &health, b"").await, 200, "attempt {attempt}: the next request on the connection");
        }
        // Refused before the body is read at all: a round that does not exist.
        let elsewhere = "/consultations/additional-protocol/rounds/99/submission/attachments";
        let status = exchange(&mut stream, &upload(elsewhere), &body).await;
        assert_eq!(status, 404);
        assert_eq!(exchange(&mut stream, &health, b"").await, 200, "after an early refusal too");
        assert!(stored(&app).await.is_empty());
    }
}
