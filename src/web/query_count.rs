use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

/// Wraps each request in a statement counter and reports the count in
/// `X-Query-Count` (enabled by `server.query_count_header`).
pub async fn count_queries(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let (res, count) = crate::db::counting::count(next.call(req)).await;
    let mut res = res?.map_into_boxed_body();
    res.headers_mut().insert(
        actix_web::http::header::HeaderName::from_static("x-query-count"),
        actix_web::http::header::HeaderValue::from(count),
    );
    Ok(res)
}
