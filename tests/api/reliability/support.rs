//! What the reliability tests share: the real binary as a child process, a TCP
//! proxy that can cut the database off, SMTP servers that refuse or hang, and
//! participants made directly in the database.

use crate::helpers::{Browser, PASSWORD, TestDatabase, test_settings};
use polyphony::db::Db;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

pub const ROUND: &str = "/consultations/additional-protocol/rounds/1";
pub const SUBMISSION: &str = "/consultations/additional-protocol/rounds/1/submission";

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The `polyphony` binary cargo built, serving on its own port, with its
/// output kept in a log file next to the database.
pub struct Server {
    child: Option<Child>,
    pub address: String,
    pub log: PathBuf,
}

impl Server {
    pub fn start(db: &TestDatabase, env: &[(&str, String)]) -> Server {
        Self::start_on(db, free_port(), env)
    }

    /// On a given port: an instance restarted where the load balancer expects it.
    pub fn start_on(db: &TestDatabase, port: u16, env: &[(&str, String)]) -> Server {
        let log = db.dir().join(format!("server-{port}.log"));
        // Appended: a restarted instance keeps its predecessor's log.
        let out = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_polyphony"));
        cmd.arg("serve")
            .env("POLYPHONY__DATABASE__URL", &db.url)
            .env("POLYPHONY__SERVER__PORT", port.to_string())
            .env("POLYPHONY__SERVER__WORKERS", "2")
            // The demo of two rounds adds submissions these tests would count.
            .env("POLYPHONY__APP__DEMO_ROUNDS", "false")
            .env("POLYPHONY__APP__DATA_DIR", db.dir().join("data"))
            .env("POLYPHONY__EMAIL__FILE_DIR", db.dir().join("outbox"))
            // Every participant of these tests signs in from 127.0.0.1.
            .env("POLYPHONY__LIMITS__LOGIN_PER_IP", "100000")
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out);
        for (key, value) in env {
            cmd.env(key, value);
        }
        Server {
            child: Some(cmd.spawn().unwrap()),
            address: format!("http://127.0.0.1:{port}"),
            log,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().unwrap().id()
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until `/healthz` answers `ok`.
    pub async fn ready(&mut self) {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(res) = client.get(format!("{}/healthz", self.address)).send().await
                && res.status() == 200
            {
                return;
            }
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                panic!("the server exited with {status}:\n{}", self.log_text());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the server did not start:\n{}", self.log_text());
    }

    pub fn browser(&self) -> Browser {
        Browser::new(&self.address)
    }

    /// SIGKILL: the process ends at once, with no chance to clean up.
    pub fn kill(&mut self) {
        let mut child = self.child.take().unwrap();
        child.kill().unwrap();
        child.wait().unwrap();
    }

    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for the process to exit on its own, at most `limit`.
    pub async fn exit_status(&mut self, limit: Duration) -> ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                self.child = None;
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not exit within {limit:?}:\n{}",
                self.log_text()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The test's own pool on the database a child process serves.
pub fn open_db(db: &TestDatabase) -> Db {
    Db::open(&test_settings(db).database).unwrap()
}

/// Verified participants made directly in the database, `prefix0@example.org`…
pub async fn participants(db: &Db, prefix: &str, n: usize) -> Vec<String> {
    let hash = polyphony::accounts::passwords::hash(PASSWORD).unwrap();
    let emails: Vec<String> = (0..n).map(|i| format!("{prefix}{i}@example.org")).collect();
    let list = emails.clone();
    db.run(move |c| -> Result<(), polyphony::web::errors::AppError> {
        let now = polyphony::db::to_db_time(time::OffsetDateTime::now_utc());
        for email in &list {
            let profile = polyphony::accounts::fields::Profile {
                display_name: format!("Name of {email}"),
                organization: "Org".into(),
                group: polyphony::codes::StakeholderGroup::parse("civil_society").unwrap(),
                country: "FR",
                locale: polyphony::codes::Locale::En,
            };
            polyphony::accounts::insert(
                c,
                &polyphony::accounts::NewUser {
                    email,
                    password_hash: &hash,
                    profile: &profile,
                    role: polyphony::accounts::Role::Participant,
                    email_verified: true,
                },
                now,
            )?;
        }
        Ok(())
    })
    .await
    .unwrap();
    emails
}

pub use crate::skips::aiosmtpd_available;

/// An aiosmtpd server whose answer to each message is read from `mode_file`
/// at that moment: `accept` (delivered to the maildir), or an SMTP reply such
/// as `451 4.3.0 try later` or `550 5.7.1 refused`.
pub struct SmtpServer {
    child: Child,
    pub maildir: PathBuf,
    mode_file: PathBuf,
}

const SMTP_SERVER: &str = r#"
import asyncio, sys
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox

port, maildir, mode_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]

class Switchable(Mailbox):
    async def handle_DATA(self, server, session, envelope):
        mode = open(mode_file).read().strip()
        if mode != "accept":
            return mode
        return await super().handle_DATA(server, session, envelope)

controller = Controller(Switchable(maildir), hostname="127.0.0.1", port=port)
controller.start()
print("ready", flush=True)
try:
    asyncio.get_event_loop().run_forever()
finally:
    controller.stop()
"#;

impl SmtpServer {
    pub fn start(dir: &std::path::Path, port: u16, mode: &str) -> SmtpServer {
        let maildir = dir.join("maildir");
        let mode_file = dir.join("smtp-mode");
        std::fs::write(&mode_file, mode).unwrap();
        let mut child = Command::new("python3")
            .args(["-c", SMTP_SERVER, &port.to_string()])
            .arg(&maildir)
            .arg(&mode_file)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(child.stdout.as_mut().unwrap()),
            &mut line,
        )
        .unwrap();
        assert_eq!(line.trim(), "ready");
        SmtpServer {
            child,
            maildir,
            mode_file,
        }
    }

