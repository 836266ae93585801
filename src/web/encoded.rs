//! Bodies compressed once and then sent as each reader accepts them, so that
//! what many readers receive alike (the stylesheet, a shared report page, the
//! refusal page of a surge) costs no encoder per request. The compression
//! middleware leaves a response that already has a Content-Encoding alone.

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};
use std::io::Write;

#[derive(Clone)]
pub struct Encoded {
    plain: Bytes,
    gzip: Option<Bytes>,
    br: Option<Bytes>,
}

impl Encoded {
    /// gzip at the default level: quick enough for a page rendered again
    /// whenever its cache entry expires.
    pub fn gzip(plain: impl Into<Bytes>) -> Self {
        let plain = plain.into();
        Self {
            gzip: gzipped(&plain, flate2::Compression::default()),
            br: None,
            plain,
        }
    }

    /// gzip and brotli at their smallest: for what is built once at start-up.
    pub fn smallest(plain: impl Into<Bytes>) -> Self {
        let plain = plain.into();
        Self {
            gzip: gzipped(&plain, flate2::Compression::best()),
            br: brotli(&plain),
            plain,
        }
    }

    /// Bytes held, every variant included.
    pub fn weight(&self) -> usize {
        self.plain.len()
            + self.gzip.as_ref().map_or(0, Bytes::len)
            + self.br.as_ref().map_or(0, Bytes::len)
    }

    /// The body in the smallest encoding the reader accepts. The caller names
    /// Accept-Encoding in its `Vary`, with whatever else the body depends on.
    pub fn send(&self, req: &HttpRequest, res: &mut HttpResponseBuilder) -> HttpResponse {
        let accepted = req
            .headers()
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        for (coding, body) in [("br", &self.br), ("gzip", &self.gzip)] {
            if let Some(body) = body.as_ref().filter(|_| accepts(accepted, coding)) {
                return res
                    .insert_header((header::CONTENT_ENCODING, coding))
                    .body(body.clone());
            }
        }
        res.body(self.plain.clone())
    }
}

/// Whether an Accept-Encoding value names `coding` without refusing it
/// (`gzip;q=0` refuses).
fn accepts(accept_encoding: &str, coding: &str) -> bool {
    accept_encoding.split(',').any(|item| {
        let mut parts = item.split(';');
        let named = parts
            .next()
            .is_some_and(|name| name.trim().eq_ignore_ascii_case(coding));
        let refused = parts.any(|p| {
            p.trim()
                .strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                == Some(0.0)
        });
        named && !refused
    })
}

fn gzipped(plain: &[u8], level: flate2::Compression) -> Option<Bytes> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), level);
    encoder.write_all(plain).ok()?;
    encoder.finish().ok().map(Bytes::from)
}

fn brotli(plain: &[u8]) -> Option<Bytes> {
    let mut encoder = ::brotli::CompressorWriter::new(Vec::new(), 4096, 11, 22);
    encoder.write_all(plain).ok()?;
    Some(Bytes::from(encoder.into_inner()))
}

#[cfg(test)]
mod tests {
    use super::accepts;

    #[test]
    fn a_coding_is_accepted_when_named_without_a_zero_weight() {
        assert!(accepts("gzip, deflate, br", "br"));
        assert!(accepts("GZIP;q=0.5", "gzip"));
        assert!(!accepts("gzip;q=0, br", "gzip"));
        assert!(!accepts("x-gzip, identity", "gzip"));
        assert!(!accepts("", "gzip"));
    }
}
