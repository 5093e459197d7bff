"""Cross-checks `evaluate` on Raman tensor models with NumPy and the PyTorch twin, and adds two references: predicting
zero, and the symmetric part (R_hat + R_hat^T) / 2 of each model's prediction (a projection at inference, the free
alternative to the symmetry penalty).

    /usr/bin/python3 tools/examples/tensor_penalty_check.py test.npz m1.safetensors m2.safetensors ...

Per model: sign-invariant RMSE, mean asymmetry ||R_hat - R_hat^T||_F, |a error| and |gamma^2 error| of the symmetric
part (as Spectroscopy/Tensors/TensorMetrics.cs), then the RMSE of the symmetric part.
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
import peakformer_torch as pt  # noqa: E402


def invariants(r):
    """a and gamma^2 of symmetric tensors [N, 3, 3] (Long, The Raman Effect)."""
    a = np.trace(r, axis1=1, axis2=2) / 3
    d = np.diagonal(r, axis1=1, axis2=2)
    g2 = 0.5 * ((d[:, 0] - d[:, 1]) ** 2 + (d[:, 1] - d[:, 2]) ** 2 + (d[:, 2] - d[:, 0]) ** 2) \
        + 3 * (r[:, 0, 1] ** 2 + r[:, 1, 2] ** 2 + r[:, 0, 2] ** 2)
    return a, g2


def figures(pred, truth):
    minus = ((pred - truth) ** 2).sum(axis=(1, 2))
    plus = ((pred + truth) ** 2).sum(axis=(1, 2))
    sign = np.where(plus < minus, -1.0, 1.0)
    rmse = np.sqrt(np.minimum(minus, plus).sum() / (9 * len(pred)))
    asym = np.sqrt(((pred - pred.transpose(0, 2, 1)) ** 2).sum(axis=(1, 2))).mean()
    sym = (pred + pred.transpose(0, 2, 1)) / 2 * sign[:, None, None]
    a, g2 = invariants(sym)
    at, g2t = invariants(truth)
    return rmse, asym, np.abs(a - at).mean(), np.abs(g2 - g2t).mean()


def main(test, models):
    data = np.load(test)
    x = torch.from_numpy(data["X"].astype(np.float32))
    truth = data["tensors"].astype(np.float64).reshape(-1, 3, 3)
    print(f"predicting zero: RMSE {np.sqrt((truth ** 2).mean()):.4f}")
    for path in models:
        model, _ = pt.load(path)
        with torch.no_grad():
            pred = model(x).numpy().astype(np.float64).reshape(-1, 3, 3)
        rmse, asym, ae, ge = figures(pred, truth)
        sym_rmse = figures((pred + pred.transpose(0, 2, 1)) / 2, truth)[0]
        print(f"{os.path.basename(path)}: RMSE {rmse:.4f}, asymmetry {asym:.4f}, |a error| {ae:.4f}, |gamma^2 error| {ge:.4f}; "
              f"symmetric part: RMSE {sym_rmse:.4f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
