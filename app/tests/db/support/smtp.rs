//! A real SMTP server for tests: `scripts/smtp-sink.py` (aiosmtpd) on a free
//! port on 127.0.0.1, run by the Python named in `HONGYE_TEST_SMTP_PYTHON`
//! (the test command installs one). With `HONGYE_REQUIRE_SMTP=1` a missing
//! Python fails the test instead of skipping it.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One message as the server received it, decoded.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Received {
    pub to: Vec<String>,
    pub subject: String,
    pub message_id: String,
    pub text: String,
    pub html: String,
    pub headers: std::collections::HashMap<String, String>,
}

pub struct SmtpServer {
    python: String,
    pub port: u16,
    out: crate::support::tempdir::TempDir,
    child: Option<Child>,
}

impl SmtpServer {
    /// Starts a server, or `None` when no Python with aiosmtpd is configured.
    pub fn start() -> Option<SmtpServer> {
        let Ok(python) = std::env::var("HONGYE_TEST_SMTP_PYTHON") else {
            assert!(
                std::env::var("HONGYE_REQUIRE_SMTP").as_deref() != Ok("1"),
                "HONGYE_REQUIRE_SMTP=1 but HONGYE_TEST_SMTP_PYTHON is not set"
            );
            eprintln!("skipping the SMTP half: HONGYE_TEST_SMTP_PYTHON not set");
            return None;
        };
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("free port");
        let mut server = SmtpServer {
            python,
            port,
            out: crate::support::tempdir::tempdir().expect("temp dir"),
            child: None,
        };
        server.resume();
        Some(server)
    }

    /// The SMTP URL lettre connects to (plain SMTP on loopback).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Stops the server: connections are refused until `resume`.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", self.port)).is_ok() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Starts (again) on the same port, keeping what was received.
    pub fn resume(&mut self) {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/smtp-sink.py");
        let child = Command::new(&self.python)
            .arg(script)
            .args(["--port", &self.port.to_string()])
            .arg("--out")
            .arg(self.out.path())
            .stdout(Stdio::null())
            .spawn()
            .expect("start the SMTP server");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "the SMTP server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<Received> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(self.out.path())
            .expect("read sink folder")
            .flatten()
        {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) == Some("json") {
                let text = std::fs::read_to_string(&path).expect("read message");
                out.push(serde_json::from_str(&text).expect("message JSON"));
            }
        }
        out
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}
