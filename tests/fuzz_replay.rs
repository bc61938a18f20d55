//! Replays the committed fuzz corpora (`fuzz/corpus/TARGET/`) through the
//! same entry points the cargo-fuzz targets call (`feastops::fuzz_entry`),
//! so every input the fuzzers kept, and every crash they found, is a
//! regression test on the stable toolchain, without libFuzzer. An entry
//! panics on a bug (a panic, a lock that does not read back, a budget that
//! did not stop hostile code); stack overflows and aborts fail the binary.
//!
//! The seed part of each corpus comes from the test fixtures and is
//! rewritten by `cargo test --test fuzz_replay -- --ignored write_seeds`.

use std::path::{Path, PathBuf};

use feastops::fuzz_entry::{self, TARGETS};

fn corpus(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target)
}

fn replay(target: &str) {
    let (_, entry) = TARGETS
        .iter()
        .find(|(n, _)| *n == target)
        .unwrap_or_else(|| panic!("no fuzz entry named {target}"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus(target))
        .unwrap_or_else(|e| panic!("fuzz/corpus/{target}: {e}"))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(
        files.len() >= 3,
        "fuzz/corpus/{target} holds {} inputs",
        files.len()
    );
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        // The name of the input is printed if the entry panics.
        eprintln!("replaying {}", f.display());
        entry(&bytes);
    }
}

macro_rules! replay_tests {
    ($($name:ident),*) => {
        $(#[test]
        fn $name() {
            replay(stringify!($name));
        })*

        #[test]
        fn every_fuzz_target_is_replayed() {
            let mut replayed = vec![$(stringify!($name)),*];
            replayed.sort();
            let mut entries: Vec<&str> = TARGETS.iter().map(|(n, _)| *n).collect();
            entries.sort();
            assert_eq!(entries, replayed);
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/fuzz_targets");
            let mut targets: Vec<String> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned())
                .collect();
            targets.sort();
            assert_eq!(targets, replayed);
        }
    };
}

replay_tests!(
    registry,
    lockfile,
    repo,
    eval_budget,
    topology,
    manifests,
    model,
    parquet,
    config,
    flows,
    rest_json
);

// --- the seeds ---------------------------------------------------------------

/// The bytes that make `BudgetProgram` variant `index` (of `count`) with
/// the given field bytes (little-endian integers, as `arbitrary` reads them).
fn budget_input(index: u32, count: u32, fields: &[u8]) -> Vec<u8> {
    let disc = ((index as u64) << 32).div_ceil(count as u64);
    let mut out = (disc as u32).to_le_bytes().to_vec();
    out.extend_from_slice(fields);
    out
}

const EXPECT: &[(&str, &str)] = &[
    ("recursion", "return f(n + 1)"),
    ("mutual-recursion", "return g(n)"),
    ("nested-loops-over", "for i2 in range(1000)"),
    ("nested-loops-under", "for i1 in range(100)"),
    ("doubling", "range(60)"),
    ("repeat", "\"ab\" * 2000000000"),
    ("list-repeat", "[1, 2] * 2000000000"),
    ("format-width", "{:>1000000000}"),
    ("pad", "ljust(1000000000)"),
    ("nested-value", "range(100000)"),
    ("deep-brackets", "[[[["),
    ("deep-unary", "-----"),
    ("long-chain", "+ 1 + 1"),
    ("deep-blocks", "if True:"),
    ("big-comprehension", "range(60000) for j in range(60000)"),
    ("join-repeat", "[\"abc\"] * 100000000"),
    ("power", "7 ** 100000000"),
    ("self-append", "range(100)"),
    ("many-loops", "for a in range(99000):"),
];

/// Hostile programs: one per budget, over and under it.
fn budget_seeds() -> Vec<(String, Vec<u8>)> {
    const COUNT: u32 = 18;
    let u32b = |n: u32| n.to_le_bytes().to_vec();
    let u16b = |n: u16| n.to_le_bytes().to_vec();
    let cases: Vec<(&str, u32, Vec<u8>)> = vec![
        ("recursion", 0, vec![]),
        ("mutual-recursion", 1, vec![]),
        ("nested-loops-over", 2, [vec![2u8], u32b(1000)].concat()),
        ("nested-loops-under", 2, [vec![1u8], u32b(100)].concat()),
        ("doubling", 3, vec![60]),
        ("repeat", 4, u32b(2_000_000_000)),
        ("list-repeat", 5, u32b(2_000_000_000)),
        ("format-width", 6, u32b(1_000_000_000)),
        ("pad", 7, u32b(1_000_000_000)),
        ("nested-value", 8, u32b(100_000)),
        ("deep-brackets", 9, u16b(5000)),
        ("deep-unary", 10, u16b(60000)),
        ("long-chain", 11, u16b(60000)),
        ("deep-blocks", 12, vec![99]),
        ("big-comprehension", 13, [u16b(60000), u16b(60000)].concat()),
        ("join-repeat", 14, u32b(100_000_000)),
        ("power", 15, u32b(100_000_000)),
        ("self-append", 16, u16b(100)),
        ("many-loops", 17, [u16b(60), u32b(99_000)].concat()),
    ];
    cases
        .into_iter()
        .map(|(name, i, fields)| {
            let bytes = budget_input(i, COUNT, &fields);
            let source = fuzz_entry::budget_source(&bytes).unwrap();
            let expect = EXPECT.iter().find(|(n, _)| *n == name).unwrap().1;
            assert!(source.contains(expect), "{name} decodes to {source}");
            (format!("seed-{name}"), bytes)
        })
        .collect()
}

