"""Writes the NumPy golden archives the NPY/NPZ reader tests read (Debian's python3-numpy).

    /usr/bin/python3 tools/golden/make_npz.py tests/Peakformer.Tests/Golden

numpy_golden.npz and numpy_golden_compressed.npz hold one array per supported dtype with values given by the
formulas in the comments (the C# test recomputes them); numpy_unsupported.npz holds arrays the reader must
reject with a clear message.
"""
import os, sys
import numpy as np

out = sys.argv[1] if len(sys.argv) > 1 else "."
arrays = {
    "f4": (np.arange(12, dtype=np.float32).reshape(3, 4) * 0.5 - 1),         # 0.5 i - 1
    "f8": (np.arange(5, dtype=np.float64) / 3.0),                             # i / 3
    "i1": np.arange(-3, 4, dtype=np.int8),                                     # -3..3
    "i4": (np.arange(6, dtype=np.int32).reshape(2, 3) * -7),                  # -7 i
    "i8": (np.arange(4, dtype=np.int64) * 10_000_000_000),                    # 1e10 i
    "u1": np.arange(250, 256, dtype=np.uint8),                                 # 250..255
    "b1": np.array([True, False, True, True]),
    "u": np.array(["pion", "kaon", "μ-on"]),                                   # unicode, incl. a non-ASCII rune
    "scalar": np.float64(2.5),                                                 # 0-d
    "empty": np.zeros((0, 3), dtype=np.float32),
}
np.savez(os.path.join(out, "numpy_golden.npz"), **arrays)
np.savez_compressed(os.path.join(out, "numpy_golden_compressed.npz"), **arrays)
np.savez(os.path.join(out, "numpy_unsupported.npz"),
         fortran=np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)),
         bigendian=np.arange(3, dtype=">f4"),
         objects=np.array([{"a": 1}, None], dtype=object),
         structured=np.zeros(2, dtype=[("x", "<f4"), ("y", "<i4")]))
print("wrote golden npz files to", out)
