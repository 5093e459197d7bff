"""Writes the PyTorch 1.13 golden files of the 1D CNN's pieces and of the spectrum-cnn twin.

    /usr/bin/python3 tools/golden/make_cnn_golden.py tests/Peakformer.Engine.Tests/Golden tests/Peakformer.Tests/Golden

Engine cases (first folder), in make_golden.py's layout (in.*, param.*, out.y, grad.* of sum(out.y * in.r)):
    conv1d_same, conv1d_strided    Conv1d with "same" padding (the CNN's) and with stride 3 / padding 2
    global_avg_pool1d              AdaptiveAvgPool1d(1) of x[B, C, L], squeezed to [B, C]
    batch_norm1d_3d / _2d          BatchNorm1d on [B, C, L] / [B, C]: training steps 1 and 2 (out.y1, out.y2 and
                                   grad1.*, grad2.* of sum(y * r)), the buffers after them (out.running_mean,
                                   out.running_var, out.num_batches_tracked), then evaluation (out.y3, grad3.*)
Model case (second folder): spectrum_cnn_torch.safetensors, the twin (python/peakformer_torch.py) in training mode
with dropout 0: param.* its state dict (buffers too), out.y its logits, grad.* of sum(out.y * in.r), out.state.*
its buffers after that step, and out.eval_y the logits in evaluation mode.
"""
import json, os, sys
import torch, torch.nn as nn, torch.nn.functional as F
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import peakformer_torch as pt  # noqa: E402  the safetensors writer and the twin

torch.manual_seed(20261201)
ENGINE = sys.argv[1] if len(sys.argv) > 1 else "."
MODELS = sys.argv[2] if len(sys.argv) > 2 else "."


def write(folder, name, tensors, meta=None):
    pt.write_safetensors(os.path.join(folder, name + ".safetensors"), tensors, meta)


def case(name, module, x, forward):
    x = x.clone().requires_grad_(True)
    y = forward(module, x)
    r = torch.randn_like(y)
    (y * r).sum().backward()
    tensors = {"in.x": x, "in.r": r, "out.y": y, "grad.x": x.grad}
    if module is not None:
        for k, p in module.named_parameters():
            tensors[f"param.{k}"] = p
            tensors[f"grad.param.{k}"] = p.grad
    write(ENGINE, name, tensors)


case("conv1d_same", nn.Conv1d(3, 5, 7, padding=3), torch.randn(2, 3, 40), lambda m, x: m(x))
case("conv1d_strided", nn.Conv1d(2, 3, 4, stride=3, padding=2), torch.randn(2, 2, 23), lambda m, x: m(x))
case("global_avg_pool1d", None, torch.randn(3, 4, 9), lambda m, x: F.adaptive_avg_pool1d(x, 1).squeeze(-1))


def batch_norm(name, shape):
    bn = nn.BatchNorm1d(shape[1])
    with torch.no_grad():
        bn.weight.copy_(torch.randn(shape[1]))
        bn.bias.copy_(torch.randn(shape[1]))
    tensors = {"param.weight": bn.weight.detach().clone(), "param.bias": bn.bias.detach().clone()}
    for step in (1, 2, 3):
        if step == 3:
            bn.eval()
        bn.zero_grad()
        # Channels of different offsets and scales, so the statistics matter.
        x = (torch.randn(*shape) * (1 + torch.arange(shape[1]).view(1, -1, *([1] * (len(shape) - 2)))) + 2).requires_grad_(True)
        y = bn(x)
        r = torch.randn_like(y)
        (y * r).sum().backward()
        tensors.update({f"in.x{step}": x, f"in.r{step}": r, f"out.y{step}": y, f"grad{step}.x": x.grad,
                        f"grad{step}.weight": bn.weight.grad.clone(), f"grad{step}.bias": bn.bias.grad.clone()})
        if step == 2:
            tensors.update({"out.running_mean": bn.running_mean.clone(), "out.running_var": bn.running_var.clone(),
                            "out.num_batches_tracked": bn.num_batches_tracked.float().reshape(())})
    write(ENGINE, name, tensors)


batch_norm("batch_norm1d_3d", (4, 3, 6))
batch_norm("batch_norm1d_2d", (5, 3))

config = {"length": 64, "in_channels": 1, "classes": 5, "channels": [4, 6], "kernel_size": 5, "pool": 2, "dropout": 0.0}
model = pt.build("spectrum-cnn", config)
with torch.no_grad():
    for m in model.modules():
        if isinstance(m, nn.BatchNorm1d):
            m.weight.copy_(1 + 0.3 * torch.randn_like(m.weight))
            m.bias.copy_(0.2 * torch.randn_like(m.bias))
            m.running_mean.copy_(0.1 * torch.randn_like(m.running_mean))
            m.running_var.copy_(1 + 0.2 * torch.rand_like(m.running_var))
            m.num_batches_tracked.fill_(3)
tensors = {f"param.{k}": v.detach().clone().float() for k, v in model.state_dict().items()}
model.train()
x = torch.randn(6, 64).requires_grad_(True)
y = model(x)
r = torch.randn_like(y)
(y * r).sum().backward()
tensors.update({"in.x": x, "in.r": r, "out.y": y, "grad.x": x.grad})
tensors.update({f"grad.param.{k}": p.grad for k, p in model.named_parameters()})
tensors.update({f"out.state.{k}": v.detach().clone().float() for k, v in model.state_dict().items()})
model.eval()
with torch.no_grad():
    tensors["out.eval_y"] = model(x)
write(MODELS, "spectrum_cnn_torch", tensors, {"kind": "spectrum-cnn", "config": json.dumps(config)})
print("written")
