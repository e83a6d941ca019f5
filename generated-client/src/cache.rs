//! Conditional requests: a bounded in-memory cache of `GET` responses that carry an
//! `ETag` (or `Last-Modified`), revalidated with `If-None-Match` (or
//! `If-Modified-Since`), so that an unchanged resource costs a `304 Not Modified` and
//! no body.

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, ETAG, LAST_MODIFIED};
use std::collections::hash_map::RandomState;
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;
use std::sync::{Arc, Mutex, PoisonError};

/// A bounded cache of `GET` responses for conditional requests, given to
/// [`ClientBuilder::conditional_requests`](crate::ClientBuilder::conditional_requests).
///
/// Each entry is keyed by the full request URL (query included) and the identity of
/// the credentials it was fetched with: 128 bits of hashes of the token, the `Accept`
/// header and every header or query parameter that carries a credential, keyed with
/// random keys of this cache, so no credential is ever stored and two never share an
/// entry (one cache may serve several clients).
/// Only `200` responses to `GET` requests on the API's origin that carry an `ETag` or
/// `Last-Modified` are stored.
///
/// Bounded by entry count and by total bytes (bodies, headers and URLs); a response
/// larger than the byte bound is not stored; when full, the entry used least recently
/// is evicted. Clones share the entries.
#[derive(Clone)]
pub struct ResponseCache {
    shared: Arc<Shared>,
}

struct Shared {
    /// Key the two hashes of credentials: per cache, random, never shown.
    keys: [RandomState; 2],
    max_entries: usize,
    max_bytes: usize,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    entries: HashMap<Key, Entry>,
    /// Entries by last use (a counter), oldest first.
    by_use: BTreeMap<u64, Key>,
    bytes: usize,
    clock: u64,
}

/// Who a client is to the cache: two independently keyed 64-bit hashes of its
/// credentials, so that two tokens sharing an entry is out of reach.
pub(crate) type Identity = (u64, u64);

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    identity: Identity,
    url: String,
}

/// One stored response.
#[derive(Clone)]
pub(crate) struct Entry {
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    size: usize,
    used: u64,
}

impl Entry {
    /// The request headers that ask whether this entry is still current.
    pub(crate) fn validators(&self) -> Vec<(&'static str, String)> {
        let text = |name| self.headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok()).map(str::to_owned);
        match (text(ETAG), text(LAST_MODIFIED)) {
            (Some(etag), _) => vec![("if-none-match", etag)],
            (None, Some(date)) => vec![("if-modified-since", date)],
            (None, None) => Vec::new(),
        }
    }
}

impl std::fmt::Debug for ResponseCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Counts only: URLs may name private repositories.
        f.debug_struct("ResponseCache")
            .field("entries", &self.len())
            .field("bytes", &self.bytes())
            .field("max_entries", &self.shared.max_entries)
            .field("max_bytes", &self.shared.max_bytes)
            .finish()
    }
}

impl ResponseCache {
    /// The total size used when none is given: 16 MiB.
    pub const DEFAULT_MAX_BYTES: usize = 16 * 1024 * 1024;

    /// A cache of at most `max_entries` responses and
    /// [`ResponseCache::DEFAULT_MAX_BYTES`] in all.
    pub fn new(max_entries: usize) -> Self {
        ResponseCache::with_limits(max_entries, Self::DEFAULT_MAX_BYTES)
    }

    /// A cache of at most `max_entries` responses and `max_bytes` in all.
    pub fn with_limits(max_entries: usize, max_bytes: usize) -> Self {
        ResponseCache {
            shared: Arc::new(Shared { keys: [RandomState::new(), RandomState::new()], max_entries, max_bytes, state: Mutex::new(State::default()) }),
        }
    }

    /// How many responses are stored.
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes stored (bodies, headers and URLs).
    pub fn bytes(&self) -> usize {
        self.lock().bytes
    }

    /// Forgets every response.
    pub fn clear(&self) {
        *self.lock() = State::default();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is consistent between statements; a panic elsewhere cannot break it.
        self.shared.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The identity of a client's credentials: a keyed hash, never the token. The
    /// headers marked sensitive carry credentials too (an API key, a cookie): they are
    /// hashed with the token, in name order.
    pub(crate) fn identity(&self, credentials: Option<&[u8]>, headers: &HeaderMap) -> Identity {
        let accept = headers.get(reqwest::header::ACCEPT).map(HeaderValue::as_bytes);
        let mut sensitive: Vec<(&str, &[u8])> =
            headers.iter().filter(|(_, value)| value.is_sensitive()).map(|(name, value)| (name.as_str(), value.as_bytes())).collect();
        sensitive.sort_unstable();
        let credentials = (credentials, accept, sensitive);
        let [first, second] = &self.shared.keys;
        (first.hash_one(&credentials), second.hash_one(&credentials))
    }

    /// The stored response for `url` under `identity`, marked as used.
    pub(crate) fn get(&self, identity: Identity, url: &str) -> Option<Entry> {
        let mut state = self.lock();
        let key = Key { identity, url: url.to_owned() };
        let tick = state.tick();
        let entry = state.entries.get_mut(&key)?;
        let old = std::mem::replace(&mut entry.used, tick);
        let entry = entry.clone();
        state.by_use.remove(&old);
        state.by_use.insert(tick, key);
        Some(entry)
    }

    /// Forgets the response for `url` under `identity` (the resource is gone).
    pub(crate) fn forget(&self, identity: Identity, url: &str) {
        self.lock().remove(&Key { identity, url: url.to_owned() });
    }

    /// Stores a `200` response for `url` under `identity`, when it has a validator and
    /// fits; evicts the least recently used entries to make room.
    pub(crate) fn put(&self, identity: Identity, url: &str, headers: &HeaderMap, body: Bytes) {
        if !headers.contains_key(ETAG) && !headers.contains_key(LAST_MODIFIED) {
            return;
        }
        let header_bytes = headers.iter().fold(0usize, |sum, (name, value)| sum.saturating_add(name.as_str().len()).saturating_add(value.len()));
        let size = body.len().saturating_add(header_bytes).saturating_add(url.len());
        let mut state = self.lock();
        let key = Key { identity, url: url.to_owned() };
        state.remove(&key);
        if size > self.shared.max_bytes || self.shared.max_entries == 0 {
            return;
        }
        while state.entries.len() >= self.shared.max_entries || state.bytes.saturating_add(size) > self.shared.max_bytes {
            let Some((_, oldest)) = state.by_use.pop_first() else { break };
            state.remove(&oldest);
        }
        let used = state.tick();
        state.bytes = state.bytes.saturating_add(size);
        state.by_use.insert(used, key.clone());
        state.entries.insert(key, Entry { headers: headers.clone(), body, size, used });
    }
}

impl State {
    fn tick(&mut self) -> u64 {
        self.clock = self.clock.wrapping_add(1);
        self.clock
    }

