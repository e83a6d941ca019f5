//! The client against a hostile (or badly broken) server: every number, link, header
//! and byte of text it sends is chosen to hurt. Each section covers one class of
//! problem: absurd numbers, endless pagination, endless or stalled downloads, the
//! download's temporary file, where the token goes, text meant for a terminal, and
//! what transport errors say.
//!
//! `wiremock` stands in for well-formed but malicious answers; a raw TCP responder on
//! 127.0.0.1 produces what wiremock cannot (a body without end, a body that stalls, a
//! header beyond the HTTP stack's limit). Every test that talks to a server runs under
//! `bounded`, so a regression fails instead of hanging.

use futures_util::StreamExt;
use serde_json::{json, Value};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};
mod fixtures;

use fixtures::{api_error, builder, client, quick_retries, received, workflow_run, TOKEN};
use workflow_runs_client::runtime::escape_controls;
use workflow_runs_client::{Client, ClientBuilder, Error};

/// The most any test may take; far above what a passing test needs.
const TEST_LIMIT: Duration = Duration::from_secs(20);
/// The timeouts tests configure: short, so that timing out is quick.
const SHORT: Duration = Duration::from_millis(200);

// ---------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------

/// Runs `test` with a deadline: a hang is a failure, not a stuck test run.
async fn bounded<T>(test: impl Future<Output = T>) -> T {
    tokio::time::timeout(TEST_LIMIT, test).await.expect("the client hung (test deadline passed)")
}

fn authorizations(request: &wiremock::Request) -> Vec<String> {
    request
        .headers
        .get_all("authorization")
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect()
}

/// The description's example run, named `name`.
fn run(id: i64, name: &str) -> Value {
    let mut run = workflow_run(id);
    run["name"] = json!(name);
    run
}

fn runs_page(ids: &[i64]) -> Value {
    fixtures::runs_page(ids.len() as i64, ids)
}

fn github_error(message: &str) -> Value {
    api_error(message, "https://docs.github.com/rest")
}

/// An empty directory of its own, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("workflow-runs-hostile-{}-{tag}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create a scratch directory");
        Scratch(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// The names in the directory, sorted.
    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.0)
            .expect("list the scratch directory")
            .map(|entry| entry.expect("a directory entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Reads a request head (bounded), so the client sees its request accepted.
async fn read_head(stream: &mut TcpStream) {
    let mut head = Vec::new();
    let mut buffer = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buffer[..n]),
        }
    }
}

/// Serves up to 4 connections on 127.0.0.1, each answered by `respond` once its
/// request head is read; returns the base URL. The server ends with the test's runtime.
async fn raw_server<F, Fut>(respond: F) -> String
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a local port");
    let address = listener.local_addr().expect("local address");
    tokio::spawn(async move {
        for _ in 0..4 {
            let Ok((mut stream, _)) = listener.accept().await else { return };
            read_head(&mut stream).await;
            tokio::spawn(respond(stream));
        }
    });
    format!("http://{address}")
}

/// Sends `head` and `body`, then keeps the connection open, silent, for 5 s.
async fn send_then_stall(mut stream: TcpStream, head: &'static str, body: &'static [u8]) {
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(body).await;
    let _ = stream.flush().await;
    tokio::time::sleep(Duration::from_secs(5)).await;
}

/// A chunked body that goes on and on (up to 64 MiB, so even a broken client ends).
async fn endless_body(mut stream: TcpStream) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nTransfer-Encoding: chunked\r\n\r\n";
    if stream.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let chunk = [b'z'; 16 * 1024];
    let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
    framed.extend_from_slice(&chunk);
    framed.extend_from_slice(b"\r\n");
    for _ in 0..4096 {
        if stream.write_all(&framed).await.is_err() {
            return;
        }
    }
}

/// A URL on 127.0.0.1 where nothing listens.
fn closed_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a local port");
    format!("http://{}", listener.local_addr().expect("local address"))
}

/// Whether `text` holds anything a terminal would act on.
fn has_controls(text: &str) -> bool {
    text.chars().any(|c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
    })
}

// ---------------------------------------------------------------------------------
// 1. Numbers the server chooses
// ---------------------------------------------------------------------------------

