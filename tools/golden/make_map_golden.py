"""Writes the golden file the TERS map augmentation and Raman tensor tests compare against (NumPy and SciPy).

    /usr/bin/python3 tools/golden/make_map_golden.py tests/Peakformer.Tests/Golden

map_golden.json holds a random map [C, H, W] and, per case, the reference's output:
    flip_rotate  np.rot90(np.flip(m, axis=1) if flip else m, k, axes=(1, 2)) (the vertical flip first, then k
                 counter-clockwise quarter turns)
    blur         scipy.ndimage.gaussian_filter1d along the columns, then along the rows, mode='mirror',
                 truncate=3.0 (the separable Gaussian blur of ters-ml-math-reference.md §2)
"""
import json, sys
import numpy as np
from scipy.ndimage import gaussian_filter1d

OUT = sys.argv[1] if len(sys.argv) > 1 else "."
rng = np.random.default_rng(20261202)


def floats(a):
    return [float(x) for x in np.asarray(a, dtype=np.float64).ravel()]


c, h, w = 2, 7, 7
m = rng.random((c, h, w)).astype(np.float32)
out = {"channels": c, "height": h, "width": w, "map": floats(m), "flip_rotate": [], "blur": []}
for flip in (False, True):
    for k in range(4):
        src = np.flip(m, axis=1) if flip else m
        out["flip_rotate"].append({"flip": flip, "k": k, "output": floats(np.rot90(src, k, axes=(1, 2)))})
hb, wb = 6, 9
mb = rng.random((c, hb, wb)).astype(np.float32)
for sigma in (0.4, 1.0, 2.5):
    ref = gaussian_filter1d(mb.astype(np.float64), sigma, axis=2, mode="mirror", truncate=3.0)
    ref = gaussian_filter1d(ref, sigma, axis=1, mode="mirror", truncate=3.0)
    out["blur"].append({"sigma": sigma, "height": hb, "width": wb, "map": floats(mb), "output": floats(ref)})
with open(f"{OUT}/map_golden.json", "w") as f:
    json.dump(out, f)
