#!/usr/bin/env bash
# Installs the Debian packages that @mobilemamba/backend-webgl's tests need.
# They are the headers and tools to build headless-gl (npm `gl`) from source,
# since no prebuilt binary can be downloaded here, and Xvfb, because
# headless-gl only creates a context when an X server is running. Chromium
# runs the same tests in a browser. Run the script before `pnpm install`, so
# that pnpm builds `gl` during the install. When every package is already
# installed it changes nothing, so it is safe to run again.
set -euo pipefail

packages=(
  # Compilers and tools for node-gyp.
  build-essential python3 pkg-config
  # Headers that headless-gl's native addon compiles against.
  libx11-dev libxext-dev libxi-dev libglu1-mesa-dev libglew-dev
  # Mesa's software OpenGL driver, which gives the Xvfb display its GLX.
  libgl1-mesa-dri
  # The virtual X server and the xvfb-run wrapper, which needs xauth.
  xvfb xauth
  # Headless Chromium, whose WebGL2 runs on SwiftShader without a GPU.
  chromium
)

missing=()
for package in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)"
  if [[ "$status" != "install ok installed" ]]; then missing+=("$package"); fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup-webgl: all ${#packages[@]} packages are already installed"
  exit 0
fi

echo "setup-webgl: installing ${missing[*]}"
# sudo is absent on root-only CI machines, so use it only when not root.
as_root=()
if [[ "$(id -u)" -ne 0 ]]; then as_root=(sudo); fi
"${as_root[@]}" apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
