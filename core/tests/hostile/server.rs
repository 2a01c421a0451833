//! A scripted, misbehaving HTTP server on a loopback port for the hostile-input cases: it
//! answers each request with the next scripted answer (slowly, cut short, oversized, or not at
//! all) and records what it was sent. A second listener, the decoy, only counts requests: a
//! client that follows a foreign link or redirect shows up there.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

/// No connection is served for longer than this, whatever the script says.
const MAX_CONNECTION_TIME: Duration = Duration::from_secs(30);

/// One request as the server read it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
}

#[derive(Default)]
struct State {
    answers: Vec<Value>,
    seen: Vec<Seen>,
    decoy_hits: usize,
}

/// The server and its decoy; both stop when it is dropped.
pub struct HostileServer {
    pub base: String,
    pub decoy: String,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    ports: [u16; 2],
}

impl HostileServer {
    /// Starts both listeners on 127.0.0.1 with ephemeral ports and this script of answers
    /// (request n gets answer n; the last one repeats).
    pub fn start(answers: Vec<Value>) -> HostileServer {
        let main = TcpListener::bind("127.0.0.1:0").unwrap();
        let decoy = TcpListener::bind("127.0.0.1:0").unwrap();
        let ports = [
            main.local_addr().unwrap().port(),
            decoy.local_addr().unwrap().port(),
        ];
        let server = HostileServer {
            base: format!("http://127.0.0.1:{}", ports[0]),
            decoy: format!("http://127.0.0.1:{}", ports[1]),
            state: Arc::new(Mutex::new(State {
                answers,
                ..State::default()
            })),
            stop: Arc::new(AtomicBool::new(false)),
            ports,
        };
        for (listener, is_decoy) in [(main, false), (decoy, true)] {
            let state = Arc::clone(&server.state);
            let stop = Arc::clone(&server.stop);
            let urls = (server.base.clone(), server.decoy.clone());
            thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (state, stop, urls) = (Arc::clone(&state), Arc::clone(&stop), urls.clone());
                    thread::spawn(move || serve(stream, is_decoy, &state, &stop, &urls));
                }
            });
        }
        server
    }

    /// Every request the main listener read, in order.
    pub fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }

    /// How many requests reached the decoy.
    pub fn decoy_hits(&self) -> usize {
        self.state.lock().unwrap().decoy_hits
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake both accept loops so that they see the flag.
        for port in self.ports {
            let _ = TcpStream::connect(("127.0.0.1", port));
        }
    }
}

fn serve(
    stream: TcpStream,
    is_decoy: bool,
    state: &Mutex<State>,
    stop: &AtomicBool,
    urls: &(String, String),
) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(stream);
    let Some(seen) = read_request(&mut reader) else {
        return;
    };
    let mut stream = reader.into_inner();
    let answer = {
        let mut state = state.lock().unwrap();
        if is_decoy {
            state.decoy_hits += 1;
            Value::Null
        } else {
            let index = state.seen.len().min(state.answers.len().saturating_sub(1));
            state.seen.push(seen.clone());
            state.answers.get(index).cloned().unwrap_or(Value::Null)
        }
    };
    if answer.is_null() {
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
        return;
    }
    answer_with(&mut stream, &answer, &seen, stop, urls);
}

/// Reads the request head and any `Content-Length` body; `None` if the peer gave up.
fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Seen> {
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut words = line.split_whitespace();
    let (method, target) = (words.next()?.to_owned(), words.next()?.to_owned());
    let mut headers = Vec::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length.min(1 << 20)];
    reader.read_exact(&mut body).ok()?;
    Some(Seen {
        method,
        target,
        headers,
    })
}

/// Writes one scripted answer: see `tests/vectors/README.md` for the keys.
fn answer_with(
    stream: &mut TcpStream,
    answer: &Value,
    seen: &Seen,
    stop: &AtomicBool,
    urls: &(String, String),
) {
    let started = Instant::now();
    let number = |key: &str| answer[key].as_u64().unwrap_or(0);
    let alive = || !stop.load(Ordering::SeqCst) && started.elapsed() < MAX_CONNECTION_TIME;
    if answer["close"].as_bool() == Some(true) {
        let _ = stream.shutdown(Shutdown::Both);
        return;
    }
    let deadline = started + Duration::from_millis(number("headDelayMs"));
    while Instant::now() < deadline && alive() {
        thread::sleep(Duration::from_millis(20));
    }
    let header_value = |name: &str| {
        seen.headers
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
            .to_owned()
    };
    let fill = |text: &str| {
        text.replace("{server}", &urls.0)
            .replace("{decoy}", &urls.1)
            .replace("{authorization}", &header_value("authorization"))
            .replace("{apiKey}", &header_value("x-api-key"))
    };
    let body = answer_body(answer, &fill);
    let chunked = answer["chunked"].as_bool() == Some(true);
    let status = answer["status"].as_u64().unwrap_or(200);
    let mut head = format!("HTTP/1.1 {status} Scripted\r\nConnection: close\r\n");
    for pair in answer["headers"].as_array().into_iter().flatten() {
        let (name, value) = (pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
        head.push_str(&format!("{name}: {}\r\n", fill(value)));
    }
    if chunked {
        head.push_str("Transfer-Encoding: chunked\r\n\r\n");
    } else {
        let length = answer["declaredLength"]
            .as_u64()
            .unwrap_or(body.len() as u64);
        head.push_str(&format!("Content-Length: {length}\r\n\r\n"));
    }
    let byte_delay = Duration::from_millis(number("byteDelayMs"));
    let body_byte_delay = Duration::from_millis(number("bodyByteDelayMs"));
    if !trickle(stream, head.as_bytes(), byte_delay, &alive) {
        return;
    }
    if chunked {
        for chunk in body.chunks(16 * 1024) {
            let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
            framed.extend_from_slice(chunk);
            framed.extend_from_slice(b"\r\n");
            if !alive() || stream.write_all(&framed).is_err() {
                return;
            }
        }
        let _ = stream.write_all(b"0\r\n\r\n");
    } else {
        let _ = trickle(stream, &body, byte_delay.max(body_byte_delay), &alive);
    }
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Write);
}

/// The answer's body: `body` (placeholders filled) or `bodyHex`, then `repeat` and its `suffix`.
fn answer_body(answer: &Value, fill: &dyn Fn(&str) -> String) -> Vec<u8> {
    let mut body = match answer["bodyHex"].as_str() {
        Some(hex) => (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect(),
        None => fill(answer["body"].as_str().unwrap_or("")).into_bytes(),
    };
    if let Some(text) = answer["repeat"]["text"].as_str() {
        let times = answer["repeat"]["times"].as_u64().unwrap_or(0) as usize;
        body.extend(text.as_bytes().repeat(times));
        body.extend(answer["repeat"]["suffix"].as_str().unwrap_or("").as_bytes());
    }
    body
}

/// Writes `bytes`, one at a time with `delay` in between when a delay is set; false once the
/// peer is gone or time is up.
fn trickle(
    stream: &mut TcpStream,
    bytes: &[u8],
    delay: Duration,
    alive: &dyn Fn() -> bool,
) -> bool {
    if delay.is_zero() {
        return stream.write_all(bytes).is_ok();
    }
    for byte in bytes {
        if !alive() || stream.write_all(&[*byte]).is_err() {
            return false;
        }
        thread::sleep(delay);
    }
    true
}
