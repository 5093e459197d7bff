"""Writes vit_attention.json, the attention maps and paired-test values the Peakformer tests compare against.

Run after make_vit_golden.py (it reads that script's torchvision attention probabilities), with NumPy and SciPy:
    /usr/bin/python3 tools/golden/make_vit_attention_golden.py tests/Peakformer.Tests/Golden

For "vit" (2D patches) and "vit1d" (raster patches), from out.attention.<layer> [N, heads, S+1, S+1] of
<model>_torch_io.safetensors, per image:
    heads     [layers, heads, S]  row 0 (the class token), columns 1..S
    rollout   [S]                 Abnar and Zuidema (2020): per layer the heads' mean plus the identity, rows
                                  renormalised, multiplied first to last (R = A_L ... A_1), row 0, columns 1..S
    pixels    [28 * 28]           the rollout spread over the image: "vit" patch k is the 7x7 block in row k // 4,
                                  column k % 4; "vit1d" patch k is raster pixels 49k .. 49k + 48
and McNemar's exact test (scipy.stats.binomtest on the discordant pairs, p = 0.5, two-sided) for a few (b, c).
The safetensors reader (python/peakformer_torch.py, struct + json + numpy) is independent of the C# one.
"""
import json, os, sys
import numpy as np
from scipy.stats import binomtest
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import peakformer_torch as pt  # noqa: E402  the safetensors reader

OUT = sys.argv[1] if len(sys.argv) > 1 else "."
IMAGE, PATCH = 28, 7


def read(path):
    return {k: v.astype(np.float64) for k, v in pt.read_safetensors(path)[0].items()}


def rollout(layers):
    t = layers[0].shape[-1]
    r = np.eye(t)
    for a in layers:
        m = a.mean(axis=0) + np.eye(t)
        m = m / m.sum(axis=1, keepdims=True)
        r = m @ r
    return r[0, 1:]


def pixels(patches, raster):
    grid = IMAGE // PATCH
    out = np.zeros((IMAGE, IMAGE))
    for y in range(IMAGE):
        for x in range(IMAGE):
            k = (y * IMAGE + x) // (PATCH * PATCH) if raster else (y // PATCH) * grid + x // PATCH
            out[y, x] = patches[k]
    return out.reshape(-1)


result = {}
for name in ("vit", "vit1d"):
    io = read(os.path.join(OUT, name + "_torch_io.safetensors"))
    layers = [io[f"out.attention.{i}"] for i in range(len([k for k in io if k.startswith("out.attention.")]))]
    images = []
    for b in range(layers[0].shape[0]):
        per = [a[b] for a in layers]
        roll = rollout(per)
        images.append({"heads": np.stack([a[:, 0, 1:] for a in per]).reshape(-1).tolist(), "rollout": roll.tolist(),
                       "pixels": pixels(roll, name == "vit1d").tolist()})
    result[name] = images

result["mcnemar"] = [{"b": b, "c": c, "p": 1.0 if b + c == 0 else binomtest(b, b + c, 0.5).pvalue}
                     for b, c in [(0, 0), (5, 1), (0, 7), (40, 62), (300, 360), (1200, 1100), (13, 13)]]
with open(os.path.join(OUT, "vit_attention.json"), "w") as f:
    json.dump(result, f, indent=1)
