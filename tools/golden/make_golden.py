"""Writes the PyTorch golden files the engine tests compare against.

Run with Debian's PyTorch (apt-get install -y python3-torch):
    /usr/bin/python3 tools/golden/make_golden.py tests/Peakformer.Engine.Tests/Golden

Each case is one small .safetensors file holding, under fixed prefixes:
    in.<name>     inputs          param.<name>  parameters (PyTorch state_dict names)
    out.<name>    outputs         grad.<name>   gradients of sum(out.y * in.r) w.r.t. inputs (in.*) and params
The safetensors writer (python/peakformer_torch.py, json + numpy) is independent of the C# reader it is used to test.
"""
import math, sys, os
import torch, torch.nn as nn, torch.nn.functional as F
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import peakformer_torch as pt  # noqa: E402  the safetensors writer

torch.manual_seed(1234)
torch.set_default_dtype(torch.float32)
OUT = sys.argv[1] if len(sys.argv) > 1 else "."


def write(name, tensors, meta=None):
    pt.write_safetensors(os.path.join(OUT, name + ".safetensors"), tensors, meta)


def case(name, module, inputs, forward, meta=None):
    """Runs forward, backprops sum(y * r), and writes inputs, params, outputs and gradients."""
    leaves = {k: v.clone().requires_grad_(v.dtype == torch.float32 and not k.startswith("mask")) for k, v in inputs.items()}
    y = forward(module, leaves)
    r = torch.randn_like(y)
    (y * r).sum().backward()
    tensors = {f"in.{k}": v for k, v in leaves.items()}
    tensors["in.r"] = r
    tensors["out.y"] = y
    for k, v in leaves.items():
        if v.grad is not None:
            tensors[f"grad.{k}"] = v.grad
    if module is not None:
        for k, p in module.named_parameters():
            tensors[f"param.{k}"] = p
            tensors[f"grad.param.{k}"] = p.grad
    write(name, tensors, meta)


# Transformer encoder layer, both norm placements, GELU, no dropout, with a key padding mask.
for norm_first in (False, True):
    layer = nn.TransformerEncoderLayer(8, 2, 12, dropout=0.0, activation="gelu", batch_first=True, norm_first=norm_first)
    x = torch.randn(3, 5, 8)
    mask = torch.zeros(3, 5)
    mask[1, 3:] = 1
    mask[2, 4:] = 1
    case("encoder_layer_" + ("prenorm" if norm_first else "postnorm"), layer, {"x": x, "mask": mask},
         lambda m, i: m(i["x"], src_key_padding_mask=i["mask"].bool()),
         {"model": 8, "heads": 2, "ffn": 12, "norm_first": int(norm_first)})

# Multi-head attention with padding mask.
mha = nn.MultiheadAttention(8, 2, dropout=0.0, batch_first=True)
x = torch.randn(2, 6, 8)
mask = torch.zeros(2, 6)
mask[0, 4:] = 1
case("multihead_attention", mha, {"x": x, "mask": mask},
     lambda m, i: m(i["x"], i["x"], i["x"], key_padding_mask=i["mask"].bool(), need_weights=False)[0],
     {"model": 8, "heads": 2})

# Two-layer LSTM, batch first.
lstm = nn.LSTM(5, 6, num_layers=2, batch_first=True)
case("lstm", lstm, {"x": torch.randn(3, 7, 5)}, lambda m, i: m(i["x"])[0], {"input": 5, "hidden": 6, "layers": 2})

# Conv1d with stride, padding and dilation.
conv = nn.Conv1d(3, 4, 3, stride=2, padding=1, dilation=2)
case("conv1d", conv, {"x": torch.randn(2, 3, 17)}, lambda m, i: m(i["x"]),
     {"in": 3, "out": 4, "kernel": 3, "stride": 2, "padding": 1, "dilation": 2})

# Layer norm.
ln = nn.LayerNorm(7)
with torch.no_grad():
    ln.weight.copy_(torch.randn(7))
    ln.bias.copy_(torch.randn(7))
case("layer_norm", ln, {"x": torch.randn(4, 7) * 3 + 1}, lambda m, i: m(i["x"]), {"features": 7})

