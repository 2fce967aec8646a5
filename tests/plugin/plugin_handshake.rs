//! The real provider binary through the real handshake, as Terraform starts
//! it: magic cookie, protocol versions, and a P-521 self-signed CA client
//! certificate like Terraform's (`crate::support::plugin_client`). A tonic client
//! speaks gRPC over mutual TLS on the announced unix socket, or on TCP
//! (`PLUGIN_TRANSPORT=tcp`, the Windows transport); clients without that
//! exact certificate cannot call anything on either.

use std::path::Path;
use std::process::{Child, Command};
use std::time::Duration;

use crate::support::plugin_client::{
    assert_is_the_writer_schema, channel, get_schema, start_plugin_with, terraform_environment,
    terraform_like_identity, Plugin,
};
use terraform_provider_writer::tfplugin::proto::plugin as gp;

fn start_plugin(client_cert_pem: &str) -> Plugin {
    start_plugin_with(client_cert_pem, None, None)
}

fn wait_exit(child: &mut Child) -> Option<std::process::ExitStatus> {
    for _ in 0..500 {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    None
}

async fn terraform_certificate_gets_the_schema(transport: Option<&str>) {
    let id = terraform_like_identity();
    let plugin = start_plugin_with(&id.pem, None, transport);
    let channel = channel(&plugin.handshake, Some(&id))
        .await
        .expect("mutual TLS connects");
    let schema = get_schema(channel).await.expect("GetProviderSchema");
    assert_is_the_writer_schema(&schema);
}

async fn a_client_without_a_certificate_cannot_call_anything(transport: Option<&str>) {
    let id = terraform_like_identity();
    let plugin = start_plugin_with(&id.pem, None, transport);
    // With TLS 1.3 the refusal can surface at connect or at the first call.
    if let Ok(channel) = channel(&plugin.handshake, None).await {
        let err = get_schema(channel)
            .await
            .expect_err("no certificate, no RPC");
        assert_ne!(err.code(), tonic::Code::Ok);
    }
    // The plugin is still serving its rightful client.
    let good = channel(&plugin.handshake, Some(&id))
        .await
        .expect("Terraform still connects");
    get_schema(good).await.expect("and is served");
}

async fn a_client_with_another_certificate_cannot_call_anything(transport: Option<&str>) {
    let id = terraform_like_identity();
    let intruder = terraform_like_identity();
    let plugin = start_plugin_with(&id.pem, None, transport);
    if let Ok(channel) = channel(&plugin.handshake, Some(&intruder)).await {
        let err = get_schema(channel)
            .await
            .expect_err("another certificate, no RPC");
        assert_ne!(err.code(), tonic::Code::Ok);
    }
}

/// Each mutual-TLS check, as a test on each transport: `NAME::unix_socket`
/// (the default) and `NAME::tcp` (`PLUGIN_TRANSPORT=tcp`, Windows' transport).
macro_rules! on_every_transport {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn unix_socket() {
                super::$name(None).await
            }

            #[tokio::test]
            async fn tcp() {
                super::$name(Some("tcp")).await
            }
        }
    )*};
}

on_every_transport!(
    terraform_certificate_gets_the_schema,
    a_client_without_a_certificate_cannot_call_anything,
    a_client_with_another_certificate_cannot_call_anything,
);

/// Starts the plugin as Terraform would, but with `PLUGIN_TRANSPORT=transport`
/// and the given client certificate (or none); it must refuse to serve: no
/// handshake line, a failure, and its stderr.
fn refused_to_serve(transport: &str, client_cert_pem: Option<&str>) -> String {
    let mut command = Command::new(crate::support::provider_binary());
    terraform_environment(&mut command, client_cert_pem.unwrap_or(""));
    if client_cert_pem.is_none() {
        command.env_remove("PLUGIN_CLIENT_CERT");
    }
    let out = command
        .env("PLUGIN_TRANSPORT", transport)
        .output()
        .expect("runs");
    assert!(!out.status.success(), "{out:?}");
    assert!(out.stdout.is_empty(), "no handshake line: {out:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A loopback port is open to every local user: no TCP without mutual TLS.
#[test]
fn tcp_without_a_client_certificate_is_refused() {
    let stderr = refused_to_serve("tcp", None);
    assert!(
        stderr.contains("serves TCP only over mutual TLS") && stderr.contains("PLUGIN_CLIENT_CERT"),
        "{stderr}"
    );
}

#[test]
fn an_unknown_transport_is_refused_saying_which_exist() {
    let id = terraform_like_identity();
    let stderr = refused_to_serve("udp", Some(&id.pem));
    assert!(
        stderr.contains("PLUGIN_TRANSPORT=\"udp\"") && stderr.contains("\"tcp\""),
        "{stderr}"
    );
}

#[tokio::test]
async fn controller_shutdown_ends_the_process_and_removes_the_socket() {
    let id = terraform_like_identity();
    let mut plugin = start_plugin(&id.pem);
    let ch = channel(&plugin.handshake, Some(&id))
        .await
        .expect("connects");
    let mut controller = gp::grpc_controller_client::GrpcControllerClient::new(ch);
    // The process may exit before the reply arrives: either outcome is fine.
    let _ = controller.shutdown(gp::Empty {}).await;
    let status = wait_exit(&mut plugin.child).expect("the plugin exits after Shutdown");
    assert!(status.success(), "clean exit, got {status:?}");
    assert!(!plugin.socket().exists(), "socket removed");
    assert!(
        !plugin.socket().parent().expect("dir").exists(),
        "private directory removed"
    );
}

/// Without a client certificate anyone who can connect can call every RPC:
/// the directory and socket must be this user's alone whatever the umask
/// (0277 would also leave a directory we could not bind in).
#[test]
fn socket_and_directory_are_private_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt as _;
    for umask in ["000", "022", "277"] {
        let plugin = start_plugin_with("", Some(umask), None);
        let mode = |p: &std::path::Path| {
            std::fs::metadata(p)
                .map(|m| m.permissions().mode() & 0o777)
                .expect("metadata")
        };
        let dir = plugin.socket().parent().expect("dir");
        let (dir_mode, socket_mode) = (mode(dir), mode(plugin.socket()));
        assert!(
            dir_mode == 0o700,
            "directory {dir_mode:o} under umask {umask}"
        );
        assert!(
            socket_mode == 0o600,
            "socket {socket_mode:o} under umask {umask}"
        );
    }
}

fn send_signal(signal: &str, child: &Child) {
    let status = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success(), "kill {signal}");
}

