use crate::config::{LogFormat, TelemetrySettings};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::FmtSpan;

/// Logs to standard error; `RUST_LOG` overrides the default level.
///
/// As JSON lines, each line also carries the fields of the request it
/// belongs to (tracing-actix-web's root span: `request_id`, method, route),
/// and each request ends with a line of its own (the span closing, with its
/// status and duration): an access log that a log store can join on
/// `request_id`, the value of the `X-Request-Id` response header.
pub fn init(settings: &TelemetrySettings) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match settings.format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .with_span_events(FmtSpan::CLOSE)
            .try_init(),
    };
}
