"""Writes the Vision Transformer golden files the Peakformer tests compare against.

Run with Debian's PyTorch and torchvision (apt-get install -y python3-torch python3-torchvision):
    /usr/bin/python3 tools/golden/make_vit_golden.py tests/Peakformer.Tests/Golden

For each model ("vit": torchvision.models.VisionTransformer with conv_proj built for one input channel; "vit1d":
the same model whose conv_proj is an nn.Conv1d over the raster-order image, kernel and stride P * P) it writes
    <model>_torch.safetensors     the state_dict under torchvision's names, with Peakformer's model description in
                                  __metadata__ (peakformer_model, config), i.e. a checkpoint Peakformer loads strictly
    <model>_torch_io.safetensors  in.images [N, 1, 28, 28], out.logits [N, 10] and out.attention.<layer>
                                  [N, heads, 17, 17] (need_weights=True, average_attn_weights=False), in eval mode
Weights are seeded random values moved away from torchvision's initial ones (zero head, zero class token, unit
layer norms), so a wrong name, transpose or epsilon shows. The safetensors writer (python/peakformer_torch.py) is independent of the C# reader.
"""
import json, os, sys
import torch, torch.nn as nn
from torchvision.models import VisionTransformer
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import peakformer_torch as pt  # noqa: E402  the safetensors writer

OUT = sys.argv[1] if len(sys.argv) > 1 else "."
IMAGE, PATCH, LAYERS, HEADS, HIDDEN, MLP, CLASSES = 28, 7, 2, 2, 16, 32, 10
CONFIG = {"image_size": IMAGE, "channels": 1, "patch_size": PATCH, "layers": LAYERS, "heads": HEADS, "model": HIDDEN,
          "feed_forward": MLP, "dropout": 0.0, "attention_dropout": 0.0, "classes": CLASSES}


def write(name, tensors, meta=None):
    pt.write_safetensors(os.path.join(OUT, name + ".safetensors"), tensors, meta)


def vit():
    model = VisionTransformer(image_size=IMAGE, patch_size=PATCH, num_layers=LAYERS, num_heads=HEADS, hidden_dim=HIDDEN,
                              mlp_dim=MLP, num_classes=CLASSES)
    model.conv_proj = nn.Conv2d(1, HIDDEN, kernel_size=PATCH, stride=PATCH)
    return model


class Vit1d(VisionTransformer):
    """The same ViT on 1D patches: each channel read in raster order, cut into runs of P * P pixels."""

    def __init__(self):
        super().__init__(image_size=IMAGE, patch_size=PATCH, num_layers=LAYERS, num_heads=HEADS, hidden_dim=HIDDEN,
                         mlp_dim=MLP, num_classes=CLASSES)
        self.conv_proj = nn.Conv1d(1, HIDDEN, kernel_size=PATCH * PATCH, stride=PATCH * PATCH)

    def _process_input(self, x):
        n, c, h, w = x.shape
        return self.conv_proj(x.reshape(n, c, h * w)).permute(0, 2, 1)


def perturb(model):
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("ln_1.weight") or name.endswith("ln_2.weight") or name == "encoder.ln.weight":
                p.copy_(1 + 0.3 * torch.randn_like(p))
            elif name in ("class_token", "encoder.pos_embedding"):
                p.copy_(0.5 * torch.randn_like(p))
            else:
                p.add_(0.2 * torch.randn_like(p))


def attention_of(model, images):
    """Each block's softmax(QK^T / sqrt(d)) per head, from torch's own MultiheadAttention on ln_1 of the block's input."""
    found = []

    def hook(block, inputs):
        x = block.ln_1(inputs[0])
        _, weights = block.self_attention(x, x, x, need_weights=True, average_attn_weights=False)
        found.append(weights)

    handles = [block.register_forward_pre_hook(hook) for block in model.encoder.layers]
    logits = model(images)
    for h in handles:
        h.remove()
    return logits, found


def case(name, model, images):
    perturb(model)
    model.eval()
    with torch.no_grad():
        logits, attention = attention_of(model, images)
    write(name + "_torch", dict(model.state_dict()), {"format": "pt", "peakformer_model": name, "config": json.dumps(CONFIG)})
    io = {"in.images": images, "out.logits": logits}
    for i, a in enumerate(attention):
        io[f"out.attention.{i}"] = a
    write(name + "_torch_io", io)


torch.manual_seed(2026)
images = torch.rand(3, 1, IMAGE, IMAGE) * 2 - 1  # normalised as (x - 0.5) / 0.5
case("vit", vit(), images)
case("vit1d", Vit1d(), images)
