//! Conditional requests (`ClientBuilder::conditional_requests`): what is sent, what a
//! `304` turns into, and what the cache keeps apart and evicts.

mod fixtures;

use fixtures::{builder, received, runs_page, workflow_run, ConditionalResource, TOKEN};
use futures_util::StreamExt;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use workflow_runs_client::{Client, ResponseCache};

const RUN: &str = "/repos/o/r/actions/runs/7";

fn if_none_match(request: &wiremock::Request) -> Option<&str> {
    request.headers.get("if-none-match").and_then(|v| v.to_str().ok())
}

/// A server with run 7 served conditionally.
async fn server_with_run() -> (MockServer, ConditionalResource) {
    let server = MockServer::start().await;
    let resource = ConditionalResource::new(workflow_run(7));
    answer_run_with(&server, resource.clone()).await;
    (server, resource)
}

/// Makes `server` answer every request for run 7 with `answer`, and nothing else.
async fn answer_run_with(server: &MockServer, answer: impl wiremock::Respond + 'static) {
    server.reset().await;
    Mock::given(method("GET")).and(path(RUN)).respond_with(answer).mount(server).await;
}

/// A server with run 7, and a caching client that has read it once.
async fn cached_run() -> (MockServer, ConditionalResource, ResponseCache, Client) {
    let (server, resource) = server_with_run().await;
    let cache = ResponseCache::new(16);
    let client = caching_client(&server, &cache);
    client.actions().get_workflow_run("o", "r", 7).send().await.unwrap();
    (server, resource, cache, client)
}

fn caching_client(server: &MockServer, cache: &ResponseCache) -> Client {
    builder(server).conditional_requests(cache.clone()).build().unwrap()
}

#[tokio::test]
async fn an_unchanged_run_is_revalidated_and_read_from_the_cache() {
    let (server, resource) = server_with_run().await;
    let cache = ResponseCache::new(16);
    let client = caching_client(&server, &cache);

    let first = client.actions().get_workflow_run("o", "r", 7).send().await.unwrap();
    let second = client.actions().get_workflow_run("o", "r", 7).send().await.unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(if_none_match(&requests[0]), None, "nothing to revalidate yet");
    assert_eq!(if_none_match(&requests[1]), Some(resource.etag().as_str()));
    assert_eq!(resource.not_modified(), 1, "the second answer was a 304");
    // The `304` came back as the cached `200`, typed, with the `304`'s budget.
    assert_eq!(second.status().as_u16(), 200);
    assert_eq!(second.id, 7);
    assert_eq!(*second, *first);
    assert_eq!(second.rate_limit().map(|limit| limit.remaining), Some(ConditionalResource::LIMIT - 1));
    assert_eq!(resource.units_used(), 1);
    assert_eq!(cache.len(), 1);
    assert!(!first.from_cache(), "the first answer came in full");
    assert!(second.from_cache(), "the second is the kept answer");
}

#[tokio::test]
async fn a_deleted_run_is_forgotten() {
    let (server, _, cache, client) = cached_run().await;
    assert_eq!(cache.len(), 1);

    answer_run_with(&server, ResponseTemplate::new(404)).await;
    let error = client.actions().get_workflow_run("o", "r", 7).send().await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    assert!(cache.is_empty(), "a 404 forgets the stored run");

    // Served again: asked for unconditionally, as a run never seen.
    answer_run_with(&server, ConditionalResource::new(workflow_run(7))).await;
    client.actions().get_workflow_run("o", "r", 7).send().await.unwrap();
    assert_eq!(if_none_match(&received(&server).await[0]), None);
}

#[tokio::test]
async fn a_changed_run_is_fetched_anew_and_replaces_the_entry() {
    let (server, resource, _, client) = cached_run().await;
    let old_etag = resource.etag();
    let mut changed = workflow_run(7);
    changed["status"] = serde_json::json!("completed");
    resource.update(changed);

    let fresh = client.actions().get_workflow_run("o", "r", 7).send().await.unwrap();
    assert_eq!(fresh.status.as_ref().map(|s| s.to_string()).as_deref(), Some("completed"));
    assert!(!fresh.from_cache(), "a changed run is the server's new answer");
    let again = client.actions().get_workflow_run("o", "r", 7).send().await.unwrap();
    assert_eq!(*again, *fresh);
    assert!(again.from_cache() && again.map(|run| run.id).from_cache(), "kept through `map`");

    let requests = received(&server).await;
    assert_eq!(if_none_match(&requests[1]), Some(old_etag.as_str()));
    assert_eq!(if_none_match(&requests[2]), Some(resource.etag().as_str()), "the new ETag replaced the old");
    assert_eq!((resource.units_used(), resource.not_modified()), (2, 1));
}

