//! `writer-emulator`: serves the local Writer OAuth Apps API. All the work is
//! in `terraform_provider_writer::emulator`; this only wires it to a process.

use std::io::Write;
use std::process::ExitCode;

use terraform_provider_writer::emulator::{self, cli};

fn fail(message: impl std::fmt::Display, code: u8) -> ExitCode {
    eprintln!("writer-emulator: {message}");
    ExitCode::from(code)
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match cli::parse(std::env::args_os().skip(1), |name| std::env::var_os(name)) {
        Ok(cli::Command::Run(options)) => options,
        Ok(cli::Command::Help) => {
            print!("{}", cli::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(e) => return fail(format_args!("{e}\nTry --help."), 2),
    };
    // Before binding: a bad key list, or a state file that is corrupt or in
    // use by another emulator, must not look like a started server.
    let seeded = emulator::seeded(&options.config.knowledge_graph);
    let prepared = match emulator::prepare(options.config) {
        Ok(prepared) => prepared,
        Err(e) => return fail(e, 2),
    };
    let listener = match tokio::net::TcpListener::bind(&options.listen).await {
        Ok(listener) => listener,
        Err(e) => return fail(format_args!("cannot listen on {}: {e}", options.listen), 1),
    };
    if let Ok(addr) = listener.local_addr() {
        println!("writer-emulator listening on http://{addr}");
        // Not println!: a reader that stopped after the first line must not
        // make the emulator panic on a closed pipe.
        let mut stdout = std::io::stdout();
        for seeded in &seeded {
            let _ = writeln!(stdout, "{seeded}");
        }
        let _ = std::io::stdout().flush();
    }
    cli::init_logging();
    prepared.serve(listener, cli::shutdown_signal()).await;
    ExitCode::SUCCESS
}
