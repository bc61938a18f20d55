// An allocation-heavy workload (hundreds of thousands of small strings per
// registry): mimalloc measurably beats the system allocator here.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    feastops::cli::main()
}
