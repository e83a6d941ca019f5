//! The conditional-request cache's byte bound, measured in real memory: this binary
//! counts every allocation, so what the cache keeps alive shows whole, including any
//! buffer a kept slice would hold on to. A binary of its own: the count is process-wide.

mod fixtures;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};
use workflow_runs_client::ResponseCache;

/// The system allocator, counting the bytes currently allocated.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; only counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `layout` is the system allocator's.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let pointer = unsafe { System.alloc_zeroed(layout) };
        if !pointer.is_null() {
            LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: `pointer` was allocated by `System` with `layout`.
        unsafe { System.dealloc(pointer, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `pointer` was allocated by `System` with `layout`.
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            LIVE.fetch_add(new_size, Ordering::Relaxed);
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Small answers with GitHub's headers: a 190-byte body (an empty list, padded), a weak
/// `ETag` per URL, the rate-limit headers and a request id.
struct SmallAnswers;

impl Respond for SmallAnswers {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let body = format!("[{}]", " ".repeat(188));
        ResponseTemplate::new(200)
            .set_body_raw(body, "application/json; charset=utf-8")
            .insert_header("etag", format!("W/\"{:x}\"", request.url.path().len() * 7919).as_str())
            .insert_header("cache-control", "private, max-age=60, s-maxage=60")
            .insert_header("vary", "Accept, Authorization, Cookie, X-GitHub-OTP")
            .insert_header("x-github-api-version-selected", "2022-11-28")
            .insert_header("x-ratelimit-limit", "5000")
            .insert_header("x-ratelimit-remaining", "4999")
            .insert_header("x-ratelimit-reset", "4102444800")
            .insert_header("x-ratelimit-used", "1")
            .insert_header("x-ratelimit-resource", "core")
            .insert_header("x-github-request-id", "0400:1F2E3D:4C5B6A:798877:66554433")
    }
}

/// The bound of the measured cache: 1 MiB, some hundreds of small entries.
const BOUND: usize = 1024 * 1024;
/// Responses read through it.
const RESPONSES: usize = 10_000;

/// Fills a cache bounded at [`BOUND`] with [`RESPONSES`] small responses read from a
/// server, then clears it: the bytes that clearing frees are what the cache held. They
/// must not exceed what it counted, which must not exceed its bound. A kept header value
/// or body that is a slice of the connection's read buffer keeps that whole buffer, which
/// the count missed (11 KiB held per entry where 664 bytes were counted: 17 MB under a
/// 1 MiB bound). Print the measurement with `-- --nocapture`.
#[tokio::test]
async fn ten_thousand_kept_responses_hold_no_more_memory_than_counted() {
    let server = MockServer::builder().disable_request_recording().start().await;
    Mock::given(method("GET"))
        .and(path_regex(r"^/repos/o/r/actions/runs/\d+/pending_deployments$"))
        .respond_with(SmallAnswers)
        .mount(&server)
        .await;
    let cache = ResponseCache::with_limits(usize::MAX, BOUND);
    let client = fixtures::builder(&server).conditional_requests(cache.clone()).build().unwrap();
    // The connection, the pool and the runtime's own first allocations come before the count.
    client.actions().get_pending_deployments_for_run("o", "r", 0).send().await.unwrap();
    cache.clear();

    for id in 1..=RESPONSES {
        let id = i64::try_from(id).unwrap();
        let answer = client.actions().get_pending_deployments_for_run("o", "r", id).send().await.unwrap();
        assert!(answer.is_empty());
    }
    let (entries, counted) = (cache.len(), cache.bytes());
    let before = LIVE.load(Ordering::SeqCst);
    cache.clear();
    let held = before.saturating_sub(LIVE.load(Ordering::SeqCst));

    eprintln!(
        "{entries} entries kept of {RESPONSES}: {counted} bytes counted ({} per entry), {held} bytes held ({} per entry)",
        counted / entries.max(1),
        held / entries.max(1)
    );
    assert!(entries > 100, "{entries} entries: the bound should hold hundreds");
    assert!(counted <= BOUND, "{counted} bytes counted, bound {BOUND}");
    assert!(held <= counted, "{held} bytes held, only {counted} counted ({entries} entries)");
}
