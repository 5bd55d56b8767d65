//! Test support shared by the workspace's tests, so each test crate does
//! not grow its own copy: a local HTTP/1.1 server to serve fixture files
//! (the advisory database's downloads are tested against it, never the
//! network) and OSV export zips built in memory.

use std::collections::HashMap;
use std::io::{Cursor, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// A minimal HTTP/1.1 server on 127.0.0.1: `GET path` answers what
/// [`Server::serve`] set for the path, else 404; one request per
/// connection (`Connection: close`). Stopped when dropped.
type Routes = Arc<Mutex<HashMap<String, (u16, Vec<u8>)>>>;

pub struct Server {
    addr: SocketAddr,
    routes: Routes,
    requests: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let routes: Routes = Arc::default();
        let requests = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (routes, requests, stop) = (routes.clone(), requests.clone(), stop.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    if let Ok(stream) = stream {
                        requests.fetch_add(1, Ordering::SeqCst);
                        answer(stream, &routes);
                    }
                }
            })
        };
        Server { addr, routes, requests, stop, thread: Some(thread) }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn serve(&self, path: &str, status: u16, body: Vec<u8>) {
        self.routes.lock().expect("routes").insert(path.to_string(), (status, body));
    }

    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the blocking `accept` so the thread sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn answer(mut stream: TcpStream, routes: &Routes) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 64 * 1024 {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head);
    let mut words = head.lines().next().unwrap_or("").split(' ');
    let (method, path) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let (status, body) = match routes.lock().expect("routes").get(path) {
        Some(found) if method == "GET" => found.clone(),
        _ => (404, b"not found".to_vec()),
    };
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Whatever",
    };
    let header = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/zip\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(header.as_bytes());
    let _ = stream.write_all(&body);
    let _ = stream.flush();
}

/// A zip of `(entry name, content)` pairs, deflated, as OSV exports are.
pub fn zip_of(entries: &[(&str, &str)]) -> Vec<u8> {
    zip_with(entries, zip::CompressionMethod::Deflated)
}

/// [`zip_of`] with another compression method.
pub fn zip_with(entries: &[(&str, &str)], method: zip::CompressionMethod) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, body) in entries {
        writer.start_file(*name, options).expect("start entry");
        writer.write_all(body.as_bytes()).expect("write entry");
    }
    writer.finish().expect("finish zip").into_inner()
}
