fn main() -> std::process::ExitCode {
    feastops::cli::main()
}
