//! Conditional requests: a bounded in-memory cache of `GET` responses that carry an
//! `ETag` (or `Last-Modified`), revalidated with `If-None-Match` (or
//! `If-Modified-Since`), so that an unchanged resource costs a `304 Not Modified` and
//! no body.

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ETAG, LAST_MODIFIED};
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
/// Bounded by entry count and by the memory its entries take (see
/// [`ResponseCache::bytes`]); a response larger than the byte bound is not stored; when
/// full, the entry used least recently is evicted. What an entry keeps is a copy of
/// exactly its bytes, never a slice of the buffer the response was read into, so the
/// bound is what the cache holds. Clones share the entries.
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

/// Bookkeeping memory per entry beyond the bytes it keeps: its slot in the hash table
/// (three slots: the table is kept between 7/16 and 7/8 full, see `State::remove`), its
/// place in the use order (a B-tree leaf holds 5 to 11 of them; three slots cover the
/// leaf and the nodes above it), the reference counts its two buffers (body, header
/// text) allocate when first shared, and that of its header list.
const ENTRY_OVERHEAD: usize = 3 * (std::mem::size_of::<(Key, Entry)>() + 1)
    + 3 * std::mem::size_of::<(u64, Key)>()
    + 2 * SHARED_COUNT
    + 2 * std::mem::size_of::<usize>();

/// What a `Bytes` buffer allocates when it is first shared: its reference count, with the
/// pointer and capacity it frees (three words).
const SHARED_COUNT: usize = 3 * std::mem::size_of::<usize>();

/// One stored response.
#[derive(Clone)]
pub(crate) struct Entry {
    pub(crate) headers: StoredHeaders,
    pub(crate) body: Bytes,
    size: usize,
    used: u64,
}

impl Entry {
    /// The request headers that ask whether this entry is still current.
    pub(crate) fn validators(&self) -> Vec<(&'static str, String)> {
        let text = |name: HeaderName| {
            self.headers.get(name.as_str()).and_then(|v| std::str::from_utf8(&v).ok().map(str::to_owned))
        };
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
            shared: Arc::new(Shared {
                keys: [RandomState::new(), RandomState::new()],
                max_entries,
                max_bytes,
                state: Mutex::new(State::default()),
            }),
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

    /// The memory the stored entries take, as counted against the byte bound: their
    /// bodies, headers and URLs (each kept as a copy of exactly those bytes), the tables
    /// that find them and order them by use, and each buffer's reference count. The
    /// allocator's own overhead per allocation is not counted.
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
        let mut sensitive: Vec<(&str, &[u8])> = headers
            .iter()
            .filter(|(_, value)| value.is_sensitive())
            .map(|(name, value)| (name.as_str(), value.as_bytes()))
            .collect();
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
    ///
    /// The body and headers kept are copies: those of a response read from the network
    /// are slices of the connection's read buffer, and a kept slice would keep all of it.
    pub(crate) fn put(&self, identity: Identity, url: &str, headers: &HeaderMap, body: Bytes) {
        if !headers.contains_key(ETAG) && !headers.contains_key(LAST_MODIFIED) {
            return;
        }
        // Copied before the lock: other requests need not wait for it.
        let Some(headers) = StoredHeaders::new(headers) else { return };
        let body = Bytes::copy_from_slice(&body);
        // The URL is kept twice: in the entry's key and in the use order.
        let size = body
            .len()
            .saturating_add(headers.cost())
            .saturating_add(url.len().saturating_mul(2))
            .saturating_add(ENTRY_OVERHEAD);
        let mut state = self.lock();
        let key = Key { identity, url: url.to_owned() };
        state.remove(&key);
        if size > self.shared.max_bytes || self.shared.max_entries == 0 {
            return;
        }
        while state.entries.len() >= self.shared.max_entries || state.bytes.saturating_add(size) > self.shared.max_bytes
        {
            let Some((_, oldest)) = state.by_use.pop_first() else { break };
            state.remove(&oldest);
        }
        let used = state.tick();
        state.bytes = state.bytes.saturating_add(size);
        state.by_use.insert(used, key.clone());
        state.entries.insert(key, Entry { headers, body, size, used });
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
            // A table never shrinks by itself: one sized for many small entries would stay
            // when a few large ones replace them, uncounted. Shrinking once it is less
            // than half used keeps it within what `ENTRY_OVERHEAD` counts per entry; the
            // entries must halve between two shrinks, so each costs O(1) amortized.
            let len = self.entries.len();
            if self.entries.capacity() > len.saturating_mul(2).saturating_add(MIN_TABLE) {
                self.entries.shrink_to(len.max(MIN_TABLE));
            }
        }
    }
}

