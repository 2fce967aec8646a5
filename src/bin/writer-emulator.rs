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
    // Before binding: a bad key list or state file must not look like a started server.
    if let Err(e) = emulator::check(&options.config) {
        return fail(e, 2);
    }
    let listener = match tokio::net::TcpListener::bind(&options.listen).await {
        Ok(listener) => listener,
        Err(e) => return fail(format_args!("cannot listen on {}: {e}", options.listen), 1),
    };
    if let Ok(addr) = listener.local_addr() {
        println!("writer-emulator listening on http://{addr}");
        // Not println!: a reader that stopped after the first line must not
        // make the emulator panic on a closed pipe.
        let mut stdout = std::io::stdout();
        for seeded in emulator::seeded(&options.config.knowledge_graph) {
            let _ = writeln!(stdout, "{seeded}");
        }
        let _ = std::io::stdout().flush();
    }
    cli::init_logging();
    match emulator::run(listener, options.config, cli::shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e, 1),
    }
}