#[tokio::test]
async fn absurd_retry_after_ends_retries_instead_of_overflowing() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(path("/repos/o/r/actions/runs/1"))
            .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "18446744073709551615"))
            .mount(&server)
            .await;
        Mock::given(path("/repos/o/r/actions/runs/2"))
            .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "18446744073709551615"))
            .mount(&server)
            .await;
        // After a wait of a second, the absurd one is added to the time already waited.
        Mock::given(path("/repos/o/r/actions/runs/3"))
            .respond_with(ResponseTemplate::new(502).insert_header("retry-after", "1"))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(path("/repos/o/r/actions/runs/3"))
            .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "18446744073709551615"))
            .mount(&server)
            .await;
        let client = builder(&server).retry(quick_retries()).build().unwrap();

        let error = client.actions().get_workflow_run("o", "r", 3).send().await.unwrap_err();
        let Error::Retried { attempts: 2, last } = &error else { panic!("expected two attempts, got {error:?}") };
        assert!(matches!(&**last, Error::RateLimited(limited) if limited.retry_after == Some(Duration::from_secs(u64::MAX))), "{last:?}");

        let error = client.actions().get_workflow_run("o", "r", 1).send().await.unwrap_err();
        let Error::RateLimited(limited) = &error else { panic!("expected Error::RateLimited, got {error:?}") };
        assert_eq!(limited.retry_after, Some(Duration::from_secs(u64::MAX)));
        assert!(error.to_string().contains("retry after 18446744073709551615s"), "{error}");

        let error = client.actions().get_workflow_run("o", "r", 2).send().await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "{error:?}");
        // No absurd wait fits the budget: the retries end there, without sleeping.
        assert_eq!(received(&server).await.len(), 4);
    })
    .await;
}

#[tokio::test]
async fn far_off_or_unreadable_rate_limit_resets_do_not_overflow() {
    bounded(async {
        let server = MockServer::start().await;
        for (id, reset) in
            [(1, "18446744073709551615"), (2, "9223372036854775807"), (3, "99999999999"), (4, "-5"), (5, "soon")]
        {
            Mock::given(path(format!("/repos/o/r/actions/runs/{id}")))
                .respond_with(
                    ResponseTemplate::new(403)
                        .insert_header("x-ratelimit-remaining", "0")
                        .insert_header("x-ratelimit-limit", "18446744073709551615")
                        .insert_header("x-ratelimit-reset", reset)
                        .set_body_json(github_error("API rate limit exceeded")),
                )
                .mount(&server)
                .await;
        }
        let client = builder(&server).retry(quick_retries()).build().unwrap();
        for id in 1..=5 {
            let error = client.actions().get_workflow_run("o", "r", id).send().await.unwrap_err();
            let limited = match &error {
                Error::RateLimited(limited) => limited,
                Error::Retried { last, .. } => match &**last {
                    Error::RateLimited(limited) => limited,
                    other => panic!("reset {id}: expected a rate-limit error, got {other:?}"),
                },
                other => panic!("reset {id}: expected a rate-limit error, got {other:?}"),
            };
            assert_eq!(limited.limit, Some(u64::MAX));
            let _ = error.to_string();
        }
    })
    .await;
}

#[tokio::test]
async fn unparsable_retry_after_counts_as_no_time_named() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "999999999999999999999999999999"))
            .mount(&server)
            .await;
        let client = builder(&server).retry(quick_retries()).build().unwrap();
        let error = client.actions().get_workflow_run("o", "r", 1).send().await.unwrap_err();
        // GitHub's minute for a limit that names no time, past the test policy's budget:
        // one request, and the error says how long to wait.
        assert!(matches!(error, Error::RateLimited(_)), "{error:?}");
        assert_eq!(error.retry_after(), Some(std::time::Duration::from_secs(60)));
    })
    .await;
}

#[tokio::test]
async fn absurd_content_lengths_are_errors_not_panics() {
    bounded(async {
        // Beyond what HTTP/1.1 framing can express.
        let api = raw_server(|stream| {
            send_then_stall(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 18446744073709551615\r\n\r\n",
                b"{}",
            )
        })
        .await;
        let client = Client::builder().base_url(&api).timeout(Some(SHORT)).build().unwrap();
        let error = client.actions().get_workflow_run("o", "r", 1).send().await.unwrap_err();
        assert!(matches!(error, Error::Transport(_) | Error::BodyTooLarge { .. }), "{error:?}");

        // Expressible, but beyond the download limit: refused before reading the body.
        let storage = raw_server(|stream| {
            send_then_stall(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: 5368709120\r\n\r\n",
                b"PK",
            )
        })
        .await;
        let client = Client::builder()
            .max_download_bytes(1024 * 1024)
            .download_idle_timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        let mut sink = Vec::new();
        let error = client.download_to(&format!("{storage}/archive.zip"), &mut sink).await.unwrap_err();
        assert!(matches!(error, Error::DownloadTooLarge { limit: 1048576 }), "{error:?}");
        assert!(sink.is_empty());
    })
    .await;
}