# Activations and softmax.
act_x = torch.randn(2, 23) * 3
case("gelu_erf", None, {"x": act_x}, lambda m, i: F.gelu(i["x"]))
case("gelu_tanh", None, {"x": act_x}, lambda m, i: F.gelu(i["x"], approximate="tanh"))
case("sigmoid", None, {"x": act_x * 4}, lambda m, i: torch.sigmoid(i["x"]))
case("tanh", None, {"x": act_x}, lambda m, i: torch.tanh(i["x"]))
case("softplus", None, {"x": act_x * 5}, lambda m, i: F.softplus(i["x"]))
case("softmax", None, {"x": act_x * 10}, lambda m, i: torch.softmax(i["x"], -1))
case("log_softmax", None, {"x": act_x * 10}, lambda m, i: torch.log_softmax(i["x"], -1))
case("max_pool1d", None, {"x": torch.randn(2, 3, 11)}, lambda m, i: F.max_pool1d(i["x"], 3, 2, 1))
case("avg_pool1d", None, {"x": torch.randn(2, 3, 11)}, lambda m, i: F.avg_pool1d(i["x"], 3, 2, 1))

# Losses: the output is the scalar loss (r is then a single random factor).
logits = torch.randn(13) * 2
targets = (torch.rand(13) < 0.4).float()
case("bce_with_logits", None, {"x": logits, "t": targets},
     lambda m, i: F.binary_cross_entropy_with_logits(i["x"], i["t"], pos_weight=torch.tensor(2.5)), {"pos_weight": 2.5})
ce_logits = torch.randn(9, 4) * 2
ce_targets = torch.tensor([0, 1, 2, 3, 1, 1, 0, 2, 1])
weights = torch.tensor([0.5, 1.5, 1.0, 2.0])
case("cross_entropy", None, {"x": ce_logits, "targets": ce_targets.float(), "weights": weights},
     lambda m, i: F.cross_entropy(i["x"], ce_targets, weight=weights, label_smoothing=0.1), {"label_smoothing": 0.1})
pred, tgt = torch.randn(11), torch.randn(11)
case("mse_loss", None, {"x": pred, "t": tgt}, lambda m, i: F.mse_loss(i["x"], i["t"]))
case("l1_loss", None, {"x": pred, "t": tgt}, lambda m, i: F.l1_loss(i["x"], i["t"]))
case("huber_loss", None, {"x": pred * 2, "t": tgt}, lambda m, i: F.huber_loss(i["x"], i["t"], delta=0.7), {"delta": 0.7})

# Five AdamW steps on a small MLP regression; parameters after every step.
mlp = nn.Sequential(nn.Linear(4, 6), nn.GELU(), nn.Linear(6, 1))
x, y = torch.randn(10, 4), torch.randn(10, 1)
tensors = {"in.x": x, "in.y": y}
tensors.update({f"param.{k}": p.detach().clone() for k, p in mlp.named_parameters()})
opt = torch.optim.AdamW(mlp.parameters(), lr=0.05, betas=(0.9, 0.99), eps=1e-8, weight_decay=0.1)
for step in range(1, 6):
    opt.zero_grad()
    loss = F.mse_loss(mlp(x), y)
    loss.backward()
    opt.step()
    tensors[f"loss.{step}"] = loss.detach().reshape(1)
    tensors.update({f"step{step}.{k}": p.detach().clone() for k, p in mlp.named_parameters()})
write("adamw_steps", tensors, {"lr": 0.05, "beta1": 0.9, "beta2": 0.99, "eps": 1e-8, "weight_decay": 0.1})
print("golden files written to", OUT)

# Learning-rate schedules: PyTorch's own schedulers, stepped once per epoch.
def trace(make, metrics=None, epochs=12):
    p = nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=0.1)
    sched = make(opt)
    lrs = []
    for e in range(epochs):
        opt.step()
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[e])
        lrs.append(opt.param_groups[0]["lr"])
    return torch.tensor(lrs)

plateau_metrics = [1.0, 0.9, 0.95, 0.95, 0.95, 0.8, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85]
write("schedules", {
    "cosine": trace(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=10, eta_min=0.001)),
    "step": trace(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5)),
    "plateau": trace(lambda o: torch.optim.lr_scheduler.ReduceLROnPlateau(o, factor=0.5, patience=2, min_lr=0.02), plateau_metrics),
    "plateau_metrics": torch.tensor(plateau_metrics),
})
print("schedules written")

# The first token's output of an encoder layer (what a class-token head reads of the last block), both norm
# placements, no mask: Peakformer's ForwardFirstToken computes only that row.
for norm_first in (False, True):
    layer = nn.TransformerEncoderLayer(8, 2, 12, dropout=0.0, activation="gelu", batch_first=True, norm_first=norm_first)
    case(f"encoder_layer_first_token_{'prenorm' if norm_first else 'postnorm'}", layer, {"x": torch.randn(3, 7, 8)},
         lambda m, i: m(i["x"])[:, 0, :], {"model": 8, "heads": 2, "ffn": 12, "norm_first": int(norm_first)})
print("first-token cases written")
