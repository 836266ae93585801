//! Requests no honest browser sends are refused with 400 before any handler
//! sees them: text that is not UTF-8 once percent-decoded (serde would quietly
//! turn it into U+FFFD and store it), or that holds a NUL character, which
//! PostgreSQL refuses in TEXT (a 500) and C strings cut short.

use crate::web::errors::AppError;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use percent_encoding::percent_decode;

fn clean(decoded: &[u8]) -> bool {
    std::str::from_utf8(decoded).is_ok_and(|text| !text.contains('\0'))
}

/// Whether every name and value of an `application/x-www-form-urlencoded`
/// body (or a query string) decodes to clean text.
pub fn well_formed_urlencoded(raw: &[u8]) -> bool {
    raw.split(|&b| b == b'&')
        .flat_map(|pair| pair.splitn(2, |&b| b == b'='))
        .all(|part| clean(&percent_decode(part).collect::<Vec<u8>>()))
}

/// Whether the path, once percent-decoded, is clean text.
pub fn well_formed_path(path: &str) -> bool {
    clean(&percent_decode(path.as_bytes()).collect::<Vec<u8>>())
}

/// Checks the path and query string of every request; form bodies are
/// checked where they are read for the CSRF token (`web::csrf`).
pub async fn check(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if !well_formed_path(req.path()) || !well_formed_urlencoded(req.query_string().as_bytes()) {
        let refusal = AppError::bad_request("path or query string is not clean UTF-8");
        return Ok(req.error_response(refusal));
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_with_invalid_utf8_or_nul_are_refused() {
        assert!(well_formed_urlencoded(
            b"a=1&b=%C3%A9t%C3%A9&c=\xc3\xa9&d&=&&"
        ));
        assert!(well_formed_urlencoded(b""));
        for bad in [
            &b"name=%FF"[..],
            b"name=\xff",
            b"%FF=x",
            b"a=%C3",
            b"a=x%00y",
            b"a=\x00",
        ] {
            assert!(!well_formed_urlencoded(bad), "{bad:?}");
        }
        assert!(well_formed_path("/consultations/caf%C3%A9"));
        assert!(!well_formed_path("/consultations/%FF"));
        assert!(!well_formed_path("/receipts/a%00b"));
    }
}