// ---------------------------------------------------------------------------------
// 2. Pagination that never ends
// ---------------------------------------------------------------------------------

#[tokio::test]
async fn next_link_back_to_a_fetched_page_ends_the_stream() {
    bounded(async {
        let server = MockServer::start().await;
        let first = format!("{}/repos/o/r/actions/runs", server.uri());
        Mock::given(path("/repos/o/r/actions/runs"))
            .and(query_param("page", "2"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("link", format!("<{first}>; rel=\"next\"").as_str())
                    .set_body_json(runs_page(&[3, 4])),
            )
            .mount(&server)
            .await;
        Mock::given(path("/repos/o/r/actions/runs"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("link", format!("<{first}?page=2>; rel=\"next\"").as_str())
                    .set_body_json(runs_page(&[1, 2])),
            )
            .mount(&server)
            .await;

        let client = client(&server);
        let items: Vec<_> = client.actions().list_workflow_runs_for_repo("o", "r").stream().take(50).collect().await;
        let ids: Vec<i64> = items.iter().filter_map(|item| item.as_ref().ok()).map(|run| run.id).collect();
        assert_eq!(ids, [1, 2, 3, 4]);
        assert_eq!(items.len(), 5, "the stream did not end after the loop: {} items", items.len());
        let error = items.last().and_then(|item| item.as_ref().err()).expect("the stream ends with an error");
        let Error::PageLoop { url } = error else { panic!("expected Error::PageLoop, got {error:?}") };
        assert_eq!(url, &first);
        assert_eq!(received(&server).await.len(), 2);
    })
    .await;
}

#[tokio::test]
async fn next_link_to_another_origin_ends_the_stream_without_a_request() {
    bounded(async {
        let api = MockServer::start().await;
        // Another port of the same host is another origin.
        let foreign = MockServer::start().await;
        let next = format!(
            "<{}/repositories/42/actions/runs?page=2&sig=s3cr3t>; rel=\"next\"",
            foreign.uri().replacen("http://", "http://user:pw@", 1)
        );
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(200).insert_header("link", next.as_str()).set_body_json(runs_page(&[1])),
            )
            .expect(1)
            .mount(&api)
            .await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(runs_page(&[2])))
            .mount(&foreign)
            .await;

        let items: Vec<_> =
            client(&api).actions().list_workflow_runs_for_repo("o", "r").stream().take(50).collect().await;
        assert_eq!(items.len(), 2, "{items:?}");
        assert_eq!(items[0].as_ref().map(|run| run.id).ok(), Some(1));
        let error = items[1].as_ref().unwrap_err();
        let Error::PageOffOrigin { url } = error else { panic!("expected Error::PageOffOrigin, got {error:?}") };
        assert_eq!(url, &format!("{}/repositories/42/actions/runs", foreign.uri()));
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("s3cr3t") && !shown.contains("pw"), "the query or credentials are shown: {shown}");
        assert!(received(&foreign).await.is_empty(), "a request left the API's origin");
    })
    .await;
}

