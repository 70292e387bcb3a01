//! A loopback HTTP server for the tests: it serves the files of a folder
//! (recorded registry answers) at their paths, 404 for anything else, and
//! counts requests. It binds 127.0.0.1 only and stops when dropped.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// A running server.
pub struct Server {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// Requests answered.
    pub requests: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn answer(stream: &mut TcpStream, root: &std::path::Path) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    // Headers, bounded.
    for _ in 0..100 {
        let mut h = String::new();
        if reader.read_line(&mut h).map_or(true, |n| n == 0) || h == "\r\n" {
            break;
        }
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/");
    let rel = path.trim_start_matches('/').replace("%2F", "/");
    let file = root.join(&rel);
    let (status, body) = match std::fs::read(&file) {
        Ok(b) if !rel.contains("..") => ("200 OK", b),
        _ => ("404 Not Found", b"{\"message\":\"Not Found\"}".to_vec()),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

/// Serves `root` on a free loopback port.
pub fn serve(root: PathBuf) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().expect("addr").port();
    let stop = Arc::new(AtomicBool::new(false));
    let requests = Arc::new(AtomicUsize::new(0));
    let (s, r) = (stop.clone(), requests.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            if s.load(Ordering::SeqCst) {
                break;
            }
            let Ok(mut stream) = stream else { continue };
            r.fetch_add(1, Ordering::SeqCst);
            answer(&mut stream, &root);
        }
    });
    Server {
        base: format!("http://127.0.0.1:{port}"),
        requests,
        stop,
        port,
    }
}

/// One scripted answer of [`serve_script`].
#[derive(Debug, Clone)]
pub enum Reply {
    /// A status line, extra headers and a body.
    Answer {
        /// `"200 OK"`, `"429 Too Many Requests"`, …
        status: &'static str,
        /// Extra headers.
        headers: Vec<(&'static str, String)>,
        /// The body.
        body: Vec<u8>,
    },
    /// Waits, then answers 200 with the body.
    Slow(std::time::Duration, Vec<u8>),
    /// Promises a longer body than it sends, then closes.
    Truncated(Vec<u8>),
}

impl Reply {
    /// 200 with a JSON body.
    pub fn ok(body: Vec<u8>) -> Reply {
        Reply::Answer {
            status: "200 OK",
            headers: Vec::new(),
            body,
        }
    }
}

fn read_request(stream: &TcpStream) -> Option<String> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    for _ in 0..100 {
        let mut h = String::new();
        if reader.read_line(&mut h).map_or(true, |n| n == 0) || h == "\r\n" {
            break;
        }
    }
    Some(line.split_whitespace().nth(1).unwrap_or("/").to_string())
}

fn send(stream: &mut TcpStream, reply: &Reply) {
    let (status, headers, body, length) = match reply {
        Reply::Answer {
            status,
            headers,
            body,
        } => (*status, headers.clone(), body.clone(), body.len()),
        Reply::Slow(wait, body) => {
            std::thread::sleep(*wait);
            ("200 OK", Vec::new(), body.clone(), body.len())
        }
        Reply::Truncated(body) => ("200 OK", Vec::new(), body.clone(), body.len() * 2),
    };
    let mut head =
        format!("HTTP/1.1 {status}\r\nContent-Length: {length}\r\nConnection: close\r\n");
    if !headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
    {
        head.push_str("Content-Type: application/json\r\n");
    }
    for (k, v) in &headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

/// Answers the requests in turn with `script` (the last reply repeats), and
/// records the path of each request.
pub fn serve_script(script: Vec<Reply>) -> (Server, Arc<std::sync::Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().expect("addr").port();
    let stop = Arc::new(AtomicBool::new(false));
    let requests = Arc::new(AtomicUsize::new(0));
    let paths = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (s, r, p) = (stop.clone(), requests.clone(), paths.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            if s.load(Ordering::SeqCst) {
                break;
            }
            let Ok(mut stream) = stream else { continue };
            let Some(path) = read_request(&stream) else {
                continue;
            };
            let n = r.fetch_add(1, Ordering::SeqCst);
            if let Ok(mut paths) = p.lock() {
                paths.push(path);
            }
            if let Some(reply) = script.get(n.min(script.len().saturating_sub(1))) {
                send(&mut stream, reply);
            }
        }
    });
    (
        Server {
            base: format!("http://127.0.0.1:{port}"),
            requests,
            stop,
            port,
        },
        paths,
    )
}