/// Deterministic pseudo-random bytes (xorshift), for the grammar targets.
fn pseudo_random(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn fixtures(dir: &str, keep: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if keep(&p) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn seed_name(p: &Path) -> String {
    let parent = p
        .parent()
        .and_then(|d| d.file_name())
        .map(|d| d.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("seed-{parent}-{}", p.file_name().unwrap().to_string_lossy())
}

#[test]
#[ignore = "rewrites the seed corpora from the fixtures"]
fn write_seeds() {
    let write = |target: &str, name: &str, bytes: &[u8]| {
        let dir = corpus(target);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), bytes).unwrap();
    };
    let registries = fixtures("tests/fixtures/feast/registries", |p| {
        p.extension().is_some_and(|e| e == "db")
    });
    // A handful of registries covers the message kinds; more only adds bytes.
    for p in registries.iter().step_by(4) {
        let bytes = std::fs::read(p).unwrap();
        write("registry", &seed_name(p), &bytes);
        let reg = feastops::sources::load(&feastops::sources::SourceSpec::File(p.clone())).unwrap();
        let lock = feastops::sources::lockfile::to_bytes(&reg);
        write("lockfile", &format!("{}.lock.json", seed_name(p)), &lock);
    }
    // Registries older Feast versions wrote: push sources without fields
    // (0.50), the two earlier numberings of PdfBytes (0.55, 0.59).
    for v in ["0.50.0", "0.55.0", "0.59.0"] {
        let p = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/feast/registry_matrix")
            .join(v)
            .join("registry.db");
        write(
            "registry",
            &format!("seed-matrix-{v}.db"),
            &std::fs::read(&p).unwrap(),
        );
    }
    for p in fixtures("tests/fixtures/specs", |_| true) {
        write("topology", &seed_name(&p), &std::fs::read(&p).unwrap());
    }
    let base = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/specs/base.yaml"),
    )
    .unwrap();
    for (topology, cloud) in [
        ("minimal", "gcp"),
        ("enterprise", "onprem"),
        ("standard", "gcp"),
    ] {
        let spec = base
            .replace("topology: standard", &format!("topology: {topology}"))
            .replace("cloud: aws", &format!("cloud: {cloud}"));
        write(
            "topology",
            &format!("seed-{topology}-{cloud}.yaml"),
            spec.as_bytes(),
        );
        write(
            "flows",
            &format!("seed-{topology}-{cloud}.yaml"),
            &flows_seed(&spec, true),
        );
    }
    write("flows", "seed-model-only.yaml", &flows_seed(&base, false));
    // The config and rest_json seeds are not generated: config's are
    // hand-written, rest_json's are the list routes' answers of the five
    // `feast serve_registry --rest-api` servers of tests/live_registry.rs
    // (base, freshness, labels, multi) plus one hand-written document with
    // the message kinds those do not serve (stream views, permissions).
    for p in fixtures("tests/fixtures/invalid", |_| true)
        .into_iter()
        .chain(fixtures("tests/fixtures/operator-samples", |p| {
            p.extension().is_some_and(|e| e == "yaml")
        }))
    {
        write("manifests", &seed_name(&p), &std::fs::read(&p).unwrap());
    }
    for p in fixtures("tests/fixtures/models", |p| {
        p.file_name().is_some_and(|n| n != "RUNTIME.json")
    }) {
        // The first byte picks the reader: 0 is the content-sniffing one.
        let bytes = [&[0u8][..], &std::fs::read(&p).unwrap()].concat();
        write("model", &seed_name(&p), &bytes);
    }
    for p in fixtures("tests/fixtures/feast/repos", |p| {
        p.extension().is_some_and(|e| e == "parquet")
    }) {
        write("parquet", &seed_name(&p), &std::fs::read(&p).unwrap());
    }
    // Pseudo-random inputs, kept when they read into Feast objects (the
    // grammar's reach) or fail with diagnostics, a dozen of each.
    let (mut with_objects, mut failing) = (0, 0);
    for i in 0..200_000u64 {
        if with_objects >= 12 && failing >= 12 {
            break;
        }
        let bytes = pseudo_random(i, 32 + (i % 40) as usize * 16);
        match repo_objects(&bytes) {
            Some(n) if n > 0 && with_objects < 12 => {
                write("repo", &format!("seed-objects-{with_objects:02}"), &bytes);
                with_objects += 1;
            }
            None if failing < 12 => {
                write("repo", &format!("seed-failing-{failing:02}"), &bytes);
                failing += 1;
            }
            _ => {}
        }
    }
    assert_eq!((with_objects, failing), (12, 12));
    for (name, bytes) in budget_seeds() {
        write("eval_budget", &name, &bytes);
    }
}