#[test]
fn sigterm_ends_the_process_cleanly() {
    let id = terraform_like_identity();
    let mut plugin = start_plugin(&id.pem);
    send_signal("-TERM", &plugin.child);
    let status = wait_exit(&mut plugin.child).expect("the plugin exits on SIGTERM");
    assert!(status.success(), "{status:?}");
    assert!(!plugin.socket().exists());
}

/// Ctrl-C reaches the plugin too (same process group as Terraform), and
/// Terraform answers it by stopping the provider and waiting for calls in
/// flight: the plugin must still be there to return them. A second SIGINT
/// (Terraform's "exit now") ends it.
#[tokio::test]
async fn first_sigint_stops_calls_but_keeps_serving_second_ends_the_process() {
    let id = terraform_like_identity();
    let mut plugin = start_plugin(&id.pem);
    send_signal("-INT", &plugin.child);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        plugin.child.try_wait().expect("status").is_none(),
        "still running after the first SIGINT"
    );
    let ch = channel(&plugin.handshake, Some(&id))
        .await
        .expect("still connects");
    get_schema(ch)
        .await
        .expect("still answers after the first SIGINT");
    send_signal("-INT", &plugin.child);
    let status = wait_exit(&mut plugin.child).expect("the plugin exits on the second SIGINT");
    assert!(status.success(), "{status:?}");
    assert!(!plugin.socket().exists());
}

#[test]
fn run_by_hand_it_explains_itself_and_fails() {
    let out = Command::new(crate::support::provider_binary())
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Terraform plugin"), "{stderr}");
    assert!(stderr.contains("--debug"), "{stderr}");
    assert!(
        out.stdout.is_empty(),
        "nothing on stdout: Terraform would read it as a handshake"
    );
}

#[test]
fn version_flag_prints_the_cargo_version_and_exits() {
    let out = Command::new(crate::support::provider_binary())
        .arg("--version")
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .output()
        .expect("runs");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("terraform-provider-writer {}\n", env!("CARGO_PKG_VERSION"))
    );
}

/// Starts `--debug` (with `PLUGIN_TRANSPORT=transport` when given); the
/// process, and the provider's entry of the `TF_REATTACH_PROVIDERS` value it prints.
fn start_debug(tmp: &Path, transport: Option<&str>) -> (Child, serde_json::Value) {
    let mut command = crate::support::plugin_client::debug_command(tmp);
    match transport {
        Some(t) => command.env("PLUGIN_TRANSPORT", t),
        None => command.env_remove("PLUGIN_TRANSPORT"),
    };
    let mut child = command.spawn().expect("runs");
    let reattach = crate::support::plugin_client::reattach_value(&mut child);
    let v: serde_json::Value = serde_json::from_str(&reattach).expect("JSON");
    (child, v["registry.terraform.io/writer/writer"].clone())
}

/// Run by hand, Ctrl-C is how debug mode ends: at the first SIGINT.
fn first_sigint_ends(mut child: Child) {
    send_signal("-INT", &child);
    let status = wait_exit(&mut child).expect("debug mode exits on the first SIGINT");
    assert!(status.success(), "{status:?}");
}

#[test]
fn debug_mode_prints_a_reattach_value() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (child, provider) = start_debug(tmp.path(), None);
    assert_eq!(provider["Addr"]["Network"], "unix", "{provider}");
    let addr = provider["Addr"]["String"].as_str().expect("socket");
    assert!(Path::new(addr).exists(), "the socket is there");
    first_sigint_ends(child);
}