    pub fn set_mode(&self, mode: &str) {
        std::fs::write(&self.mode_file, mode).unwrap();
    }

    /// The messages delivered so far.
    pub fn delivered(&self) -> Vec<String> {
        std::fs::read_dir(self.maildir.join("new"))
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A server that accepts connections and never says a word: what a mail
/// server stuck behind a firewall or overloaded looks like. Dropping it closes
/// the listener and every connection.
pub struct HangingServer {
    task: tokio::task::JoinHandle<()>,
}

impl HangingServer {
    pub async fn start(port: u16) -> HangingServer {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        let task = tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((socket, _)) = listener.accept().await {
                held.push(socket);
            }
        });
        HangingServer { task }
    }
}

impl HangingServer {
    /// Closes the listener and every connection, and waits until it has.
    pub async fn stop(mut self) {
        self.task.abort();
        let _ = (&mut self.task).await;
    }
}

impl Drop for HangingServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What the proxy does with traffic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Link {
    /// Bytes flow both ways.
    Up = 0,
    /// Every connection is closed and new ones are closed as soon as accepted:
    /// the database server is down.
    Down = 1,
    /// Connections stay open but nothing flows, and new ones are accepted and
    /// never answered: a network partition or a frozen server.
    Silent = 2,
}

/// A TCP proxy in front of PostgreSQL (the shared server must never be
/// stopped): cutting the link is, from the application's side, the database
/// going away.
pub struct Proxy {
    pub port: u16,
    state: Arc<AtomicU8>,
    changes: watch::Sender<u8>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    pub async fn start(upstream: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(AtomicU8::new(Link::Up as u8));
        let (changes, _) = watch::channel(Link::Up as u8);
        let (shared, notify) = (state.clone(), changes.clone());
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let link = shared.load(Ordering::SeqCst);
                if link == Link::Down as u8 {
                    drop(client);
                    continue;
                }
                tokio::spawn(relay(client, upstream.clone(), notify.subscribe()));
            }
        });
        Proxy {
            port,
            state,
            changes,
            task,
        }
    }

    pub fn set(&self, link: Link) {
        self.state.store(link as u8, Ordering::SeqCst);
        self.changes.send_replace(link as u8);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
        self.set(Link::Down);
    }
}

async fn relay(mut client: TcpStream, upstream: String, mut link: watch::Receiver<u8>) {
    // Accepted while silent: hold the connection, say nothing, until the link
    // changes; a connection made during an outage is not used afterwards.
    if *link.borrow() == Link::Silent as u8 {
        let _ = link.changed().await;
        let _ = client.shutdown().await;
        return;
    }
    let Ok(mut server) = TcpStream::connect(&upstream).await else {
        return;
    };
    let (mut cr, mut cw) = client.split();
    let (mut sr, mut sw) = server.split();
    let mut up = [0u8; 16384];
    let mut down = [0u8; 16384];
    loop {
        let current = *link.borrow_and_update();
        if current == Link::Down as u8 {
            return;
        }
        if current == Link::Silent as u8 {
            // Nothing flows while silent; whatever happens next, this
            // connection ends (as a frozen server's would when it is restarted).
            let _ = link.changed().await;
            return;
        }
        tokio::select! {
            read = tokio::io::AsyncReadExt::read(&mut cr, &mut up) => match read {
                Ok(0) | Err(_) => return,
                Ok(n) => if sw.write_all(&up[..n]).await.is_err() { return },
            },
            read = tokio::io::AsyncReadExt::read(&mut sr, &mut down) => match read {
                Ok(0) | Err(_) => return,
                Ok(n) => if cw.write_all(&down[..n]).await.is_err() { return },
            },
            _ = link.changed() => {}
        }
    }
}

/// `postgres://user@host:port/db?…` with host and port replaced.
pub fn through_proxy(url: &str, port: u16) -> String {
    let scheme_end = url.find("://").unwrap() + 3;
    let rest = &url[scheme_end..];
    let host_end = rest.find('/').unwrap_or(rest.len());
    let authority = &rest[..host_end];
    let userinfo = authority
        .rfind('@')
        .map_or(String::new(), |i| authority[..=i].to_string());
    format!(
        "{}{}127.0.0.1:{}{}",
        &url[..scheme_end],
        userinfo,
        port,
        &rest[host_end..]
    )
}

/// `host:port` of a PostgreSQL URL.
pub fn upstream_of(url: &str) -> String {
    let rest = &url[url.find("://").unwrap() + 3..];
    let authority = &rest[..rest.find('/').unwrap_or(rest.len())];
    let host = authority.rsplit('@').next().unwrap();
    if host.contains(':') {
        host.to_string()
    } else {
        format!("{host}:5432")
    }
}
