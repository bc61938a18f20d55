//! Produce the embedded CRD form (structural schema + CEL rules, descriptions stripped).
//!
//! Usage: `cargo run --bin strip-crd -- crds/feast-v0.66/featurestores.feast.dev.yaml src/topology/crd/v0_66.json`
//! With no OUT argument the JSON goes to stdout.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (input, output) = match args.as_slice() {
        [i] => (i.clone(), None),
        [i, o] => (i.clone(), Some(o.clone())),
        _ => {
            eprintln!("usage: strip-crd CRD.yaml [OUT.json]");
            return ExitCode::from(2);
        }
    };
    let text = match std::fs::read_to_string(&input) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {input}: {e}");
            return ExitCode::from(2);
        }
    };
    let json = match feastops::topology::validate::crd::strip_crd(&text, &input)
        .map(|v| feastops::topology::validate::crd::render_stripped(&v))
    {
        Ok(j) => j,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match output {
        None => print!("{json}"),
        Some(o) => {
            if let Err(e) = std::fs::write(&o, json) {
                eprintln!("error: cannot write {o}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}