#[tokio::test]
async fn next_link_to_itself_with_credentials_is_still_a_loop() {
    bounded(async {
        let server = MockServer::start().await;
        let looping = server.uri().replacen("http://", "http://someone:secret@", 1) + "/repos/o/r/actions/runs?page=2";
        Mock::given(path("/repos/o/r/actions/runs"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("link", format!("<{looping}>; rel=\"next\"").as_str())
                    .set_body_json(runs_page(&[1])),
            )
            .mount(&server)
            .await;
        let client = client(&server);
        let items: Vec<_> = client.actions().list_workflow_runs_for_repo("o", "r").stream().take(50).collect().await;
        assert_eq!(items.len(), 3, "{items:?}");
        let error = items[2].as_ref().unwrap_err();
        assert!(matches!(error, Error::PageLoop { .. }), "{error:?}");
        assert!(!format!("{error} {error:?}").contains("secret"), "credentials shown: {error}");
        assert_eq!(received(&server).await.len(), 2);
    })
    .await;
}

#[tokio::test]
async fn pages_without_end_stop_at_the_configured_maximum() {
    bounded(async {
        let server = MockServer::start().await;
        let base = server.uri();
        // Every page links to a new one.
        Mock::given(path("/repos/o/r/actions/runs"))
            .respond_with(move |request: &wiremock::Request| {
                let page: i64 =
                    request.url.query_pairs().find(|(k, _)| k == "page").and_then(|(_, v)| v.parse().ok()).unwrap_or(1);
                let next = format!("<{base}/repos/o/r/actions/runs?page={}>; rel=\"next\"", page + 1);
                ResponseTemplate::new(200).insert_header("link", next.as_str()).set_body_json(runs_page(&[page]))
            })
            .mount(&server)
            .await;
        let client = builder(&server).max_pages(5).build().unwrap();
        let items: Vec<_> = client.actions().list_workflow_runs_for_repo("o", "r").stream().take(50).collect().await;
        let ids: Vec<i64> = items.iter().filter_map(|item| item.as_ref().ok()).map(|run| run.id).collect();
        assert_eq!(ids, [1, 2, 3, 4, 5]);
        assert_eq!(items.len(), 6);
        assert!(matches!(items[5], Err(Error::TooManyPages { limit: 5 })), "{:?}", items[5]);
        assert_eq!(received(&server).await.len(), 5);
        assert_eq!(ClientBuilder::DEFAULT_MAX_PAGES, 1_000);
    })
    .await;
}

// ---------------------------------------------------------------------------------
// 3. Downloads without end, and downloads that stall
// ---------------------------------------------------------------------------------

#[tokio::test]
async fn endless_download_stops_at_the_size_limit() {
    bounded(async {
        let storage = raw_server(endless_body).await;
        let client = Client::builder().max_download_bytes(256 * 1024).build().unwrap();
        let mut sink = Vec::new();
        let error = client.download_to(&format!("{storage}/endless"), &mut sink).await.unwrap_err();
        assert!(matches!(error, Error::DownloadTooLarge { limit: 262144 }), "{error:?}");
        assert!(sink.len() <= 256 * 1024, "{} bytes written past the limit", sink.len());

        let scratch = Scratch::new("endless");
        let error = client.download_to_file(&format!("{storage}/endless"), scratch.path("logs.zip")).await.unwrap_err();
        assert!(matches!(error, Error::DownloadTooLarge { .. }), "{error:?}");
        assert!(scratch.names().is_empty(), "left behind: {:?}", scratch.names());
    })
    .await;
}

#[tokio::test]
async fn download_that_stalls_midway_hits_the_idle_timeout() {
    bounded(async {
        let storage = raw_server(|stream| {
            send_then_stall(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: 100000\r\n\r\n",
                &[b'z'; 2000],
            )
        })
        .await;
        let client = Client::builder().download_idle_timeout(SHORT).build().unwrap();
        let mut sink = Vec::new();
        let error = client.download_to(&format!("{storage}/stalls"), &mut sink).await.unwrap_err();
        assert!(matches!(error, Error::DownloadStalled { idle } if idle == SHORT), "{error:?}");
        assert!(error.to_string().contains("200 ms"), "{error}");

        let scratch = Scratch::new("stall");
        let error = client.download_to_file(&format!("{storage}/stalls"), scratch.path("logs.zip")).await.unwrap_err();
        assert!(matches!(error, Error::DownloadStalled { .. }), "{error:?}");
        assert!(scratch.names().is_empty(), "left behind: {:?}", scratch.names());
    })
    .await;
}

#[tokio::test]
async fn download_whose_server_never_answers_hits_the_idle_timeout() {
    bounded(async {
        let storage = raw_server(|stream| async move {
            tokio::time::sleep(Duration::from_secs(5)).await;
            drop(stream);
        })
        .await;
        let client = Client::builder().download_idle_timeout(SHORT).build().unwrap();
        let error = client.download_to(&format!("{storage}/silent"), &mut Vec::new()).await.unwrap_err();
        assert!(matches!(error, Error::DownloadStalled { .. }), "{error:?}");
    })
    .await;
}

#[test]
fn download_limits_have_documented_defaults() {
    assert_eq!(ClientBuilder::DEFAULT_MAX_DOWNLOAD_BYTES, 4 * 1024 * 1024 * 1024);
    assert_eq!(ClientBuilder::DEFAULT_DOWNLOAD_IDLE_TIMEOUT, Duration::from_secs(60));
}

// ---------------------------------------------------------------------------------
// 4. The download's temporary file
// ---------------------------------------------------------------------------------

#[cfg(unix)]
#[tokio::test]
async fn symlink_at_the_old_temporary_name_is_not_followed() {
    bounded(async {
        let storage = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(b"fresh archive".to_vec()))
            .mount(&storage)
            .await;
        let scratch = Scratch::new("symlink");
        let victim = scratch.path("victim.txt");
        std::fs::write(&victim, "precious").unwrap();
        let out = scratch.path("logs.zip");
        // The name the temporary file once had, predictable from the output path.
        let planted = scratch.path(&format!("logs.zip.partial-{}", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();

        let written = client(&storage).download_to_file(&format!("{}/blob", storage.uri()), &out).await.unwrap();
        assert_eq!(written, 13);
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious", "the symlink's target was overwritten");
        assert_eq!(std::fs::read_link(&planted).unwrap(), victim, "the planted link was replaced");
        assert!(!std::fs::symlink_metadata(&out).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read(&out).unwrap(), b"fresh archive");
        let expected_names =
            ["logs.zip".to_owned(), format!("logs.zip.partial-{}", std::process::id()), "victim.txt".to_owned()];
        assert_eq!(scratch.names(), expected_names);
    })
    .await;
}

#[tokio::test]
async fn a_directory_as_the_output_path_leaves_nothing_behind() {
    bounded(async {
        let storage = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(b"archive".to_vec()))
            .mount(&storage)
            .await;
        let scratch = Scratch::new("dir");
        std::fs::create_dir(scratch.path("out")).unwrap();
        let error = client(&storage)
            .download_to_file(&format!("{}/blob", storage.uri()), scratch.path("out"))
            .await
            .unwrap_err();
        assert!(matches!(error, Error::InvalidParameter { name: "path", .. }), "{error:?}");
        assert_eq!(scratch.names(), ["out"]);
        assert_eq!(std::fs::read_dir(scratch.path("out")).unwrap().count(), 0);
    })
    .await;
}

#[tokio::test]
async fn failed_downloads_leave_no_temporary_file() {
    bounded(async {
        let storage = MockServer::start().await;
        Mock::given(path("/gone")).respond_with(ResponseTemplate::new(410)).mount(&storage).await;
        Mock::given(path("/big"))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![b'x'; 4096]))
            .mount(&storage)
            .await;
        let scratch = Scratch::new("failures");
        std::fs::write(scratch.path("logs.zip"), "older logs").unwrap();
        let client = builder(&storage).max_download_bytes(1024).build().unwrap();

        let gone =
            client.download_to_file(&format!("{}/gone", storage.uri()), scratch.path("logs.zip")).await.unwrap_err();
        assert!(gone.is_gone(), "{gone:?}");
        let big =
            client.download_to_file(&format!("{}/big", storage.uri()), scratch.path("logs.zip")).await.unwrap_err();
        assert!(matches!(big, Error::DownloadTooLarge { limit: 1024 }), "{big:?}");
        let unreachable =
            client.download_to_file(&format!("{}/x", closed_port()), scratch.path("logs.zip")).await.unwrap_err();
        assert!(matches!(unreachable, Error::Transport(_)), "{unreachable:?}");

        assert_eq!(scratch.names(), ["logs.zip"]);
        assert_eq!(std::fs::read_to_string(scratch.path("logs.zip")).unwrap(), "older logs");
    })
    .await;
}

