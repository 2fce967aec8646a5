#!/usr/bin/env python3
"""The 256 MiB upload benchmark (issue 23): a measurement, never a test.

  python3 benches/upload.py [--runs N] [--mib M] [--no-build] [--work DIR]

Against one release `writer-emulator` on loopback, interleaved, RUNS times
(after one warm-up of each, not counted):

  A  the provider: `terraform apply` of one `writer_file` whose source is
     the M MiB file (the release `terraform-provider-writer`, through
     dev_overrides). Its upload's time is the provider's own measure of the
     request (`elapsed_ms` of its `POST /v1/files` line in the debug log:
     connecting, sending the body streamed from disk, Writer's answer), not
     the whole apply. Its peak memory is the largest VmHWM of every provider
     process of the apply, polled from /proc every 10 ms (VmHWM only grows,
     so polling cannot miss a peak that lasts).
  B  the floor: `curl --data-binary @FILE` of the same file to the same
     `POST /v1/files` with the headers Writer wants (the key, Content-Type,
     Content-Disposition; `Expect:` emptied, so that curl never waits for a
     100 Continue), timed by curl itself (`time_total`; curl has read the
     file into memory before it starts).

Each upload is deleted again before the next. Prints each run, the medians,
the provider's throughput as a share of curl's (median of the pairwise
ratios, and ratio of the medians), and the verdict against issue 23's bars:
peak RSS under 64 MiB, throughput within 10% of curl's. Also the load
average before and after: the machine is shared, run it when it is quiet.

Needs python3, curl, terraform (>= 1.11) on PATH, and cargo unless
--no-build (then target/release must hold both binaries).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request

KEY = "bench-admin-key-not-real-0001"
NAME = "bench-256.bin"
RSS_BAR_MIB = 64
THROUGHPUT_BAR = 0.90
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def sh(args, **kw):
    return subprocess.run(args, check=True, **kw)


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def children(pid):
    out = []
    try:
        for t in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{t}/children") as f:
                    out += [int(x) for x in f.read().split()]
            except OSError:
                pass
    except OSError:
        pass
    return out


def descendants(pid):
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        for c in children(p):
            found.append(c)
            todo.append(c)
    return found


def status_kb(pid, field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def comm(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return ""


class Emulator:
    def __init__(self, binary, work):
        state = os.path.join(work, "state.json")
        env = dict(os.environ, WRITER_EMULATOR_API_KEY=KEY)
        self.proc = subprocess.Popen(
            [binary, "--listen", "127.0.0.1:0", "--state-file", state, "--processing-ms", "50"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
        line = self.proc.stdout.readline().strip()
        prefix = "writer-emulator listening on "
        if not line.startswith(prefix):
            sys.exit(f"unexpected first line from the emulator: {line!r}")
        self.base = line[len(prefix):]

    def call(self, method, path):
        req = urllib.request.Request(self.base + path, method=method,
                                     headers={"Authorization": f"Bearer {KEY}"})
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read() or b"null")

    def delete_all(self):
        while True:
            files = self.call("GET", "/v1/files?limit=100")["data"]
            if not files:
                return
            for f in files:
                self.call("DELETE", f"/v1/files/{f['id']}")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


def curl_once(emu, path):
    out = subprocess.run(
        ["curl", "-sS", "--fail", "-o", "/dev/null", "-w", "%{time_total} %{size_upload}",
         "-H", f"Authorization: Bearer {KEY}", "-H", "Content-Type: text/plain",
         "-H", f'Content-Disposition: attachment; filename="{NAME}"', "-H", "Expect:",
         "--data-binary", "@" + path, emu.base + "/v1/files"],
        check=True, capture_output=True, text=True).stdout.split()
    seconds, sent = float(out[0]), int(float(out[1]))
    if sent != os.path.getsize(path):
        sys.exit(f"curl sent {sent} bytes, not the file's {os.path.getsize(path)}")
    return seconds


def provider_once(emu, tfdir, env):
    log = os.path.join(tfdir, "terraform.log")
    for f in (log, os.path.join(tfdir, "terraform.tfstate")):
        if os.path.exists(f):
            os.remove(f)
    run_env = dict(env, TF_LOG="debug", TF_LOG_PATH=log, WRITER_BASE_URL=emu.base)
    p = subprocess.Popen(["terraform", "apply", "-auto-approve", "-input=false", "-no-color"],
                         cwd=tfdir, env=run_env, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    peak_kb, procs = {}, set()
    while p.poll() is None:
        for c in descendants(p.pid):
            if comm(c).startswith("terraform-provi"):
                procs.add(c)
                peak_kb[c] = max(peak_kb.get(c, 0), status_kb(c, "VmHWM"))
        time.sleep(0.01)
    output = p.stdout.read()
    if p.returncode != 0:
        sys.exit(f"terraform apply failed:\n{output}")
    uploads = []
    with open(log) as f:
        for line in f:
            words = line.split()
            if ("Writer API request" in line and "method=POST" in words
                    and "path=/v1/files" in words):
                if "Writer API request failed" in line or "status=200" not in words:
                    sys.exit(f"the upload failed: {line}")
                ms = next(w for w in words if w.startswith("elapsed_ms="))
                uploads.append(int(ms.split("=", 1)[1]) / 1000.0)
    if len(uploads) != 1:
        sys.exit(f"expected one upload request in the log, found {len(uploads)}")
    return uploads[0], max(peak_kb.values(), default=0), len(procs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--mib", type=int, default=256)
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--work", default=os.path.join(ROOT, "target", "bench-upload"))
    a = ap.parse_args()
    release = os.path.join(ROOT, "target", "release")
    if not a.no_build:
        sh(["cargo", "build", "--release", "--bin", "terraform-provider-writer",
            "--bin", "writer-emulator"], cwd=ROOT)
    provider = os.path.join(release, "terraform-provider-writer")
    emulator_bin = os.path.join(release, "writer-emulator")
    for b in (provider, emulator_bin):
        if not os.access(b, os.X_OK):
            sys.exit(f"missing {b}: build it, or drop --no-build")
    work = os.path.abspath(a.work)
    os.makedirs(work, exist_ok=True)
    data = os.path.join(work, NAME)
    size = a.mib * 1024 * 1024
    if not os.path.exists(data) or os.path.getsize(data) != size:
        with open(data, "wb") as f:
            for _ in range(a.mib):
                f.write(os.urandom(1024 * 1024))
    tfdir = os.path.join(work, "tf")
    os.makedirs(tfdir, exist_ok=True)
    with open(os.path.join(tfdir, "main.tf"), "w") as f:
        f.write('terraform {\n  required_providers {\n    writer = { source = "writer/writer" }\n  }\n}\n\n'
                'provider "writer" {}\n\n'
                f'resource "writer_file" "big" {{\n  source       = "{data}"\n'
                '  content_type = "text/plain"\n}\n')
    rc = os.path.join(work, "dev.tfrc")
    with open(rc, "w") as f:
        f.write('disable_checkpoint = true\nprovider_installation {\n  dev_overrides {\n'
                f'    "registry.terraform.io/writer/writer" = "{release}"\n  }}\n  direct {{}}\n}}\n')
    env = dict(os.environ, TF_CLI_CONFIG_FILE=rc, TF_IN_AUTOMATION="1", CHECKPOINT_DISABLE="1",
               WRITER_API_KEY=KEY)
    for k in ("TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PATH"):
        env.pop(k, None)
    tf_version = subprocess.run(["terraform", "version"], capture_output=True,
                                text=True).stdout.splitlines()[0]
    load_before = load()
    print(f"{a.mib} MiB, {a.runs} runs (+1 warm-up), {tf_version}, load average {load_before}",
          flush=True)
    emu = Emulator(emulator_bin, work)
    curl_s, prov_s, rss_kb, ratios = [], [], [], []
    try:
        for i in range(a.runs + 1):
            c = curl_once(emu, data)
            emu.delete_all()
            p, peak, procs = provider_once(emu, tfdir, env)
            emu.delete_all()
            tag = "warm-up" if i == 0 else f"run {i}"
            print(f"{tag:8s} curl {c:6.3f} s ({a.mib / c:7.1f} MiB/s)   provider upload {p:6.3f} s "
                  f"({a.mib / p:7.1f} MiB/s)   provider peak RSS {peak / 1024:5.1f} MiB "
                  f"({procs} provider processes)   load {load()}", flush=True)
            if i == 0:
                continue
            curl_s.append(c)
            prov_s.append(p)
            rss_kb.append(peak)
            ratios.append(c / p)
    finally:
        emu.stop()
    mc, mp = statistics.median(curl_s), statistics.median(prov_s)
    share = statistics.median(ratios)
    peak_mib = max(rss_kb) / 1024
    print(f"median  curl {mc:.3f} s ({a.mib / mc:.1f} MiB/s)   provider upload {mp:.3f} s "
          f"({a.mib / mp:.1f} MiB/s)")
    print(f"provider throughput / curl throughput: median of pairs {share:.3f}, "
          f"of medians {mc / mp:.3f}")
    print(f"provider peak RSS: max {peak_mib:.1f} MiB, median "
          f"{statistics.median(rss_kb) / 1024:.1f} MiB")
    print(f"load average before {load_before}, after {load()}")
    rss_ok = peak_mib < RSS_BAR_MIB
    speed_ok = share >= THROUGHPUT_BAR
    print(f"bar: peak RSS < {RSS_BAR_MIB} MiB: {'met' if rss_ok else 'MISSED'}; "
          f"throughput within {round((1 - THROUGHPUT_BAR) * 100)}% of curl: "
          f"{'met' if speed_ok else 'MISSED'}")
    return 0 if rss_ok and speed_ok else 1


if __name__ == "__main__":
    sys.exit(main())
