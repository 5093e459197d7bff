"""Writes the bfloat16 golden file the engine's bf16 product is tested against (tests/Peakformer.Engine.Tests/Golden).

Run with Debian's PyTorch (apt-get install -y python3-torch):
    /usr/bin/python3 tools/golden/make_bf16_golden.py tests/Peakformer.Engine.Tests/Golden

bf16.safetensors holds
    in.x        float32 values: ties to even in both directions, the largest finite float, the smallest normal and
                subnormal floats, signed zeros, infinities and random values across magnitudes (no NaN: the reader
                refuses them; the tests check NaN in closed form)
    out.x       in.x rounded by PyTorch (x.to(torch.bfloat16).float(): round to nearest, ties to even)
    in.a, in.b  a [37, 300] and b [300, 45] product's operands
    out.c       (bf16(a) @ bf16(b)) in float64, then float32: the exact sum the float32 accumulation approximates
"""
import os, sys
import numpy as np
import torch
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import peakformer_torch as pt  # noqa: E402  the safetensors writer

OUT = sys.argv[1] if len(sys.argv) > 1 else "."
torch.manual_seed(16)


def from_bits(bits):
    return np.array(bits, dtype="<u4").view("<f4")


# 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties to even (down); 1 + 3 * 2^-8 ties up to 1 + 2^-6.
special = from_bits([
    0x3F808000, 0x3F818000, 0x3F808001, 0x3F807FFF, 0xBF808000, 0xBF818000,
    0x7F7FFFFF, 0x7F7F7FFF, 0xFF7FFFFF, 0x00800000, 0x00000001, 0x00008000, 0x80000001,
    0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x3F800000, 0x40490FDB, 0xC02DF854,
])
scales = torch.tensor([1e-30, 1e-6, 1.0, 3.0, 1e6, 1e30]).repeat_interleave(50)
randoms = (torch.randn(300) * scales).numpy().astype("<f4")
x = torch.from_numpy(np.concatenate([special, randoms]))
rounded = x.to(torch.bfloat16).float()

a = torch.randn(37, 300)
b = torch.randn(300, 45)
c = (a.to(torch.bfloat16).double() @ b.to(torch.bfloat16).double()).float()

pt.write_safetensors(os.path.join(OUT, "bf16.safetensors"),
                     {"in.x": x, "out.x": rounded, "in.a": a, "in.b": b, "out.c": c},
                     {"source": "torch " + torch.__version__})
