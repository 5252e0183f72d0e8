#!/usr/bin/env bash
# Download, on a machine with network, the wheels that a GPU machine with only torch and
# transformers installed lacks to run `bench_throughput.py --device cuda`, into .gpu-wheels/
# (git-ignored, about 60 MB). Pass the GPU machine's Python version, e.g. 3.11.
#
#   bash benchmarks/gpu_wheels.sh 3.11
#   # then, on the GPU machine, from the repository root:
#   pip install --no-index --find-links .gpu-wheels ctranslate2 sentencepiece py3langid ftfy \
#       charset-normalizer rich filelock babel
#   python benchmarks/bench_throughput.py --device cuda --stage translation
#
# cuBLAS 12 (the `cuda` extra, ~600 MB) is not among them: a CUDA 12 build of torch brings it
# already. Where it is missing, the CTranslate2 rows come out as skipped, with the reason.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:?give the Python version of the GPU machine, e.g. 3.11}"
pip download --quiet --no-deps --only-binary=:all: --python-version "$version" \
    --platform manylinux_2_28_x86_64 --platform manylinux2014_x86_64 \
    -d .gpu-wheels \
    ctranslate2 sentencepiece py3langid ftfy charset-normalizer rich filelock babel \
    wcwidth markdown-it-py mdurl pygments
du -sh .gpu-wheels