#[tokio::test]
async fn clients_with_different_tokens_never_share_entries() {
    let (server, _resource) = server_with_run().await;
    let cache = ResponseCache::new(16);
    let first = caching_client(&server, &cache);
    let other = Client::builder()
        .base_url(server.uri())
        .token("ghp_AnotherToken")
        .conditional_requests(cache.clone())
        .build()
        .unwrap();
    first.actions().get_workflow_run("o", "r", 7).send().await.unwrap();
    other.actions().get_workflow_run("o", "r", 7).send().await.unwrap();
    // The same token in another client shares the first one's entry.
    let same = caching_client(&server, &cache);
    same.actions().get_workflow_run("o", "r", 7).send().await.unwrap();

    let requests = received(&server).await;
    assert_eq!(if_none_match(&requests[1]), None, "the other token revalidated the first one's response");
    assert!(if_none_match(&requests[2]).is_some());
    assert_eq!(cache.len(), 2);
    let shown = format!("{cache:?}");
    assert!(!shown.contains(TOKEN) && !shown.contains("/repos/"), "{shown}");
}

#[tokio::test]
async fn the_entry_bound_evicts_the_least_recently_used() {
    let server = MockServer::start().await;
    for id in [1, 2] {
        let resource = ConditionalResource::new(workflow_run(id));
        Mock::given(method("GET"))
            .and(path(format!("/repos/o/r/actions/runs/{id}")))
            .respond_with(resource)
            .mount(&server)
            .await;
    }
    let cache = ResponseCache::new(1);
    let client = caching_client(&server, &cache);
    for id in [1, 2, 1] {
        client.actions().get_workflow_run("o", "r", id).send().await.unwrap();
    }
    let requests = received(&server).await;
    assert_eq!(if_none_match(&requests[2]), None, "run 1 was evicted for run 2");
    assert_eq!(cache.len(), 1);
}

#[tokio::test]
async fn without_opting_in_nothing_is_conditional() {
    let (server, resource) = server_with_run().await;
    let client = builder(&server).build().unwrap();
    for _ in 0..3 {
        client.actions().get_workflow_run("o", "r", 7).send().await.unwrap();
    }
    assert!(received(&server).await.iter().all(|r| if_none_match(r).is_none()));
    assert_eq!(resource.units_used(), 3);
}

#[tokio::test]
async fn posts_and_uncacheable_answers_are_never_conditional() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202).insert_header("etag", "\"p\"").set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    // A `200` without a validator is not kept.
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(workflow_run(7)))
        .mount(&server)
        .await;
    let cache = ResponseCache::new(16);
    let client = caching_client(&server, &cache);
    for _ in 0..2 {
        client.actions().cancel_workflow_run("o", "r", 7).send().await.unwrap();
        client.actions().get_workflow_run("o", "r", 7).send().await.unwrap();
    }
    assert!(received(&server).await.iter().all(|r| if_none_match(r).is_none()));
    assert!(cache.is_empty());
}

#[tokio::test]
async fn paginated_listings_revalidate_each_page() {
    let server = MockServer::start().await;
    let page = ConditionalResource::new(runs_page(2, &[1, 2]));
    Mock::given(method("GET")).and(path("/repos/o/r/actions/runs")).respond_with(page.clone()).mount(&server).await;
    let cache = ResponseCache::new(16);
    let client = caching_client(&server, &cache);
    for _ in 0..2 {
        let ids: Vec<i64> =
            client.actions().list_workflow_runs_for_repo("o", "r").stream().map(|r| r.unwrap().id).collect().await;
        assert_eq!(ids, [1, 2]);
    }
    let requests = received(&server).await;
    assert_eq!(if_none_match(&requests[1]), Some(page.etag().as_str()));
    assert_eq!((page.units_used(), page.not_modified()), (1, 1));
}
