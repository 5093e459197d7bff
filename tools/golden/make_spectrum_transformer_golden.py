"""Writes the golden files the spectrum transformer's forward test compares against (PyTorch 1.13 and torchvision's
ViT Encoder as the reference, through the twin in python/peakformer_torch.py).

    /usr/bin/python3 tools/golden/make_spectrum_transformer_golden.py tests/Peakformer.Tests/Golden

spectrum_transformer_torch.safetensors  a Peakformer checkpoint (kind spectrum-transformer, 50-point spectra in
                                        patches of 8, so the last patch is zero-padded; 2 layers of 2 heads, width 16)
                                        whose weights are seeded random values (not the zero head and class token of
                                        the initial model), saved by peakformer_torch.save
spectrum_transformer_io.safetensors     inputs [5, 50] and the twin's logits [5, 3] in eval mode
"""
import os, sys
import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
import peakformer_torch as pt  # noqa: E402

OUT = sys.argv[1] if len(sys.argv) > 1 else "."
torch.manual_seed(20261201)
config = {"length": 50, "patch_size": 8, "layers": 2, "heads": 2, "model": 16, "feed_forward": 32, "dropout": 0.0,
          "attention_dropout": 0.0, "classes": 3}
model = pt.SpectrumTransformer(config)
with torch.no_grad():
    for _, p in model.named_parameters():
        p.copy_(torch.randn_like(p) * 0.3)
model.eval()
inputs = torch.rand(5, 50)
with torch.no_grad():
    logits = model(inputs)
axis = np.linspace(200, 2000, 50)
pt.save(model, f"{OUT}/spectrum_transformer_torch.safetensors", "spectrum-transformer", config,
        info=pt.spectrum_info(["a", "b", "c"], axis))
pt.write_safetensors(f"{OUT}/spectrum_transformer_io.safetensors", {"inputs": inputs.numpy(), "logits": logits.numpy()})
print("wrote spectrum_transformer_torch.safetensors and spectrum_transformer_io.safetensors")
