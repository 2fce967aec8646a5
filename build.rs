//! Compiles our own `proto/` files with `protox` (a protobuf compiler written in Rust),
//! so that building needs no system `protoc`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files = [
        "proto/tfplugin6.proto",
        "proto/grpc_controller.proto",
        "proto/grpc_stdio.proto",
    ];
    for f in files {
        println!("cargo:rerun-if-changed={f}");
    }
    let descriptors = protox::compile(files, ["proto"])?;
    tonic_prost_build::configure()
        .build_client(true) // tests drive the server through a real client
        .build_server(true)
        .compile_fds(descriptors)?;
    Ok(())
}
