//! Downloads: a URL the API points to, streamed into a writer or a file, following
//! redirects without carrying the token off the API's origin.

use super::credentials::strip_credentials;
use super::decode::RawResponse;
use super::request::Request;
use crate::{Client, Error, Result};
use reqwest::header::LOCATION;
use reqwest::{Method, StatusCode, Url};
use std::path::{Path, PathBuf};

/// Redirects [`Client::download_to`] follows at most.
const MAX_DOWNLOAD_REDIRECTS: usize = 5;

impl Client {
    /// Fetches `url` (typically a [`Redirect`](crate::Redirect) target) and streams its
    /// body into `writer` without holding it in memory; returns the number of bytes.
    ///
    /// Redirects are followed (up to 5). The token is sent only while every hop so far
    /// is on the API's own origin: once another host has answered, the token is not
    /// sent again, even where that host redirects back to the API. Credentials embedded
    /// in a URL are dropped.
    ///
    /// # Errors
    ///
    /// A non-success status becomes an error as for any call;
    /// [`Error::DownloadTooLarge`] past [`ClientBuilder::max_download_bytes`](crate::ClientBuilder::max_download_bytes);
    /// [`Error::DownloadStalled`] when nothing arrives for
    /// [`ClientBuilder::download_idle_timeout`](crate::ClientBuilder::download_idle_timeout); [`Error::Timeout`] past
    /// [`ClientBuilder::download_timeout`](crate::ClientBuilder::download_timeout); [`Error::Io`] when writing fails.
    pub async fn download_to<W>(&self, url: &str, writer: &mut W) -> Result<u64>
    where
        W: tokio::io::AsyncWrite + Unpin + ?Sized,
    {
        use tokio::io::AsyncWriteExt;
        let url = Url::parse(url).map_err(|e| Error::InvalidParameter { name: "url", reason: e.to_string() })?;
        let mut response = self.download_response(url).await?;
        let limit = self.inner.max_download_bytes;
        if response.content_length().is_some_and(|announced| announced > limit) {
            return Err(Error::DownloadTooLarge { limit });
        }
        let mut written = 0u64;
        while let Some(chunk) = response.chunk().await? {
            written = u64::try_from(chunk.len())
                .ok()
                .and_then(|len| written.checked_add(len))
                .filter(|total| *total <= limit)
                .ok_or(Error::DownloadTooLarge { limit })?;
            writer.write_all(&chunk).await?;
        }
        writer.flush().await?;
        Ok(written)
    }

    /// Follows redirects from `url` to the `200` response whose body is the download.
    async fn download_response(&self, mut url: Url) -> Result<RawResponse> {
        let idle = self.inner.download_idle_timeout;
        // Once a host other than the API has answered, it chooses every later hop and
        // could send the request back to the API; the token stays home from then on.
        let mut authorize = true;
        for _ in 0..=MAX_DOWNLOAD_REDIRECTS {
            strip_credentials(&mut url);
            authorize &= self.is_api_origin(&url);
            let mut request = Request::absolute(Method::GET, url.clone());
            request.timeout = Some(self.inner.download_timeout);
            let response = tokio::time::timeout(idle, self.send_authorized(&request, &url, authorize))
                .await
                .map_err(|_| Error::DownloadStalled { idle })??
                .with_idle_timeout(idle);
            let status = response.status();
            if status.is_redirection() {
                let Some(location) = response.headers().get(LOCATION).and_then(|l| l.to_str().ok()) else {
                    return Err(response.into_error().await);
                };
                url = url
                    .join(location)
                    .map_err(|e| Error::InvalidParameter { name: "location", reason: e.to_string() })?;
                continue;
            }
            if status != StatusCode::OK {
                return Err(response.into_error().await);
            }
            return Ok(response);
        }
        Err(Error::InvalidParameter { name: "url", reason: format!("more than {MAX_DOWNLOAD_REDIRECTS} redirects") })
    }

    /// Like [`Client::download_to`], into the file at `path`.
    ///
    /// The download goes to a new temporary file beside `path` (created exclusively,
    /// under an unpredictable name, so nothing planted there is followed or
    /// overwritten), renamed over `path` only once complete. A failure leaves whatever
    /// was at `path` untouched and removes the temporary file.
    ///
    /// # Errors
    ///
    /// As [`Client::download_to`]; [`Error::InvalidParameter`] when `path` names a
    /// directory or has no file name.
    pub async fn download_to_file(&self, url: &str, path: impl AsRef<Path>) -> Result<u64> {
        let path = path.as_ref();
        let invalid =
            |reason: &str| Error::InvalidParameter { name: "path", reason: format!("`{}` {reason}", path.display()) };
        if path.file_name().is_none() {
            return Err(invalid("has no file name"));
        }
        if tokio::fs::metadata(path).await.is_ok_and(|meta| meta.is_dir()) {
            return Err(invalid("is a directory"));
        }
        let directory = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let (mut file, partial) = PartialFile::create(directory).await?;
        let written = async {
            let written = self.download_to(url, &mut file).await?;
            file.sync_all().await?;
            Ok::<_, Error>(written)
        }
        .await?;
        drop(file);
        tokio::fs::rename(&partial.path, path).await?;
        partial.keep();
        Ok(written)
    }
}

/// A download's temporary file, removed when dropped (on an error, a panic or a
/// cancelled download) unless kept.
struct PartialFile {
    path: PathBuf,
    kept: bool,
}

impl PartialFile {
    /// Creates a new file in `directory`, never one that exists already (nor a symlink).
    async fn create(directory: &Path) -> Result<(tokio::fs::File, PartialFile)> {
        const ATTEMPTS: usize = 8;
        let mut last = None;
        for _ in 0..ATTEMPTS {
            let path = directory.join(format!(".download-{:016x}.partial", unpredictable()));
            match tokio::fs::OpenOptions::new().write(true).create_new(true).open(&path).await {
                Ok(file) => return Ok((file, PartialFile { path, kept: false })),
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => last = Some(error),
                Err(error) => return Err(error.into()),
            }
        }
        Err(last.map_or_else(|| std::io::Error::other("no temporary file name was free").into(), Error::from))
    }

    /// The file has been renamed into place: nothing to remove.
    fn keep(mut self) {
        self.kept = true;
    }
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        if !self.kept {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// 64 bits no other process can guess: a hash keyed with the standard library's
/// per-process random keys, over the time and a counter so each call differs.
pub(crate) fn unpredictable() -> u64 {
    use std::hash::BuildHasher;
    use std::sync::atomic::{AtomicU64, Ordering};
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let call = CALLS.fetch_add(1, Ordering::Relaxed);
    std::collections::hash_map::RandomState::new().hash_one((std::process::id(), std::time::SystemTime::now(), call))
}
