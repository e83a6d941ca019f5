//! The releases of a fleet description (`x-releases`) and where each operation,
//! parameter and property exists among them (`x-availability`,
//! `x-parameter-availability`, `x-property-availability`), read into the IR with the
//! phrase people read ("Server 3.15 and later, Cloud"). Every name comes from the
//! description's table; nothing here knows one product.

use super::context::Lowerer;
use crate::error::Error;
use crate::input::document::{escape, resolve, AVAILABILITY, PARAMETER_AVAILABILITY, PROPERTY_AVAILABILITY, RELEASES};
use crate::ir::{Availability, ReleaseInfo, Releases};
use serde_json::Value;

fn invalid(pointer: String, message: &str) -> Error {
    Error::Invalid { pointer, message: message.to_owned() }
}

/// The document's release table, `None` when it has none.
pub(super) fn read(raw: &Value) -> Result<Option<Releases>, Error> {
    let Some(table) = raw.get(RELEASES) else { return Ok(None) };
    let at = format!("#/{RELEASES}");
    let Value::Object(table) = table else { return Err(invalid(at, "is not an object")) };
    let text = |key: &str| -> Result<Option<String>, Error> {
        match table.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(invalid(format!("{at}/{key}"), "is not a string")),
        }
    };
    let primary = text("primary")?.ok_or_else(|| invalid(at.clone(), "has no `primary`"))?;
    let (header, api_version) = (text("header")?, text("api_version")?);
    let Some(Value::Array(entries)) = table.get("list") else {
        return Err(invalid(format!("{at}/list"), "is not a list of releases"));
    };
    let mut list = Vec::with_capacity(entries.len());
    for (n, entry) in entries.iter().enumerate() {
        let at = format!("{at}/list/{n}");
        let Value::Object(entry) = entry else { return Err(invalid(at, "is not an object")) };
        let text = |key: &str| -> Result<Option<String>, Error> {
            match entry.get(key) {
                None => Ok(None),
                Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(crate::format::plain_line(s))),
                Some(_) => Err(invalid(format!("{at}/{key}"), "is not a non-empty string")),
            }
        };
        let id = text("id")?.ok_or_else(|| invalid(at.clone(), "has no `id`"))?;
        if list.iter().any(|r: &ReleaseInfo| r.id == id) {
            return Err(invalid(format!("{at}/id"), "names a release listed before"));
        }
        let (family, version) = (text("family")?, text("version")?);
        let name = match (text("name")?, &family, &version) {
            (Some(name), _, _) => name,
            (None, Some(family), Some(version)) => format!("{family} {version}"),
            _ => id.clone(),
        };
        list.push(ReleaseInfo {
            id,
            name,
            family,
            version,
            header_value: text("header_value")?,
            variant: String::new(),
        });
    }
    if !list.iter().any(|r| r.id == primary) {
        return Err(invalid(format!("{at}/primary"), "names no release of the list"));
    }
    let variants = crate::naming::release_variants(list.iter().map(|r| r.id.as_str()));
    for (release, variant) in list.iter_mut().zip(variants) {
        release.variant = variant;
    }
    Ok(Some(Releases { primary, header, api_version, list }))
}

/// The phrase for the releases at `indexes` (ascending): a run of a family's releases that
/// reaches its newest is "Family X and later"; other releases of a family are listed by
/// version after the family's name; a release without a family goes by its name.
pub(crate) fn phrase(releases: &Releases, indexes: &[usize]) -> String {
    if indexes.is_empty() {
        return "none of the supported releases".to_owned();
    }
    let mut parts: Vec<String> = Vec::new();
    let mut done_families: Vec<&str> = Vec::new();
    for &index in indexes {
        let release = &releases.list[index];
        let (Some(family), Some(version)) = (&release.family, &release.version) else {
            parts.push(release.name.clone());
            continue;
        };
        if done_families.contains(&family.as_str()) {
            continue;
        }
        done_families.push(family);
        let members: Vec<usize> =
            (0..releases.list.len()).filter(|i| releases.list[*i].family.as_ref() == Some(family)).collect();
        let have: Vec<usize> = members.iter().copied().filter(|i| indexes.contains(i)).collect();
        let first = members.iter().position(|m| *m == have[0]).unwrap_or(0);
        let versions = |list: &[usize]| -> Vec<String> {
            list.iter()
                .map(|i| releases.list[*i].version.clone().unwrap_or_else(|| releases.list[*i].id.clone()))
                .collect()
        };
        if members[first..] == have[..] {
            parts.push(format!("{family} {version} and later"));
        } else {
            parts.push(format!("{family} {}", versions(&have).join(", ")));
        }
    }
    parts.join(", ")
}

