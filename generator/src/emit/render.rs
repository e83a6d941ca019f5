//! Rendering: every file of the plan emitted and formatted, spread over the cores.

use super::{emit_file, plan, EmitOptions, FileKind};
use crate::error::{internal, Error};
use crate::ir::Api;
use std::collections::BTreeMap;

/// Emits and formats every file of `api`, spreading the files over the available cores
/// (they are independent; the result does not depend on how they were spread).
pub fn render(api: &Api, crate_name: &str, command: &str) -> Result<BTreeMap<String, String>, Error> {
    check_crate_name(crate_name)?;
    let emit_options = EmitOptions { crate_name: crate_name.to_owned() };
    let mut plan = plan(api);
    // Largest first, each thread taking the next file when it is free, so the threads
    // finish close together. The sizes are estimates (bytes per type, per operation).
    let cost = |kind: &FileKind| match kind {
        FileKind::Types => api.types.len() * 14,
        FileKind::Group(module) => api.groups.get(module).map_or(0, |g| g.operations.len() * 34),
        FileKind::Examples => api.examples.len() * 5,
        FileKind::MockGroup(module) => api.groups.get(module).map_or(0, |g| g.operations.len() * 20),
        FileKind::MockExamples => api.examples.len() * 3,
        FileKind::Module | FileKind::Mock => 0,
    };
    plan.sort_by_key(|(_, kind)| std::cmp::Reverse(cost(kind)));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, plan.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        while let Some((path, kind)) = plan.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
            done.push((path.clone(), crate::format::format_file(emit_file(api, kind, &emit_options), command)));
        }
        done
    };
    // The calling thread is one of the workers: the memory it has freed is reused first.
    let rendered: Vec<Vec<(String, Result<String, Error>)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut rendered = vec![work()];
        rendered.extend(handles.into_iter().map(|h| {
            h.join().unwrap_or_else(|_| vec![(String::new(), Err(internal("a formatting thread panicked")))])
        }));
        rendered
    });
    rendered.into_iter().flatten().map(|(path, text)| text.map(|t| (path, t))).collect()
}

/// The generated tests name the crate by path: its name must be a plain identifier.
fn check_crate_name(name: &str) -> Result<(), Error> {
    let identifier = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let problem = if !identifier {
        "is not a Rust identifier (letters, digits and `_`, not starting with a digit)"
    } else if crate::naming::is_keyword(name) || name == "_" {
        "is a Rust keyword"
    } else {
        return Ok(());
    };
    Err(Error::Invalid { pointer: "#".into(), message: format!("crate name `{name}` {problem}; choose another name") })
}