#[tokio::test]
async fn a_cancelled_download_leaves_no_temporary_file() {
    bounded(async {
        let storage = raw_server(|stream| {
            send_then_stall(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: 100000\r\n\r\n",
                b"PK",
            )
        })
        .await;
        let scratch = Scratch::new("cancel");
        let client = Client::builder().build().unwrap();
        let url = format!("{storage}/slow");
        let download = client.download_to_file(&url, scratch.path("logs.zip"));
        assert!(tokio::time::timeout(SHORT, download).await.is_err(), "the download should still be waiting");
        assert!(scratch.names().is_empty(), "left behind: {:?}", scratch.names());
    })
    .await;
}

// ---------------------------------------------------------------------------------
// 5. Where the token and credentials go
// ---------------------------------------------------------------------------------

#[tokio::test]
async fn a_hop_back_to_the_api_chosen_by_another_host_gets_no_token() {
    bounded(async {
        let api = MockServer::start().await;
        let storage = MockServer::start().await;
        Mock::given(path("/logs"))
            .respond_with(
                ResponseTemplate::new(302).insert_header("location", format!("{}/blob", storage.uri()).as_str()),
            )
            .mount(&api)
            .await;
        Mock::given(path("/blob"))
            .respond_with(
                ResponseTemplate::new(302).insert_header("location", format!("{}/collect", api.uri()).as_str()),
            )
            .mount(&storage)
            .await;
        Mock::given(path("/collect"))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(b"zip".to_vec()))
            .mount(&api)
            .await;

        let mut sink = Vec::new();
        let written = client(&api).download_to(&format!("{}/logs", api.uri()), &mut sink).await.unwrap();
        assert_eq!((written, sink.as_slice()), (3, b"zip".as_slice()));

        let at_api = received(&api).await;
        assert_eq!(at_api.len(), 2);
        assert_eq!(
            authorizations(&at_api[0]),
            [format!("Bearer {TOKEN}")],
            "the API's own first hop carries the token"
        );
        assert!(authorizations(&at_api[1]).is_empty(), "a hop chosen by the storage host carried the token");
        assert!(received(&storage).await.iter().all(|r| authorizations(r).is_empty()));
    })
    .await;
}

