//! Regenerates the JSON Schemas shipped in `schemas/` from the Rust types:
//! `cargo run --example write-schemas`.

fn main() -> std::io::Result<()> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    std::fs::create_dir_all(&root)?;
    std::fs::write(
        root.join("lock.schema.json"),
        feastops::sources::lockfile::json_schema(),
    )?;
    Ok(())
}
