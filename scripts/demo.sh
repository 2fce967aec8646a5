#!/usr/bin/env bash
# The provider against the local Writer emulator, end to end:
#   1. `terraform validate` catches a wrong callback URL and a mistyped scope;
#   2. apply creates the Confluence OAuth app; a re-plan is empty;
#   3. someone renames the app in "Writer" (the emulator's API): plan shows the drift (exit 2);
#   4. apply restores it; destroy cleans up.
# Needs only the Rust toolchain, terraform and curl. Touches nothing outside a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v terraform >/dev/null || { echo "demo: terraform (1.11 or newer) must be on PATH" >&2; exit 1; }
command -v curl >/dev/null || { echo "demo: curl must be on PATH" >&2; exit 1; }

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "Building the provider and the emulator"
cargo build --quiet --bins
bin=$PWD/target/debug

work=$(mktemp -d "${TMPDIR:-/tmp}/writer-demo.XXXXXX")
emulator_pid=""
cleanup() {
  [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

key="demo-admin-key-not-real"
say "Starting writer-emulator on a free loopback port"
# The key goes in the environment, not on the command line where `ps` shows it.
WRITER_EMULATOR_API_KEY="$key" "$bin/writer-emulator" --listen 127.0.0.1:0 > "$work/emulator.out" 2>&1 &
emulator_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/emulator.out" 2>/dev/null && break; sleep 0.05; done
base_url=$(sed -n 's/^writer-emulator listening on //p' "$work/emulator.out" | head -1)
[ -n "$base_url" ] || { cat "$work/emulator.out"; echo "demo: emulator did not start" >&2; exit 1; }
echo "emulator: $base_url"

# Install the provider the way a user would: a filesystem mirror and a CLI configuration.
version=$(scripts/version.sh)
mirror="$work/mirror/registry.terraform.io/writer/writer/$version/$(scripts/platform.sh)"
mkdir -p "$mirror"
cp "$bin/terraform-provider-writer" "$mirror/terraform-provider-writer_v$version"
cat > "$work/terraformrc" <<TFRC
disable_checkpoint = true
provider_installation {
  filesystem_mirror {
    path    = "$work/mirror"
    include = ["registry.terraform.io/writer/writer"]
  }
}
TFRC
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
export WRITER_API_KEY="$key" WRITER_BASE_URL="$base_url"
# The Atlassian app's client ID and secret, as a user gives them: obviously fake here.
export TF_VAR_atlassian_client_id="atlassian-client-id-example" TF_VAR_atlassian_client_secret="demo-secret-not-real-0001"

say "terraform validate catches Atlassian-side mistakes (examples/invalid/bad-callback, wrong on purpose)"
mkdir -p "$work/bad" && cp examples/invalid/bad-callback/main.tf "$work/bad/"
terraform -chdir="$work/bad" init -input=false >/dev/null
if terraform -chdir="$work/bad" validate -no-color; then
  echo "demo: validate should have failed" >&2; exit 1
fi

say "terraform apply (examples/quickstart)"
mkdir -p "$work/app" && cp examples/quickstart/main.tf "$work/app/"
tf() { terraform -chdir="$work/app" "$@"; }
tf init -input=false >/dev/null
tf apply -input=false -auto-approve -no-color
id=$(tf output -raw app_id 2>/dev/null || tf state show -no-color writer_confluence_oauth_app.engineering | sed -n 's/^ *id *= *"\(.*\)"$/\1/p' | head -1)

say "A re-plan is empty (exit code 0)"
tf plan -input=false -detailed-exitcode -no-color >/dev/null && echo "no changes"

say "Someone renames the app in Writer; plan -detailed-exitcode detects the drift (exit code 2)"
curl -sS -X PATCH "$base_url/v1/oauth-apps/$id" -H "Authorization: Bearer $key" \
  -H "Content-Type: application/json" -d '{"name":"Renamed by hand"}' >/dev/null
set +e
tf plan -input=false -detailed-exitcode -no-color
code=$?
set -e
[ "$code" -eq 2 ] || { echo "demo: expected exit code 2, got $code" >&2; exit 1; }
echo "exit code $code: drift detected"

say "terraform apply restores the declared state"
tf apply -input=false -auto-approve -no-color >/dev/null
tf plan -input=false -detailed-exitcode -no-color >/dev/null && echo "no changes"

say "terraform destroy"
tf destroy -input=false -auto-approve -no-color | tail -1
echo
echo "Demo complete."
