"""Writes the PyTorch golden file the Learning objective tests compare against.

Run with Debian's PyTorch (apt-get install -y python3-torch):
    /usr/bin/python3 tools/golden/make_torch_losses_golden.py tests/Peakformer.Tests/Golden

torch_losses.json holds, per case, the inputs, the loss (mean reduction) and its gradient with respect to the
logits / predictions:
    cross_entropy   F.cross_entropy(logits[N, K], targets, weight=, label_smoothing=): plain, class weights,
                    label smoothing, both, and both with a class absent from the batch's targets (its weight still
                    enters the smoothing term, as in PyTorch)
    bce             F.binary_cross_entropy_with_logits(x, y, pos_weight=) with plain and weighted positives
    mse, l1, huber  F.mse_loss, F.l1_loss, F.huber_loss(delta=) on the same predictions and targets
Inputs are rounded to float32 before torch sees them (the C# side reads float32), and the loss is computed in
float64 so the golden values carry no float32 rounding of their own.
"""
import json, os, sys
import torch
import torch.nn.functional as F

OUT = sys.argv[1] if len(sys.argv) > 1 else "."
torch.manual_seed(20261130)


def f32(t):
    """float32 values as float64 (what the C# side reads, without further rounding)."""
    return t.to(torch.float32).to(torch.float64)


def flat(t):
    return [float(x) for x in t.detach().reshape(-1)]


def with_grad(fn, x):
    x = x.clone().requires_grad_(True)
    loss = fn(x)
    loss.backward()
    return float(loss), flat(x.grad)


cases = {"torch_version": torch.__version__, "cross_entropy": [], "bce": [], "regression": []}

n, k = 7, 4
logits = f32(torch.randn(n, k) * 2)
logits[0, 2] = 30.0  # a large logit: the log-softmax must stay finite
targets = torch.tensor([0, 1, 2, 3, 1, 1, 0])
absent = torch.tensor([0, 1, 3, 3, 1, 0, 0])  # class 2 never a target
weights = f32(torch.tensor([0.5, 1.5, 1.0, 2.0]))
for name, t, w, eps in [("plain", targets, None, 0.0), ("weighted", targets, weights, 0.0), ("smoothed", targets, None, 0.1),
                        ("weighted_smoothed", targets, weights, 0.2), ("absent_class_weighted_smoothed", absent, weights, 0.1)]:
    loss, grad = with_grad(lambda x: F.cross_entropy(x, t, weight=w, label_smoothing=eps), logits)
    cases["cross_entropy"].append({"name": name, "classes": k, "logits": flat(logits), "targets": [int(v) for v in t],
                                   "weights": None if w is None else flat(w), "smoothing": eps, "loss": loss, "grad": grad})

x = f32(torch.randn(9) * 3)
x[0] = -40.0  # far negative and far positive logits: softplus must not overflow
x[1] = 40.0
y = torch.tensor([1, 0, 1, 1, 0, 0, 1, 0, 1], dtype=torch.float64)
for pw in (1.0, 2.5):
    loss, grad = with_grad(lambda v: F.binary_cross_entropy_with_logits(v, y, pos_weight=torch.tensor(pw, dtype=torch.float64)), x)
    cases["bce"].append({"name": f"pos_weight_{pw}", "logits": flat(x), "targets": flat(y), "pos_weight": pw, "loss": loss, "grad": grad})

pred, target = f32(torch.randn(11) * 2), f32(torch.randn(11))
for name, fn, delta in [("mse", F.mse_loss, None), ("l1", F.l1_loss, None),
                        ("huber", lambda p, t: F.huber_loss(p, t, delta=0.7), 0.7)]:
    loss, grad = with_grad(lambda p: fn(p, target), pred)
    cases["regression"].append({"name": name, "delta": delta, "predictions": flat(pred), "targets": flat(target), "loss": loss, "grad": grad})

with open(os.path.join(OUT, "torch_losses.json"), "w") as f:
    json.dump(cases, f, indent=1)
print("wrote", os.path.join(OUT, "torch_losses.json"))