/// Entries a table keeps room for even when emptier: not worth shrinking below.
const MIN_TABLE: usize = 8;

/// A stored response's headers, compactly: every name and value one after the other in
/// one buffer (a copy, never a slice of the buffer the response was read into), and
/// where each ends. A header map would add about 100 bytes of table per name, more than
/// the text of most headers. Cheap to clone.
#[derive(Clone)]
pub(crate) struct StoredHeaders {
    text: Bytes,
    /// Per header, in order: where its name ends and where its value ends in `text`, and
    /// whether the value is sensitive.
    ends: Arc<[(u32, u32, bool)]>,
}

impl StoredHeaders {
    /// A copy of `headers`; `None` when their text is beyond 4 GiB, which no response
    /// read within a header size limit has.
    fn new(headers: &HeaderMap) -> Option<StoredHeaders> {
        let length = headers
            .iter()
            .try_fold(0usize, |sum, (name, value)| sum.checked_add(name.as_str().len())?.checked_add(value.len()))?;
        // Every offset below is at most `length`, so each `as u32` is exact.
        u32::try_from(length).ok()?;
        let mut text = Vec::with_capacity(length);
        let mut ends = Vec::with_capacity(headers.len());
        for (name, value) in headers {
            text.extend_from_slice(name.as_str().as_bytes());
            let name_end = text.len() as u32;
            text.extend_from_slice(value.as_bytes());
            ends.push((name_end, text.len() as u32, value.is_sensitive()));
        }
        Some(StoredHeaders { text: Bytes::from(text), ends: ends.into() })
    }

    /// Each header's name, value and sensitivity, in order.
    fn iter(&self) -> impl Iterator<Item = (&str, Bytes, bool)> + '_ {
        let mut start = 0usize;
        self.ends.iter().filter_map(move |&(name_end, value_end, sensitive)| {
            let (name_start, name_end, value_end) = (start, name_end as usize, value_end as usize);
            start = value_end;
            // Always in bounds and in order, as `new` wrote them; checked all the same.
            let name = std::str::from_utf8(self.text.get(name_start..name_end)?).ok()?;
            self.text.get(name_end..value_end)?;
            Some((name, self.text.slice(name_end..value_end), sensitive))
        })
    }

    /// The first value of the header `name` (lowercase).
    fn get(&self, name: &str) -> Option<Bytes> {
        self.iter().find(|(stored, _, _)| *stored == name).map(|(_, value, _)| value)
    }

    /// The headers as a map; its values are slices of the stored text.
    fn to_map(&self) -> HeaderMap {
        let mut headers = HeaderMap::with_capacity(self.ends.len());
        for (name, value, sensitive) in self.iter() {
            // Both were valid when stored; nothing else writes them.
            let (Ok(name), Ok(mut value)) =
                (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_maybe_shared(value))
            else {
                continue;
            };
            value.set_sensitive(sensitive);
            headers.append(name, value);
        }
        headers
    }

    /// The memory they take: the text, and the list of where each header ends.
    fn cost(&self) -> usize {
        self.text.len().saturating_add(self.ends.len().saturating_mul(std::mem::size_of::<(u32, u32, bool)>()))
    }
}

