#!/usr/bin/env bash
# Times ESeg's training step in PyTorch eager mode (tools/pytorch-train-step.py), to compare with
# `eseg benchmark --train`. A measuring instrument only: it installs Debian's python3-torch when it is missing
# (apt-get, as root) and never touches the product. All arguments go to the Python script, e.g.
#   tools/pytorch-train-step.sh --model eseg-s --crop 256x512 --batch 4 --steps 5
#   ONEDNN_MAX_CPU_ISA=AVX2 OMP_NUM_THREADS=1 tools/pytorch-train-step.sh --threads 1 ...   (eseg's setting here)
# It also prints eseg's own parameter count for the model (`eseg info`), which must equal PyTorch's.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Debian's python3-torch belongs to the system interpreter, not to any other python3 first on the PATH.
py=/usr/bin/python3

if ! "$py" -c 'import torch' 2>/dev/null; then
  echo "pytorch-train-step: installing Debian's python3-torch" >&2
  apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-torch >&2
fi

model=eseg-s
prev=""
for arg in "$@"; do
  [ "$prev" = "--model" ] && model="$arg"
  case "$arg" in --model=*) model="${arg#--model=}" ;; esac
  prev="$arg"
done
if [ -z "${ESEG_SKIP_INFO:-}" ] && [ -x "$here/../eseg" ]; then
  # eseg's count, to check that the two build the same network.
  count="$("$here/../eseg" info --model "$model" --json 2>/dev/null | grep -o '^{"model[^,]*,[^,]*,"params":[0-9]*' | grep -o '[0-9]*$')" || true
  echo "eseg info: $model: ${count:-(eseg info failed)} parameters"
fi
exec "$py" "$here/pytorch-train-step.py" "$@"
