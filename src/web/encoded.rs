//! Bodies compressed once and then sent as each reader accepts them, so that
//! what many readers receive alike (the stylesheet, a shared report page, the
//! refusal page of a surge) costs no encoder per request; and pages drawn for
//! one reader, compressed cheaply as they leave. The compression middleware
//! leaves a response that already has a Content-Encoding alone.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
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

/// Compresses a page drawn for one reader (HTML, whole in memory) with gzip at
/// its fastest level, in place. Left to the compression middleware, such a
/// page was handed to a blocking thread and compressed with brotli, whose
/// encoder clears a 4 MB buffer each time: a third of a signed-in page's CPU. A page is a few times larger than
/// at brotli's level, still a fraction of its uncompressed size; what many
/// readers share is compressed at the smallest size once (`Encoded`).
pub async fn compress_pages(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let gzip = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| accepts(v, "gzip"));
    let res = next.call(req).await?;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if !gzip || !html || res.headers().contains_key(header::CONTENT_ENCODING) {
        return Ok(res.map_into_boxed_body());
    }
    let (req, res) = res.into_parts();
    let (mut head, body) = res.into_parts();
    let body = match body.try_into_bytes() {
        Ok(plain) => match gzipped_fast(&plain) {
            Some(compressed) => {
                let headers = head.headers_mut();
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
                BoxBody::new(compressed)
            }
            None => BoxBody::new(plain),
        },
        Err(body) => BoxBody::new(body),
    };
    Ok(ServiceResponse::new(req, head.set_body(body)))
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

thread_local! {
    /// One deflate state per thread, reset for each page: setting one up
    /// (allocating and zeroing about 400 KB) cost more than compressing a
    /// 30 KB page at the fastest level.
    static DEFLATE: std::cell::RefCell<flate2::Compress> =
        std::cell::RefCell::new(flate2::Compress::new(flate2::Compression::fast(), false));
}

/// `plain` as gzip at the fastest level, with this thread's deflate state.
fn gzipped_fast(plain: &[u8]) -> Option<Bytes> {
    DEFLATE.with_borrow_mut(|deflate| {
        deflate.reset();
        // The header: no name, no time, "fastest", operating system unknown.
        let mut out = Vec::with_capacity(plain.len() / 3 + 64);
        out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 4, 255]);
        loop {
            let read = usize::try_from(deflate.total_in()).ok()?;
            let flush = flate2::FlushCompress::Finish;
            match deflate.compress_vec(&plain[read..], &mut out, flush).ok()? {
                flate2::Status::StreamEnd => break,
                _ => out.reserve(plain.len() / 4 + 64),
            }
        }
        let mut crc = flate2::Crc::new();
        crc.update(plain);
        out.extend_from_slice(&crc.sum().to_le_bytes());
        out.extend_from_slice(&(plain.len() as u32).to_le_bytes());
        Some(Bytes::from(out))
    })
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
    fn pages_compressed_one_after_another_each_read_back_whole() {
        for page in ["<p>first</p>".repeat(5000), "<p>second, shorter</p>".into()] {
            let gzip = super::gzipped_fast(page.as_bytes()).expect("compressed");
            let mut back = String::new();
            std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gzip[..]), &mut back)
                .expect("valid gzip");
            assert_eq!(back, page);
        }
    }

    #[test]
    fn a_coding_is_accepted_when_named_without_a_zero_weight() {
        assert!(accepts("gzip, deflate, br", "br"));
        assert!(accepts("GZIP;q=0.5", "gzip"));
        assert!(!accepts("gzip;q=0, br", "gzip"));
        assert!(!accepts("x-gzip, identity", "gzip"));
        assert!(!accepts("", "gzip"));
    }
}
