#!/usr/bin/env bash
# Measures WebGPU throughput of T2, S6 and B1 at batch 1, 8 and 64 on a
# machine with a real GPU, one JSON object per line (the `mobilemamba bench
# --json` format), and names the adapter. Run from the repository root after
# `pnpm install --frozen-lockfile && pnpm build`. Each case gets 3 warm-up
# calls and 10 timed ones; a case that fails prints its error and the script
# goes on with the next.
set -uo pipefail
cd "$(dirname "$0")/../.."

errors="$(mktemp)"
compact='process.stdout.write(JSON.stringify(JSON.parse(require("fs").readFileSync(0, "utf8"))) + "\n")'
quote='process.stdout.write(JSON.stringify(require("fs").readFileSync(0, "utf8").trim()))'

# MODELS and BATCHES narrow the run, e.g. MODELS=t2 BATCHES=1 for a quick check.
for model in ${MODELS:-t2 s6 b1}; do
  for batch in ${BATCHES:-1 8 64}; do
    if output="$(node packages/cli/dist/bin.js bench --backend webgpu --model "$model" --batch "$batch" \
      --warmup 3 --runs 10 --json 2>"$errors")"; then
      node -e "$compact" <<<"$output"
    else
      echo "{\"model\":\"$model\",\"batch\":$batch,\"error\":$(tail -n 1 "$errors" | node -e "$quote")}"
    fi
  done
done