#[tokio::test]
async fn credentials_in_a_next_link_do_not_add_a_second_authorization() {
    bounded(async {
        let server = MockServer::start().await;
        let next = server.uri().replacen("http://", "http://intruder:pa55@", 1) + "/repos/o/r/actions/runs?page=2";
        Mock::given(path("/repos/o/r/actions/runs"))
            .and(query_param("page", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(runs_page(&[2])))
            .mount(&server)
            .await;
        Mock::given(path("/repos/o/r/actions/runs"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("link", format!("<{next}>; rel=\"next\"").as_str())
                    .set_body_json(runs_page(&[1])),
            )
            .mount(&server)
            .await;
        let runs: Vec<_> =
            client(&server).actions().list_workflow_runs_for_repo("o", "r").stream().take(10).collect().await;
        assert_eq!(runs.len(), 2);
        assert!(runs.iter().all(Result::is_ok), "{runs:?}");
        for request in received(&server).await {
            assert_eq!(authorizations(&request), [format!("Bearer {TOKEN}")], "{}", request.url);
        }
    })
    .await;
}

#[test]
fn the_token_is_redacted_in_debug_output() {
    let client = Client::builder().token(TOKEN).build().unwrap();
    let shown = format!("{client:?}");
    // The header built from it is marked sensitive too (a unit test of `client.rs`).
    assert!(shown.contains("auth: Some(StaticToken(SecretToken(***)))"), "{shown}");
    assert!(!shown.contains(TOKEN), "{shown}");
}

#[test]
fn credentials_in_a_base_url_are_refused_without_being_repeated() {
    let bases = [
        "https://octo:hunter2@ghe.example.com/api/v3",
        "https://octo:hunter2@not a host/api/v3",
        "https://hunter2@ghe.example.com",
        "https:octo:hunter2@ghe.example.com/api/v3",
        "octo:hunter2@ghe.example.com/api/v3",
        "https://octo:hunter2@ghe.example.com/api/v3?x=1",
    ];
    for base in bases {
        let builder = Client::builder().base_url(base).token(TOKEN);
        let shown = format!("{builder:?}");
        assert!(!shown.contains("hunter2"), "credentials in Debug output: {shown}");
        let error = builder.build().unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{base}: {error:?}");
        let shown = format!("{error} / {error:?}");
        assert!(!shown.contains("hunter2") && !shown.contains(TOKEN), "credentials in an error: {shown}");
    }
}

#[tokio::test]
async fn transport_errors_show_neither_credentials_nor_signatures() {
    bounded(async {
        let closed = closed_port();
        let signed =
            format!("{}/archive.zip?sig=S1gnatureValue&se=2030", closed.replacen("http://", "http://user:hunter2@", 1));
        let error = Client::builder().build().unwrap().download_to(&signed, &mut Vec::new()).await.unwrap_err();
        assert!(matches!(error, Error::Transport(_)), "{error:?}");
        let shown = format!("{error} / {error:?}");
        assert!(!shown.contains("hunter2") && !shown.contains("S1gnature"), "secret in an error: {shown}");
        assert!(shown.contains("/archive.zip"), "the error should still say which URL failed: {shown}");
    })
    .await;
}

// ---------------------------------------------------------------------------------
// 6. Text meant for a terminal
// ---------------------------------------------------------------------------------

#[test]
fn escape_controls_neutralises_what_terminals_act_on() {
    let cases = [
        ("plain name", "plain name"),
        ("tab\there", "tab\\there"),
        ("line\nbreak\r\n", "line\\nbreak\\r\\n"),
        ("\u{1b}[2J\u{1b}]0;title\u{7}", "\\u{1b}[2J\\u{1b}]0;title\\u{7}"),
        ("nul\0del\u{7f}", "nul\\u{0}del\\u{7f}"),
        ("c1 \u{85}\u{9b}31m", "c1 \\u{85}\\u{9b}31m"),
        ("evil\u{202e}gnp.exe", "evil\\u{202e}gnp.exe"),
        ("\u{2066}a\u{2067}b\u{2068}c\u{2069}", "\\u{2066}a\\u{2067}b\\u{2068}c\\u{2069}"),
        (
            "\u{202a}\u{202b}\u{202c}\u{202d}\u{200e}\u{200f}\u{61c}",
            "\\u{202a}\\u{202b}\\u{202c}\\u{202d}\\u{200e}\\u{200f}\\u{61c}",
        ),
        ("ünïcödé ✓ 日本 back\\slash", "ünïcödé ✓ 日本 back\\slash"),
    ];
    for (raw, want) in cases {
        let escaped = escape_controls(raw);
        assert_eq!(escaped, want, "{raw:?}");
        assert!(!has_controls(&escaped) && !escaped.contains('\n'), "{escaped:?}");
    }
    assert!(matches!(escape_controls("nothing to do"), std::borrow::Cow::Borrowed(_)));
}

#[tokio::test]
async fn errors_escape_the_server_text_they_quote() {
    bounded(async {
        let server = MockServer::start().await;
        let hostile = "Not Found\u{1b}[2J\u{1b}]0;owned\u{7}\nfake: line\u{202e}\u{9b}";
        Mock::given(path("/repos/o/r/actions/runs/1"))
            .respond_with(
                ResponseTemplate::new(404)
                    .set_body_json(json!({ "message": hostile, "documentation_url": "https://x\u{1b}[31m" })),
            )
            .mount(&server)
            .await;
        Mock::given(path("/repos/o/r/actions/runs/2"))
            .respond_with(ResponseTemplate::new(502).set_body_raw(format!("<h1>{hostile}</h1>"), "text/html"))
            .mount(&server)
            .await;
        Mock::given(path("/repos/o/r/actions/runs/3"))
            .respond_with(
                ResponseTemplate::new(200).set_body_raw(format!("{{\"id\": \"{hostile}\"}}"), "application/json"),
            )
            .mount(&server)
            .await;
        Mock::given(path("/repos/o/r/actions/runs/4"))
            .respond_with(ResponseTemplate::new(429).set_body_json(github_error(hostile)))
            .mount(&server)
            .await;
        Mock::given(path("/repos/o/r/actions/runs/5"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "id": hostile })))
            .mount(&server)
            .await;
        let client = client(&server);
        for id in 1..=5 {
            let error = client.actions().get_workflow_run("o", "r", id).send().await.unwrap_err();
            let shown = error.to_string();
            assert!(!has_controls(&shown) && !shown.contains('\n'), "run {id}: control characters in {shown:?}");
            assert!(shown.contains("\\u{1b}[2J"), "run {id}: the escape should stay visible: {shown}");
        }
    })
    .await;
}

