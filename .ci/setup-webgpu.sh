#!/usr/bin/env bash
# Installs what @mobilemamba/backend-webgpu's tests need on a Debian machine
# without a GPU: Mesa's llvmpipe behind EGL and OpenGL ES, which Dawn's
# OpenGL ES backend drives in WebGPU compatibility mode. With --browser it
# also installs Chromium, for running the backend on navigator.gpu
# (SwiftShader). Safe to run again: installed packages are skipped.
# Needs root (CI runs as root).
set -euo pipefail

packages=(libegl-mesa0 libgl1-mesa-dri libgles2)
if [[ "${1:-}" == "--browser" ]]; then
  packages+=(chromium)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup-webgpu: ${packages[*]} already installed"
  exit 0
fi

echo "setup-webgpu: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install --yes --no-install-recommends "${missing[@]}"
