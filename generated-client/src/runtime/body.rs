//! Request bodies beyond JSON and forms: binary content and `multipart/form-data`.

use crate::{Error, Result};

/// Binary content (`type: string, format: binary`): a file in a `multipart/form-data`
/// body. In JSON it reads from and writes as a string (invalid UTF-8 written lossily).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Binary(pub bytes::Bytes);

impl Binary {
    /// The content.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl From<bytes::Bytes> for Binary {
    fn from(value: bytes::Bytes) -> Self {
        Binary(value)
    }
}

impl From<Vec<u8>> for Binary {
    fn from(value: Vec<u8>) -> Self {
        Binary(value.into())
    }
}

impl From<&[u8]> for Binary {
    fn from(value: &[u8]) -> Self {
        Binary(bytes::Bytes::copy_from_slice(value))
    }
}

impl From<String> for Binary {
    fn from(value: String) -> Self {
        Binary(value.into())
    }
}

impl From<&str> for Binary {
    fn from(value: &str) -> Self {
        Binary::from(value.as_bytes())
    }
}

impl serde::Serialize for Binary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&String::from_utf8_lossy(&self.0))
    }
}

impl<'de> serde::Deserialize<'de> for Binary {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        <String as serde::Deserialize>::deserialize(deserializer).map(Binary::from)
    }
}

/// A `multipart/form-data` body, built part by part by generated code: binary fields are
/// file parts, strings text parts, and any other value its JSON text.
#[derive(Debug, Clone, Default)]
pub struct Multipart {
    parts: Vec<(String, Option<String>, bytes::Bytes)>,
}

impl Multipart {
    /// Adds a text part: a string as is, any other value as JSON.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] when the value does not serialize.
    pub fn text(&mut self, name: &'static str, value: &impl serde::Serialize) -> Result<()> {
        let value = serde_json::to_value(value).map_err(|e| Error::InvalidParameter { name, reason: e.to_string() })?;
        let text = match value {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        };
        self.parts.push((name.to_owned(), None, text.into_bytes().into()));
        Ok(())
    }

    /// Adds a file part named `name`, with `name` as its file name.
    pub fn file(&mut self, name: &'static str, value: &Binary) {
        self.parts.push((name.to_owned(), Some(name.to_owned()), value.0.clone()));
    }

    /// Adds one file part per element.
    pub fn files(&mut self, name: &'static str, values: &[Binary]) {
        for value in values {
            self.file(name, value);
        }
    }

    /// The content type (with its boundary) and the encoded body. The boundary is the first
    /// of a numbered series that occurs in no part, so no content can end a part early.
    pub fn finish(self) -> (String, bytes::Bytes) {
        let contains = |haystack: &[u8], needle: &[u8]| haystack.windows(needle.len()).any(|w| w == needle);
        let boundary = (0u64..)
            .map(|n| format!("form-data-boundary-{n:016x}"))
            .find(|b| {
                !self.parts.iter().any(|(name, _, data)| contains(data, b.as_bytes()) || name.contains(b.as_str()))
            })
            .unwrap_or_default();
        let mut body = Vec::new();
        for (name, file, data) in &self.parts {
            // Quotes and line breaks cannot appear inside the quoted header values.
            let quoted = |s: &str| s.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A");
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"", quoted(name)).as_bytes(),
            );
            match file {
                Some(file) => body.extend_from_slice(
                    format!("; filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n", quoted(file))
                        .as_bytes(),
                ),
                None => body.extend_from_slice(b"\r\n\r\n"),
            }
            body.extend_from_slice(data);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (format!("multipart/form-data; boundary={boundary}"), body.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_bodies_have_one_part_per_field_and_a_boundary_no_part_contains() {
        let mut form = Multipart::default();
        form.text("title", &"a \"quoted\" title").unwrap();
        form.text("count", &3).unwrap();
        form.text("tags", &vec!["x", "y"]).unwrap();
        // Content that contains the first boundary of the series moves the boundary on.
        form.file("upload", &Binary::from(&b"--form-data-boundary-0000000000000000\x00\xff"[..]));
        let (content_type, body) = form.finish();
        assert_eq!(content_type, "multipart/form-data; boundary=form-data-boundary-0000000000000001");
        let expected = b"--form-data-boundary-0000000000000001\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\na \"quoted\" title\r\n\
--form-data-boundary-0000000000000001\r\nContent-Disposition: form-data; name=\"count\"\r\n\r\n3\r\n\
--form-data-boundary-0000000000000001\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\n[\"x\",\"y\"]\r\n\
--form-data-boundary-0000000000000001\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"upload\"\r\nContent-Type: application/octet-stream\r\n\r\n\
--form-data-boundary-0000000000000000\x00\xff\r\n--form-data-boundary-0000000000000001--\r\n";
        assert_eq!(&body[..], &expected[..], "{}", String::from_utf8_lossy(&body));
    }

    #[test]
    fn binary_reads_and_writes_json_strings() {
        let value: Binary = serde_json::from_str("\"abc\"").unwrap();
        assert_eq!(value.as_bytes(), b"abc");
        assert_eq!(serde_json::to_string(&value).unwrap(), "\"abc\"");
        assert_eq!(serde_json::to_string(&Binary::from(vec![0xff])).unwrap(), "\"\u{fffd}\"");
    }
}
