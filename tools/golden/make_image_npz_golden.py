"""Writes the tiny image archives the image reader tests read (Debian's python3-numpy).

    /usr/bin/python3 tools/golden/make_image_npz_golden.py tests/Peakformer.Tests/Golden

images_u8.npz:  images uint8 [3, 2, 3] with pixel (n, y, x) = 40 n + 10 y + x + 5, labels int64 [2, 0, 1],
                classes ["cat", "dog", "owl"].
images_f32.npz: images float32 [2, 3, 2, 2] with pixel (n, c, y, x) = (n + 1) / 4 - c / 8 + y / 16 + x / 32,
                labels int32 [1, 1].
images_keras.npz: Keras's mnist.npz layout (x_train [2, 2, 2], y_train [2], x_test [1, 2, 2], y_test [1]) uint8,
                x_* = arange, y_train [3, 7], y_test [9].
The C# test recomputes every value from these formulas.
"""
import os, sys
import numpy as np

out = sys.argv[1] if len(sys.argv) > 1 else "."
n, y, x = np.meshgrid(np.arange(3), np.arange(2), np.arange(3), indexing="ij")
np.savez(os.path.join(out, "images_u8.npz"),
         images=(40 * n + 10 * y + x + 5).astype(np.uint8),
         labels=np.array([2, 0, 1], dtype=np.int64),
         classes=np.array(["cat", "dog", "owl"]))
n, c, y, x = np.meshgrid(np.arange(2), np.arange(3), np.arange(2), np.arange(2), indexing="ij")
np.savez(os.path.join(out, "images_f32.npz"),
         images=((n + 1) / 4 - c / 8 + y / 16 + x / 32).astype(np.float32),
         labels=np.array([1, 1], dtype=np.int32))
np.savez(os.path.join(out, "images_keras.npz"),
         x_train=np.arange(8, dtype=np.uint8).reshape(2, 2, 2), y_train=np.array([3, 7], dtype=np.uint8),
         x_test=np.arange(4, dtype=np.uint8).reshape(1, 2, 2), y_test=np.array([9], dtype=np.uint8))