/// The `runs` example, which `cargo test` builds next to the test binaries.
fn runs_example() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let profile_dir = exe.parent().and_then(Path::parent).expect("the target profile directory");
    let example = profile_dir.join("examples").join(format!("runs{}", std::env::consts::EXE_SUFFIX));
    assert!(
        example.exists(),
        "{} is missing: run `cargo test` (which builds the examples) or `cargo build --examples`",
        example.display()
    );
    example
}

#[tokio::test]
async fn the_runs_example_prints_escaped_server_text() {
    bounded(async {
        let server = MockServer::start().await;
        let forged = "Fix\n999\tcompleted\tsuccess\tforged row\u{1b}[2J\u{1b}]8;;http://evil\u{7}\u{202e}txt.exe";
        let page = json!({ "total_count": 1, "workflow_runs": [run(1, forged)] });
        Mock::given(path("/repos/o/r/actions/runs"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page))
            .mount(&server)
            .await;
        Mock::given(path("/repos/o/r/actions/runs/1"))
            .respond_with(ResponseTemplate::new(200).set_body_json(run(1, forged)))
            .mount(&server)
            .await;
        Mock::given(path("/repos/o/r/actions/runs/2"))
            .respond_with(
                ResponseTemplate::new(404)
                    .insert_header("x-github-request-id", "AB\tCD")
                    .set_body_json(github_error(forged)),
            )
            .mount(&server)
            .await;

        let example = runs_example();
        let run_example = |args: &[&str]| {
            let mut command = std::process::Command::new(&example);
            command.env_remove("GITHUB_TOKEN").arg("--base-url").arg(server.uri()).args(args);
            tokio::task::spawn_blocking(move || command.output().expect("run the example"))
        };

        for args in [&["list", "o", "r"][..], &["list", "o", "r", "--all"], &["get", "o", "r", "1"]] {
            let output = run_example(args).await.unwrap();
            assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
            let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
            assert_eq!(stdout.lines().count(), 1, "{args:?}: a run name forged rows: {stdout:?}");
            let columns = if args[0] == "get" { 5 } else { 4 };
            assert_eq!(
                stdout.trim_end().split('\t').count(),
                columns,
                "{args:?}: a run name forged columns: {stdout:?}"
            );
            for column in stdout.trim_end().split('\t') {
                assert!(!has_controls(column), "{args:?}: control characters reached the terminal: {stdout:?}");
            }
        }

        let output = run_example(&["get", "o", "r", "2"]).await.unwrap();
        assert!(!output.status.success());
        let stderr = String::from_utf8(output.stderr).expect("UTF-8 output");
        assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
        assert!(!has_controls(stderr.trim_end()), "control characters reached the terminal: {stderr:?}");
    })
    .await;
}

