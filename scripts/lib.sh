# Shared by scripts/run and scripts/test: idempotent set-up steps. Each checks
# first and installs only what is missing, so a second run is fast.
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CARGO_LEPTOS_VERSION=0.3.10

step() { printf '\n==> %s\n' "$*" >&2; }

# Debian packages, installed only when one is missing.
ensure_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    step "installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# The wasm target, cargo-leptos and the wasm-bindgen CLI matching Cargo.lock.
# cargo-leptos downloads any tool it cannot find on PATH, which fails offline,
# so every tool it uses must be there first.
ensure_rust_tools() {
  export PATH="$HOME/.cargo/bin:$PATH"
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    step "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 10 minutes on 2 cores)"
    cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION"
  fi
  local wb
  wb=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$ROOT/Cargo.lock")
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $wb\$"; then
    step "installing wasm-bindgen-cli $wb"
    # Not --locked: its lockfile pins a yanked crate.
    cargo install wasm-bindgen-cli --version "$wb"
  fi
}

# npm packages of end2end (Playwright, axe-core, binaryen's wasm-opt), and their
# bin directory first on PATH: Debian's wasm-opt breaks the release bundle.
ensure_npm() {
  local stamp="$ROOT/end2end/node_modules/.hongye-lock"
  if [ ! -f "$stamp" ] || ! cmp -s "$stamp" "$ROOT/end2end/package-lock.json"; then
    step "installing end2end npm packages"
    (cd "$ROOT/end2end" && npm ci --no-audit --no-fund)
    cp "$ROOT/end2end/package-lock.json" "$stamp"
  fi
  export PATH="$ROOT/end2end/node_modules/.bin:$PATH"
}

# Python with aiosmtpd (from PyPI) for the real SMTP server the mail tests send
# to (scripts/smtp-sink.py). A virtual environment under target/, pinned.
SMTP_SINK_REQUIREMENT="aiosmtpd==1.4.6"
ensure_smtp_sink() {
  local venv="$ROOT/target/smtp-venv" stamp="$ROOT/target/smtp-venv/.hongye-requirement"
  if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$SMTP_SINK_REQUIREMENT" ]; then
    step "installing $SMTP_SINK_REQUIREMENT for the mail tests"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$SMTP_SINK_REQUIREMENT"
    echo "$SMTP_SINK_REQUIREMENT" > "$stamp"
  fi
  export HONGYE_TEST_SMTP_PYTHON="$venv/bin/python"
}

# A PostgreSQL server on 127.0.0.1 that trusts local TCP connections (tests only).
ensure_postgres() {
  ensure_apt postgresql
  local version conf
  version=$(ls /etc/postgresql | sort -n | tail -1)
  conf=/etc/postgresql/$version/main/pg_hba.conf
  if ! grep -Eq '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$conf"; then
    sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$conf"
    pg_ctlcluster "$version" main reload 2>/dev/null || true
  fi
  if ! pg_ctlcluster "$version" main status >/dev/null 2>&1; then
    step "starting PostgreSQL $version"
    pg_ctlcluster "$version" main start
  fi
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && return 0
    sleep 1
  done
  echo "PostgreSQL did not become ready on 127.0.0.1:5432" >&2
  return 1
}

# Environment for running a built server outside cargo-leptos.
site_env() {
  export LEPTOS_OUTPUT_NAME=hongye
  export LEPTOS_SITE_ROOT="$ROOT/target/site"
  export LEPTOS_SITE_PKG_DIR=pkg
  export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
  export LEPTOS_RELOAD_PORT="${LEPTOS_RELOAD_PORT:-3001}"
}
