//! A tool outside the client's workspace, built by `tests/outside_tool.rs` with the client
//! as a git dependency: it reads a repository (`GET /repos/{owner}/{repo}`, an endpoint
//! the client's slice of the API lacks) through `Client::request`, from a local server
//! that answers `404` with the API's error body, and prints what it got.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use workflow_runs_client::reqwest::Method;
use workflow_runs_client::{Client, Error};

/// The part of a repository the tool reads.
#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)] // a 404 is expected: the field is never read
struct Repository {
    default_branch: String,
}

/// Answers one request with a `404` and the API's error body; returns the request's
/// head (request line and headers).
fn answer_one(listener: TcpListener) -> Vec<String> {
    let (mut stream, _) = listener.accept().expect("a connection");
    let mut reader = BufReader::new(stream.try_clone().expect("a second handle"));
    let mut head = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).expect("a request line") == 0 || line == "\r\n" {
            break;
        }
        head.push(line.trim_end().to_owned());
    }
    let body = r#"{"message":"Not Found","documentation_url":"https://docs.github.com/rest/repos/repos#get-a-repository"}"#;
    let response = format!(
        "HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\nx-github-request-id: TOOL:1\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(response.as_bytes()).expect("the answer is written");
    head
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
    let address = listener.local_addr().expect("its address");
    let server = std::thread::spawn(move || answer_one(listener));

    let client = Client::builder().base_url(format!("http://{address}")).token("tool-token").build().expect("a client");
    let answer = client
        .request(Method::GET, "/repos/{owner}/{repo}")
        .path("owner", "octo-org")
        .path("repo", "a/b")
        .send::<Repository>()
        .await;

    let head = server.join().expect("the server thread");
    println!("request line: {}", head.first().map_or("", String::as_str));
    println!("authorized: {}", head.iter().any(|line| line.eq_ignore_ascii_case("authorization: Bearer tool-token")));
    let error = match answer {
        Ok(repository) => {
            println!("unexpected success: {repository:?}");
            std::process::exit(1);
        }
        Err(error) => error,
    };
    let message = match &error {
        Error::Api(api) => api.message.as_str(),
        _ => "(not the API's error)",
    };
    let status = error.status().map(|status| status.as_u16());
    println!("typed error: not found {}, status {status:?}, message {message:?}, request id {:?}", error.is_not_found(), error.request_id());
}
