# Shared helpers for the scripts in this folder (sourced, not run).

# Prints a visible step header.
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

# Installs the wasm32 target into the active toolchain when it is missing (seconds on a fresh machine).
ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    rustup target add wasm32-unknown-unknown
  fi
}