impl Lowerer<'_> {
    /// The availability an annotation at `at` gives, `None` when it lists every release.
    fn annotation(&self, value: &Value, at: String) -> Result<Option<Availability>, Error> {
        let Some(releases) = &self.releases else {
            return Err(invalid(at, &format!("an availability annotation in a description without `{RELEASES}`")));
        };
        let Value::Array(ids) = value else { return Err(invalid(at, "is not a list of release ids")) };
        let mut indexes = Vec::with_capacity(ids.len());
        for (n, id) in ids.iter().enumerate() {
            let index = id.as_str().and_then(|id| releases.list.iter().position(|r| r.id == id));
            let Some(index) = index else {
                return Err(invalid(format!("{at}/{n}"), &format!("is not a release of `{RELEASES}`")));
            };
            indexes.push(index);
        }
        indexes.sort_unstable();
        indexes.dedup();
        if indexes.len() == releases.list.len() {
            return Ok(None);
        }
        let text = phrase(releases, &indexes);
        Ok(Some(Availability { releases: indexes, text }))
    }

    /// The map an annotation of `node` holds, if any.
    fn annotation_map<'v>(
        node: Option<&'v Value>,
        key: &str,
        at: &str,
    ) -> Result<Option<&'v serde_json::Map<String, Value>>, Error> {
        match node.and_then(|n| n.get(key)) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(map)),
            Some(_) => Err(invalid(format!("{at}/{key}"), "is not an object")),
        }
    }

    /// Where the operation at `pointer` exists.
    pub(super) fn availability_at(&self, pointer: &str) -> Result<Option<Availability>, Error> {
        match resolve(self.raw, pointer).and_then(|op| op.get(AVAILABILITY)) {
            Some(value) => self.annotation(value, format!("{pointer}/{AVAILABILITY}")),
            None => Ok(None),
        }
    }

    /// Where the parameter `location:name` of the operation at `pointer` exists.
    pub(super) fn parameter_availability(
        &self,
        pointer: &str,
        location: &str,
        name: &str,
    ) -> Result<Option<Availability>, Error> {
        let map = Self::annotation_map(resolve(self.raw, pointer), PARAMETER_AVAILABILITY, pointer)?;
        let key = format!("{location}:{name}");
        match map.and_then(|m| m.get(&key)) {
            Some(value) => self.annotation(value, format!("{pointer}/{PARAMETER_AVAILABILITY}/{}", escape(&key))),
            None => Ok(None),
        }
    }

    /// Where the property `wire` at `pointer` (`…/properties/{wire}`) exists, as its
    /// schema's annotation says.
    pub(super) fn property_availability(&self, pointer: &str, wire: &str) -> Result<Option<Availability>, Error> {
        let suffix = format!("/properties/{}", escape(wire));
        let Some(parent) = pointer.strip_suffix(&suffix) else { return Ok(None) };
        let map = Self::annotation_map(resolve(self.raw, parent), PROPERTY_AVAILABILITY, parent)?;
        match map.and_then(|m| m.get(wire)) {
            Some(value) => self.annotation(value, format!("{parent}/{PROPERTY_AVAILABILITY}/{}", escape(wire))),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Api, TypeKind};
    use crate::Overrides;

    fn table() -> Releases {
        let server = |id: &str, version: &str| ReleaseInfo {
            id: id.into(),
            name: format!("Server {version}"),
            family: Some("Server".into()),
            version: Some(version.into()),
            ..ReleaseInfo::default()
        };
        let own = |id: &str, name: &str| ReleaseInfo { id: id.into(), name: name.into(), ..ReleaseInfo::default() };
        Releases {
            primary: "s3".into(),
            list: vec![
                server("s1", "1"),
                server("s2", "2"),
                server("s3", "3"),
                own("cloud", "Cloud"),
                own("dot", "dot.com"),
            ],
            ..Releases::default()
        }
    }

    #[test]
    fn the_phrase_names_runs_through_the_newest_as_and_later() {
        let releases = table();
        assert_eq!(phrase(&releases, &[1, 2, 3, 4]), "Server 2 and later, Cloud, dot.com");
        assert_eq!(phrase(&releases, &[0, 1, 2]), "Server 1 and later");
        assert_eq!(phrase(&releases, &[0, 2, 4]), "Server 1, 3, dot.com");
        assert_eq!(phrase(&releases, &[0, 1]), "Server 1, 2");
        assert_eq!(phrase(&releases, &[3, 4]), "Cloud, dot.com");
        assert_eq!(phrase(&releases, &[]), "none of the supported releases");
    }

    const DOC: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
x-releases:
  primary: s2
  header: X-Release
  list:
    - {id: s1, family: Server, version: '1', header_value: '1'}
    - {id: s2, family: Server, version: '2', header_value: '2'}
    - {id: cloud, name: Cloud}
paths:
  /runs/{id}/approve:
    post:
      operationId: runs/approve
      x-availability: [cloud]
      x-parameter-availability: {'query:debug': [s2, cloud]}
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
        - {name: debug, in: query, schema: {type: boolean}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              x-property-availability: {reason: [cloud]}
              properties: {reason: {type: string}, note: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/run'}
components:
  schemas:
    run:
      type: object
      required: [id]
      x-property-availability: {debug: [s2, cloud]}
      properties: {id: {type: integer}, debug: {type: boolean}}
"#;

    fn lowered(text: &str) -> Result<Api, Error> {
        let mut raw = crate::input::parse_text(text).unwrap();
        let doc = crate::input::openapi(&raw).unwrap();
        crate::lower::lower(&doc, &mut raw, &Overrides::default()).map(|(api, _)| api)
    }

    #[test]
    fn annotations_become_availability_on_operations_parameters_and_fields() {
        let api = lowered(DOC).unwrap();
        let releases = api.releases.as_ref().unwrap();
        let variants: Vec<&str> = releases.list.iter().map(|r| r.variant.as_str()).collect();
        assert_eq!(variants, ["S1", "S2", "Cloud"]);
        assert_eq!(releases.list[0].name, "Server 1");
        assert_eq!(releases.header.as_deref(), Some("X-Release"));
        let op = &api.groups["runs"].operations[0];
        assert_eq!(op.availability, Some(Availability { releases: vec![2], text: "Cloud".into() }));
        let debug = op.params.iter().find(|p| p.wire == "debug").unwrap();
        assert_eq!(debug.availability.as_ref().map(|a| a.text.as_str()), Some("Server 2 and later, Cloud"));
        assert!(op.params.iter().find(|p| p.wire == "id").unwrap().availability.is_none());
        let body = op.body.as_ref().unwrap().fields.as_ref().unwrap();
        let reason = body.iter().find(|f| f.wire == "reason").unwrap();
        assert_eq!(reason.availability.as_ref().map(|a| a.releases.clone()), Some(vec![2]));
        let TypeKind::Struct(run) = &api.types["Run"].kind else { panic!("run is not a struct") };
        assert_eq!(run.fields[1].availability.as_ref().map(|a| a.text.as_str()), Some("Server 2 and later, Cloud"));
        assert!(run.fields[0].availability.is_none());
    }

    #[test]
    fn bad_annotations_are_errors_with_their_pointer() {
        let error = |from: &str, to: &str| lowered(&DOC.replace(from, to)).unwrap_err().to_string();
        assert_eq!(
            error("x-availability: [cloud]", "x-availability: [moon]"),
            "#/paths/~1runs~1{id}~1approve/post/x-availability/0: is not a release of `x-releases`"
        );
        assert_eq!(
            error("x-availability: [cloud]", "x-availability: cloud"),
            "#/paths/~1runs~1{id}~1approve/post/x-availability: is not a list of release ids"
        );
        assert_eq!(
            error("x-property-availability: {debug: [s2, cloud]}", "x-property-availability: [s2]"),
            "#/components/schemas/run/x-property-availability: is not an object"
        );
        assert_eq!(error("primary: s2", "primary: s9"), "#/x-releases/primary: names no release of the list");
        assert_eq!(error("  list:\n", "  lost:\n"), "#/x-releases/list: is not a list of releases");
        let without_table = DOC.replace("x-releases:", "x-other:");
        assert!(lowered(&without_table).unwrap_err().to_string().contains("without `x-releases`"));
    }
}
