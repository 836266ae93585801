fn main() -> anyhow::Result<()> {
    polyphony::cli::run()
}
