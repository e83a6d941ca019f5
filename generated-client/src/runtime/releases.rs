//! The releases of an API that one client serves, and what each lacks.
//!
//! A description merged from several releases of an API (a fleet) says where each
//! operation, parameter and field exists. The generated code hands the client the
//! releases (a [`ReleaseTable`]) and each request what it needs ([`Availability`]); the
//! client learns the server's release from the builder or from the response header the
//! table names, and refuses what that release lacks before sending, or turns the `404`
//! of a server that names a release lacking the operation into
//! [`Error::Unavailable`](crate::Error::Unavailable).

use reqwest::header::HeaderMap;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Where something exists: the positions in the [`ReleaseTable`] of the releases that
/// have it, and the same as people read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Availability {
    /// Positions in [`ReleaseTable::releases`], ascending.
    pub releases: &'static [usize],
    /// Where it exists, for messages (`Server 3.15 and later, Cloud`).
    pub text: &'static str,
}

impl Availability {
    /// Whether the release at `index` has it.
    pub fn includes(&self, index: usize) -> bool {
        self.releases.binary_search(&index).is_ok()
    }
}

/// One release of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReleaseEntry {
    /// Its id in the description.
    pub id: &'static str,
    /// Its name for people.
    pub name: &'static str,
    /// What its servers send in [`ReleaseTable::header`] (`3.15` for `3.15.2`).
    pub header_value: Option<&'static str>,
}

/// The releases an API's description covers, as the generated code hands them over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReleaseTable {
    /// The response header by which a server names its release.
    pub header: Option<&'static str>,
    /// The releases, in the description's order.
    pub releases: &'static [ReleaseEntry],
}

impl ReleaseTable {
    /// The release a server names with `value`: the one whose `header_value` is the
    /// value, or its prefix before a `.` (`3.14` for `3.14.0`); the longest such wins.
    pub fn release_named(&self, value: &str) -> Option<usize> {
        let value = value.trim();
        self.releases
            .iter()
            .enumerate()
            .filter_map(|(index, release)| {
                let prefix = release.header_value?;
                let matches = value == prefix || value.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('.'));
                matches.then_some((prefix.len(), index))
            })
            .max()
            .map(|(_, index)| index)
    }

    /// The release a response names in the table's header, if any.
    pub(crate) fn release_of(&self, headers: &HeaderMap) -> Option<usize> {
        let value = headers.get(self.header?)?.to_str().ok()?;
        self.release_named(value)
    }
}

/// No release known yet.
const UNKNOWN: usize = usize::MAX;

/// What a client knows of its server's release: the table, the release (set by the
/// builder or learned from a response; shared by the client's clones), and whether
/// requests are checked against it.
#[derive(Debug)]
pub(crate) struct ServerRelease {
    pub(crate) table: Option<&'static ReleaseTable>,
    known: AtomicUsize,
    pub(crate) check: bool,
}

impl ServerRelease {
    pub(crate) fn new(table: Option<&'static ReleaseTable>, known: Option<usize>, check: bool) -> Self {
        let known = known.filter(|index| table.is_some_and(|t| *index < t.releases.len()));
        ServerRelease { table, known: AtomicUsize::new(known.unwrap_or(UNKNOWN)), check }
    }

    /// The position of the server's release in the table, when known.
    pub(crate) fn known(&self) -> Option<usize> {
        Some(self.known.load(Ordering::Relaxed)).filter(|index| *index != UNKNOWN)
    }

    /// Learns the release a response names; returns it.
    pub(crate) fn learn(&self, headers: &HeaderMap) -> Option<usize> {
        let index = self.table?.release_of(headers)?;
        self.known.store(index, Ordering::Relaxed);
        Some(index)
    }

    /// The name of the release at `index`.
    pub(crate) fn name(&self, index: usize) -> &'static str {
        self.table.and_then(|t| t.releases.get(index)).map_or("an unknown release", |r| r.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: ReleaseTable = ReleaseTable {
        header: Some("x-release"),
        releases: &[
            ReleaseEntry { id: "s3", name: "Server 3", header_value: Some("3") },
            ReleaseEntry { id: "s3.1", name: "Server 3.1", header_value: Some("3.1") },
            ReleaseEntry { id: "cloud", name: "Cloud", header_value: None },
        ],
    };

    #[test]
    fn a_header_value_names_the_release_of_its_longest_prefix() {
        assert_eq!(TABLE.release_named("3.1.4"), Some(1));
        assert_eq!(TABLE.release_named("3.1"), Some(1));
        assert_eq!(TABLE.release_named("3.0.9"), Some(0));
        assert_eq!(TABLE.release_named(" 3 "), Some(0));
        // A prefix that is not a whole version part is no match.
        assert_eq!(TABLE.release_named("3.10.0"), Some(0));
        assert_eq!(TABLE.release_named("31"), None);
        assert_eq!(TABLE.release_named(""), None);
    }

    #[test]
    fn a_release_is_learned_from_the_header_and_shared() {
        let release = ServerRelease::new(Some(&TABLE), None, true);
        assert_eq!(release.known(), None);
        let mut headers = HeaderMap::new();
        headers.insert("x-release", "3.1.0".parse().unwrap());
        assert_eq!(release.learn(&headers), Some(1));
        assert_eq!(release.known(), Some(1));
        assert_eq!(release.name(1), "Server 3.1");
        // A value the table does not know leaves what was known.
        headers.insert("x-release", "9.9".parse().unwrap());
        assert_eq!(release.learn(&headers), None);
        assert_eq!(release.known(), Some(1));
        // A position past the table is no release.
        assert_eq!(ServerRelease::new(Some(&TABLE), Some(7), true).known(), None);
        assert_eq!(ServerRelease::new(None, Some(0), true).known(), None);
    }

    #[test]
    fn availability_is_a_sorted_list_of_positions() {
        let availability = Availability { releases: &[1, 2], text: "Server 3.1 and later, Cloud" };
        assert!(availability.includes(2) && !availability.includes(0));
    }
}