    fn remove(&mut self, key: &Key) {
        if let Some(entry) = self.entries.remove(key) {
            self.by_use.remove(&entry.used);
            self.bytes = self.bytes.saturating_sub(entry.size);
        }
    }
}

/// The headers of a cached response brought up to date by a `304`: the stored ones,
/// with each header the `304` sent replacing the stored one of that name (RFC 9111
/// 4.3.4), so rate-limit headers, the request id and a new `ETag` are the `304`'s.
pub(crate) fn refreshed(stored: &HeaderMap, fresh: &HeaderMap) -> HeaderMap {
    let mut headers = stored.clone();
    for name in fresh.keys() {
        // The `304` has no body: its length and encoding say nothing of the stored one.
        if matches!(name.as_str(), "content-length" | "transfer-encoding" | "content-encoding") {
            continue;
        }
        headers.remove(name);
        for value in fresh.get_all(name) {
            headers.append(name.clone(), value.clone());
        }
    }
    headers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_etag(etag: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(ETAG, HeaderValue::from_str(etag).unwrap());
        headers
    }

    #[test]
    fn least_recently_used_entries_are_evicted_first() {
        let cache = ResponseCache::new(2);
        cache.put((1, 0), "a", &with_etag("\"a\""), Bytes::from_static(b"a"));
        cache.put((1, 0), "b", &with_etag("\"b\""), Bytes::from_static(b"b"));
        assert!(cache.get((1, 0), "a").is_some());
        cache.put((1, 0), "c", &with_etag("\"c\""), Bytes::from_static(b"c"));
        assert_eq!(cache.len(), 2);
        assert!(cache.get((1, 0), "b").is_none(), "b was used least recently");
        assert!(cache.get((1, 0), "a").is_some() && cache.get((1, 0), "c").is_some());
    }

    #[test]
    fn bytes_are_bounded_and_oversized_responses_are_not_stored() {
        let cache = ResponseCache::with_limits(100, 64);
        cache.put((1, 0), "big", &with_etag("\"x\""), Bytes::from(vec![0u8; 64]));
        assert!(cache.is_empty());
        for i in 0..10 {
            cache.put((1, 0), &format!("u{i}"), &with_etag("\"x\""), Bytes::from(vec![0u8; 20]));
            assert!(cache.bytes() <= 64, "{}", cache.bytes());
        }
        // Each entry is 29 bytes (body, `etag: "x"`, URL): two fit.
        assert_eq!(cache.len(), 2);
        assert!(cache.get((1, 0), "u8").is_some() && cache.get((1, 0), "u9").is_some());
    }

    #[test]
    fn entries_are_per_identity_and_need_a_validator() {
        let cache = ResponseCache::new(10);
        cache.put((1, 0), "a", &with_etag("\"a\""), Bytes::new());
        assert!(cache.get((2, 0), "a").is_none());
        cache.put((1, 0), "plain", &HeaderMap::new(), Bytes::new());
        assert!(cache.get((1, 0), "plain").is_none());
        let headers = HeaderMap::new();
        assert_ne!(cache.identity(Some(b"one"), &headers), cache.identity(Some(b"two"), &headers));
        assert_eq!(cache.identity(Some(b"one"), &headers), cache.identity(Some(b"one"), &headers));
        assert_ne!(cache.identity(Some(b"one"), &headers), cache.identity(None, &headers));
        assert_eq!(cache.get((1, 0), "a").unwrap().validators(), vec![("if-none-match", "\"a\"".to_owned())]);
    }

    #[test]
    fn a_304_refreshes_the_stored_headers() {
        let mut stored = with_etag("\"a\"");
        stored.insert("x-ratelimit-remaining", HeaderValue::from_static("10"));
        stored.insert("content-length", HeaderValue::from_static("5"));
        let mut fresh = HeaderMap::new();
        fresh.insert("x-ratelimit-remaining", HeaderValue::from_static("9"));
        fresh.insert("content-length", HeaderValue::from_static("0"));
        let headers = refreshed(&stored, &fresh);
        assert_eq!(headers["x-ratelimit-remaining"], "9");
        assert_eq!(headers["content-length"], "5");
        assert_eq!(headers[ETAG], "\"a\"");
    }
}