/// The headers of a cached response brought up to date by a `304`: the stored ones,
/// with each header the `304` sent replacing the stored one of that name (RFC 9111
/// 4.3.4), so rate-limit headers, the request id and a new `ETag` are the `304`'s.
pub(crate) fn refreshed(stored: &StoredHeaders, fresh: &HeaderMap) -> HeaderMap {
    let mut headers = stored.to_map();
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

/// Appends one length-prefixed part of a client's identity in the response cache to
/// `out`, so that no two lists of parts read the same.
pub(crate) fn identity_part(out: &mut Vec<u8>, fields: &[&[u8]]) {
    for field in fields {
        out.extend_from_slice(&(field.len() as u64).to_le_bytes());
        out.extend_from_slice(field);
    }
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

    /// What one entry of `url`, `headers` and `body` counts.
    fn cost(url: &str, headers: &HeaderMap, body: &[u8]) -> usize {
        let cache = ResponseCache::new(1);
        cache.put((1, 0), url, headers, Bytes::copy_from_slice(body));
        cache.bytes()
    }

    #[test]
    fn bytes_are_bounded_and_oversized_responses_are_not_stored() {
        let one = cost("u0", &with_etag("\"x\""), &[0; 20]);
        // The body, `etag: "x"`, the URL twice, and the entry's bookkeeping.
        assert!(one >= 20 + 7 + 4 + ENTRY_OVERHEAD, "{one}");
        let bound = 2 * one + one / 2;
        let cache = ResponseCache::with_limits(100, bound);
        cache.put((1, 0), "big", &with_etag("\"x\""), Bytes::from(vec![0u8; bound]));
        assert!(cache.is_empty());
        for i in 0..10 {
            cache.put((1, 0), &format!("u{i}"), &with_etag("\"x\""), Bytes::from(vec![0u8; 20]));
            assert!(cache.bytes() <= bound, "{}", cache.bytes());
        }
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.bytes(), 2 * one);
        assert!(cache.get((1, 0), "u8").is_some() && cache.get((1, 0), "u9").is_some());
    }

    #[test]
    fn ten_thousand_entries_keep_copies_not_the_buffers_they_were_cut_from() {
        // Responses as the HTTP client gives them: the body and the header values are
        // slices of one larger read buffer per response.
        const BUFFER: usize = 16 * 1024;
        // The buffers of the last responses stay alive, so that no copy can be put where
        // one of them was: the entries kept are among them.
        const ALIVE: usize = 2_000;
        let bound = 1024 * 1024;
        let cache = ResponseCache::with_limits(usize::MAX, bound);
        let mut buffers = std::collections::VecDeque::new();
        for i in 0..10_000 {
            let mut buffer = vec![b' '; BUFFER];
            buffer[..9].copy_from_slice(format!("W/\"{i:05}\"").as_bytes());
            let buffer = Bytes::from(buffer);
            let mut headers = HeaderMap::new();
            headers.insert(ETAG, HeaderValue::from_maybe_shared(buffer.slice(..9)).unwrap());
            headers.insert("x-ratelimit-remaining", HeaderValue::from_maybe_shared(buffer.slice(9..13)).unwrap());
            cache.put((1, 0), &format!("https://api.example.com/items/{i}"), &headers, buffer.slice(BUFFER - 190..));
            buffers.push_back(buffer);
            if buffers.len() > ALIVE {
                buffers.pop_front();
            }
            assert!(cache.bytes() <= bound, "{} bytes counted after {i} entries", cache.bytes());
        }
        let entries = cache.len();
        assert!((500..ALIVE).contains(&entries), "{entries} entries of about 600 bytes in a MiB");
        let inside = |pointer: *const u8| buffers.iter().any(|buffer| buffer.as_ptr_range().contains(&pointer));
        let state = cache.lock();
        let mut kept = 0;
        for entry in state.entries.values() {
            assert_eq!(entry.body.len(), 190);
            assert!(!inside(entry.body.as_ptr()), "a kept body is a slice of its read buffer");
            assert!(!inside(entry.headers.text.as_ptr()), "kept header text is a slice of its read buffer");
            // What is counted is at least what is kept: the copies are exactly as long.
            kept += entry.body.len() + entry.headers.text.len();
        }
        assert!(kept < state.bytes, "{kept} bytes kept, {} counted", state.bytes);
        assert_eq!(state.entries.values().map(|entry| entry.size).sum::<usize>(), state.bytes);
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
    fn stored_headers_come_back_whole_with_repeated_names_and_sensitivity() {
        let mut headers = with_etag("W/\"a\"");
        headers.append("vary", HeaderValue::from_static("Accept"));
        headers.append("vary", HeaderValue::from_static("Authorization"));
        let mut secret = HeaderValue::from_static("s3cret");
        secret.set_sensitive(true);
        headers.insert("x-custom", secret);
        headers.insert("x-empty", HeaderValue::from_static(""));
        let stored = StoredHeaders::new(&headers).unwrap();
        let map = stored.to_map();
        assert_eq!(map, headers);
        assert!(map["x-custom"].is_sensitive() && !map[ETAG].is_sensitive());
        assert_eq!(map.get_all("vary").iter().collect::<Vec<_>>(), ["Accept", "Authorization"]);
        assert_eq!(stored.get("etag").as_deref(), Some(&b"W/\"a\""[..]));
        assert_eq!(stored.cost(), "etagW/\"a\"varyAcceptvaryAuthorizationx-customs3cretx-empty".len() + 5 * 12);
    }

    #[test]
    fn a_304_refreshes_the_stored_headers() {
        let mut stored = with_etag("\"a\"");
        stored.insert("x-ratelimit-remaining", HeaderValue::from_static("10"));
        stored.insert("content-length", HeaderValue::from_static("5"));
        let mut fresh = HeaderMap::new();
        fresh.insert("x-ratelimit-remaining", HeaderValue::from_static("9"));
        fresh.insert("content-length", HeaderValue::from_static("0"));
        let headers = refreshed(&StoredHeaders::new(&stored).unwrap(), &fresh);
        assert_eq!(headers["x-ratelimit-remaining"], "9");
        assert_eq!(headers["content-length"], "5");
        assert_eq!(headers[ETAG], "\"a\"");
    }
}
