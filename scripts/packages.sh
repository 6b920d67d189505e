# Sourced by demo.sh and test.sh: install the Debian packages given as arguments where missing.
# Checked first, so a set-up machine pays nothing. Where they cannot be installed (no sudo; Ubuntu ships
# Chromium only as a snap) this warns and goes on: what needs them says so when it runs.
ensure_packages() {
  local missing=()
  for package in "$@"; do
    # The status, not just `dpkg -s`: that also succeeds for a removed package whose config files remain.
    [ "$(dpkg-query -W -f '${Status}' "$package" 2>/dev/null)" = "install ok installed" ] ||
      missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  { as_root apt-get update -qq &&
    as_root env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; } ||
    echo "warning: could not install ${missing[*]}" >&2
}