#[tokio::test]
async fn the_runs_example_stops_at_a_page_loop() {
    bounded(async {
        let server = MockServer::start().await;
        let first = format!("{}/repos/o/r/actions/runs", server.uri());
        Mock::given(path("/repos/o/r/actions/runs"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("link", format!("<{first}>; rel=\"next\"").as_str())
                    .set_body_json(runs_page(&[1])),
            )
            .mount(&server)
            .await;
        let mut command = std::process::Command::new(runs_example());
        command.env_remove("GITHUB_TOKEN").args(["--base-url", &server.uri(), "list", "o", "r", "--all"]);
        let output = tokio::task::spawn_blocking(move || command.output().expect("run the example")).await.unwrap();
        assert_eq!(output.status.code(), Some(1));
        assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 1);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("pagination loop"), "{stderr}");
        assert_eq!(received(&server).await.len(), 1);
    })
    .await;
}

// ---------------------------------------------------------------------------------
// 7. What slow bodies and oversized headers are reported as
// ---------------------------------------------------------------------------------

#[tokio::test]
async fn a_body_slower_than_the_timeout_is_a_timeout() {
    bounded(async {
        let api = raw_server(|stream| {
            send_then_stall(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n",
                b"{\"id\": ",
            )
        })
        .await;
        let client = Client::builder().base_url(&api).timeout(Some(SHORT)).build().unwrap();
        let error = client.actions().get_workflow_run("o", "r", 1).send().await.unwrap_err();
        assert!(matches!(error, Error::Timeout(_)), "{error:?}");
        let shown = error.to_string();
        assert!(shown.contains("timed out") && !shown.contains("decoding"), "{shown}");
        assert!(shown.contains("reading the response body") && shown.contains("/repos/o/r/actions/runs/1"), "{shown}");
    })
    .await;
}

#[tokio::test]
async fn an_oversized_header_says_so() {
    bounded(async {
        let api = raw_server(|mut stream| async move {
            let mut response = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nLink: <".to_vec();
            response.extend(std::iter::repeat_n(b'a', 1024 * 1024));
            response.extend_from_slice(b">; rel=\"next\"\r\nContent-Length: 2\r\n\r\n{}");
            let _ = stream.write_all(&response).await;
            let _ = stream.flush().await;
        })
        .await;
        let client = Client::builder().base_url(&api).build().unwrap();
        let error = client.actions().get_workflow_run("o", "r", 1).send().await.unwrap_err();
        assert!(matches!(error, Error::Transport(_)), "{error:?}");
        let shown = error.to_string();
        assert!(shown.contains("too large"), "the cause is missing: {shown}");
    })
    .await;
}
