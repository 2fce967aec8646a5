#!/bin/sh
# Drift detection for a Terraform configuration that uses the writer provider,
# for a scheduled CI job (examples/ci/github-actions/, examples/ci/gitlab/ call
# it; copy it into your repository). Run it in the configuration's directory.
#
# Exit code: 0 no drift; 2 drift: Writer differs from the configuration (the
# job fails with a summary of what differs, printed, written to
# $DRIFT_SUMMARY_FILE and, on GitHub, to the job summary); 1 error: no verdict
# (Writer unreachable, a bad key, a broken configuration or state backend).
#
# Least privilege: WRITER_API_KEY holds a read-only Writer key (plan only
# reads) and no Atlassian secret is given (an app that exists is planned
# without it). For Knowledge Graphs, the key of an AI Studio API agent with
# the Knowledge Graph capability (Writer has no read-only kind: give CI an
# agent of its own), and the documents a writer_file uploads (plan hashes
# them: run it on a checkout of the repository). Needs terraform and jq on PATH (GitHub's ubuntu runners have
# jq; on the hashicorp/terraform image, `apk add jq`).
set -u

plan_file=${DRIFT_PLAN_FILE:-drift.tfplan}
summary_file=${DRIFT_SUMMARY_FILE:-drift-summary.md}
rm -f "$summary_file"
# The plan file holds the state's values: it never leaves this job.
trap 'rm -f "$plan_file"' EXIT

for tool in terraform jq; do
  command -v "$tool" >/dev/null 2>&1 || { echo "drift-check: $tool is not on PATH" >&2; exit 1; }
done

terraform init -input=false -no-color || { echo "drift-check: terraform init failed: no verdict on drift" >&2; exit 1; }

terraform plan -input=false -lock=false -detailed-exitcode -no-color -out="$plan_file"
code=$?
case $code in
  0) echo "drift-check: no drift: Writer matches the configuration"; exit 0 ;;
  2) ;;
  *) echo "drift-check: terraform plan failed (exit code $code): no verdict on drift" >&2; exit 1 ;;
esac

# What differs, one line an attribute: Writer's value, then the configuration's
# (what `terraform apply` would set). Sensitive values are not shown.
terraform show -json "$plan_file" | jq -r '
  def show: if type == "string" then "\"" + . + "\"" else tojson end;
  [.resource_changes[]? | select(.change.actions != ["no-op"] and .change.actions != ["read"])] as $changes
  | "## Drift: \($changes | length) resource(s) in Writer differ from the configuration",
    "",
    ($changes[]
     | .change as $c
     | ($c.before // {}) as $before
     | ($c.after // {}) as $after
     | "- `\(.address)`: " + (if $c.actions == ["create"] then "missing in Writer (deleted there?): apply would create it"
                              elif $c.actions == ["delete"] then "not in the configuration: apply would delete it"
                              else "apply would " + ($c.actions | join(" and ")) + " it" end),
       (if $c.actions == ["update"] then
          ([$before, $after] | map(keys) | add | unique)[] as $k
          | select($before[$k] != $after[$k] and (($c.after_unknown // {})[$k] // false) != true)
          | if (($c.before_sensitive // {})[$k] // false) != false or (($c.after_sensitive // {})[$k] // false) != false
            then "  - `\($k)` (sensitive) differs"
            else "  - `\($k)`: Writer has \($before[$k] | show), the configuration says \($after[$k] | show)"
            end
        else empty end)),
    "",
    "Apply the configuration to restore it, or change the configuration to accept what Writer has."
' > "$summary_file" || { echo "drift-check: could not summarise the plan" >&2; exit 1; }

cat "$summary_file"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat "$summary_file" >> "$GITHUB_STEP_SUMMARY"; fi
exit 2