/// A `flows` input: the flow model a render of `spec` writes, then (with
/// `manifests`) a NUL and the render's NetworkPolicies and Namespaces.
fn flows_seed(spec: &str, manifests: bool) -> Vec<u8> {
    use feastops::topology;
    let doc: serde_json::Value = serde_yaml_ng::from_str(spec).unwrap();
    let spec = topology::spec::parse(&doc, "seed.yaml").unwrap();
    let templates = topology::render::Templates::new(None).unwrap();
    let rendered =
        topology::render::render_with(&spec, &templates, &topology::validate::Options::default())
            .unwrap();
    let mut out = rendered.files["flows.yaml"].clone().into_bytes();
    if manifests {
        out.push(0);
        for d in &rendered.objects {
            if matches!(d.kind(), "NetworkPolicy" | "Namespace") {
                out.extend_from_slice(b"---\n");
                out.extend_from_slice(serde_yaml_ng::to_string(&d.value).unwrap().as_bytes());
            }
        }
    }
    out
}

/// The flow seeds reach the simulator: each is a model whose flows name
/// its endpoints, and those with manifests carry NetworkPolicies that
/// deliver every flow as the render expects (minimal renders none).
#[test]
fn flows_seeds_simulate_as_rendered() {
    use feastops::topology::{flows, validate};
    let mut with_policies = 0;
    for e in std::fs::read_dir(corpus("flows")).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("seed-") {
            continue;
        }
        let bytes = std::fs::read(&p).unwrap();
        let (model, manifests) = match bytes.iter().position(|&b| b == 0) {
            Some(i) => (&bytes[..i], &bytes[i + 1..]),
            None => (&bytes[..], &[][..]),
        };
        let model: flows::model::Model =
            serde_yaml_ng::from_str(std::str::from_utf8(model).unwrap()).unwrap();
        let docs =
            validate::parse_documents(std::str::from_utf8(manifests).unwrap(), "seed").unwrap();
        let sim = flows::simulate(&docs, &model).unwrap();
        assert!(!sim.rows.is_empty(), "{name}: no flows");
        if sim.policies > 0 {
            with_policies += 1;
            assert!(sim.failures().is_empty(), "{name}: {}", flows::text(&sim));
        }
    }
    assert!(
        with_policies >= 2,
        "{with_policies} flow seeds with policies"
    );
}

/// How many entities, views and services a `repo` input reads into; `None`
/// when reading fails.
fn repo_objects(bytes: &[u8]) -> Option<usize> {
    let files = fuzz_entry::repo_source(bytes)?;
    let tree = feastops::sources::repo::RepoTree {
        python: files.into_iter().collect(),
        feature_store_yaml: Some("project: fuzz\n".into()),
        ..Default::default()
    };
    let reg = feastops::sources::repo::parse(&tree).ok()?;
    let p = &reg.projects["fuzz"];
    Some(p.entities.len() + p.feature_views.len() + p.feature_services.len())
}

/// The grammar reaches Feast's constructors: some of the repo seeds read
/// into registries with objects, and some fail with diagnostics.
#[test]
fn repo_grammar_builds_feast_objects() {
    let (mut objects, mut failed) = (0, 0);
    for e in std::fs::read_dir(corpus("repo")).unwrap() {
        match repo_objects(&std::fs::read(e.unwrap().path()).unwrap()) {
            Some(n) => objects += n,
            None => failed += 1,
        }
    }
    assert!(
        objects > 0 && failed > 0,
        "objects={objects} failed={failed}"
    );
}

/// `FUZZ_INPUT=path cargo test --test fuzz_replay -- --ignored show_repo_input`
/// prints the files a `repo` fuzz input generates, to read a crash.
#[test]
#[ignore = "prints one fuzz input as Python"]
fn show_repo_input() {
    let path = std::env::var("FUZZ_INPUT").expect("FUZZ_INPUT=path of a repo fuzz input");
    let bytes = std::fs::read(&path).unwrap();
    for (name, text) in fuzz_entry::repo_source(&bytes).unwrap_or_default() {
        println!("==> {name}\n{text}");
    }
}

/// `FUZZ_TARGET=t FUZZ_INPUT=path cargo test --test fuzz_replay -- --ignored replay_one`
/// runs one input through its target's entry, to reproduce a finding.
#[test]
#[ignore = "replays one input named by FUZZ_TARGET and FUZZ_INPUT"]
fn replay_one() {
    let target = std::env::var("FUZZ_TARGET").expect("FUZZ_TARGET=name of a target");
    let path = std::env::var("FUZZ_INPUT").expect("FUZZ_INPUT=path of an input");
    let (_, entry) = TARGETS
        .iter()
        .find(|(n, _)| *n == target)
        .unwrap_or_else(|| panic!("no fuzz entry named {target}"));
    entry(&std::fs::read(&path).unwrap());
}
