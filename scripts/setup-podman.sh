#!/usr/bin/env bash
# Prepares a rootful podman able to run the test image on these machines (see ../shared/STACK.md):
# installs podman + runc + busybox-static when missing (root + apt-get only), imports
# localhost/consist-busybox:test from /bin/busybox without any registry, and writes the
# containers.conf that podman needs here. Idempotent and fast when everything is present.
# Always exits 0: when something cannot be done it says why, and the container tests skip visibly.
set -uo pipefail
cd "$(dirname "$0")/.."

IMAGE="${CONSIST_TEST_IMAGE:-localhost/consist-busybox:test}"
CONF_DIR="$PWD/.tmp"
CONF="$CONF_DIR/containers.conf"

say() { echo "setup-podman: $*" >&2; }

install_packages() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    say "podman is missing and this is not root with apt-get; install it with: apt-get install -y podman runc busybox-static"
    return 1
  fi
  say "installing podman runc busybox-static (apt-get, quiet)…"
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends podman runc busybox-static; } >/dev/null 2>"$CONF_DIR/apt.log"; then
    say "apt-get failed (see $CONF_DIR/apt.log):"; tail -n 5 "$CONF_DIR/apt.log" >&2
    return 1
  fi
}

write_conf() {
  # crun fails here on rlimits; an empty default_ulimits list avoids setting any.
  local want=$'[containers]\ndefault_ulimits = []'
  if [ ! -f "$CONF" ] || [ "$(cat "$CONF")" != "$want" ]; then printf '%s\n' "$want" > "$CONF"; fi
}

podman_cmd() {
  CONTAINERS_CONF="$CONF" podman --cgroup-manager=cgroupfs --runtime runc "$@"
}

import_image() {
  if podman_cmd image exists "$IMAGE" 2>/dev/null; then return 0; fi
  local busybox; busybox="$(command -v busybox || true)"
  [ -x /bin/busybox ] && busybox=/bin/busybox
  if [ -z "$busybox" ] || ! file_is_static "$busybox"; then
    say "no static busybox found (apt-get install -y busybox-static); cannot build $IMAGE"; return 1
  fi
  local dir; dir="$(mktemp -d)"
  mkdir -p "$dir/rootfs/bin" "$dir/rootfs/tmp" "$dir/rootfs/work"
  cp "$busybox" "$dir/rootfs/bin/busybox"
  local tool
  for tool in sh echo cat ls mkdir printf sleep env true false wc head tail touch rm cp; do
    ln -s busybox "$dir/rootfs/bin/$tool"
  done
  tar -C "$dir/rootfs" -cf "$dir/img.tar" .
  if ! podman_cmd import --quiet "$dir/img.tar" "$IMAGE" >/dev/null 2>"$dir/err"; then
    say "podman import failed:"; cat "$dir/err" >&2; rm -rf "$dir"; return 1
  fi
  rm -rf "$dir"
  say "imported $IMAGE"
}

# A dynamically linked busybox would not run inside the empty image.
file_is_static() {
  ! grep -q 'ld-linux' <(head -c 4096 "$1" | tr -c '[:print:]' '\n' 2>/dev/null)
}

main() {
  mkdir -p "$CONF_DIR"
  # Parallel jest workers may call this at once: one apt-get/import at a time.
  if command -v flock >/dev/null 2>&1; then exec 9>"$CONF_DIR/setup-podman.lock"; flock -w 900 9 || true; fi
  write_conf
  if ! command -v podman >/dev/null 2>&1 || ! command -v runc >/dev/null 2>&1 \
     || { [ ! -x /bin/busybox ] && ! command -v busybox >/dev/null 2>&1; }; then
    install_packages || { say "container tests will be skipped"; return 0; }
  fi
  import_image || { say "container tests will be skipped"; return 0; }
  say "ready: podman $(podman --version 2>/dev/null | awk '{print $3}'), image $IMAGE, CONTAINERS_CONF=$CONF"
}

main
exit 0
