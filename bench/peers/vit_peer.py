"""PyTorch CPU peer for the Vision Transformer line of `peakformer bench`: same config, same machine.

usage: /usr/bin/python3 bench/peers/vit_peer.py THREADS [SECONDS [vit|vit1d ...]]   (default: both)
torchvision.models.VisionTransformer as Peakformer's "vit" (conv_proj built for one channel) and "vit1d" (conv_proj an
nn.Conv1d over the raster-order image, kernel and stride P * P, as tools/golden/make_vit_golden.py builds it): width
128, MLP 256, 4 layers, 4 heads, dropout 0, 28 x 28 images in 7 x 7 patches, 10 classes, batch 128 of random
normalised images ((x - 0.5) / 0.5), cross-entropy with label smoothing 0.1 and AdamW (lr 1e-3, weight decay 0.05),
the recipe of `train --task image`. Prints training (forward + backward + AdamW step) and inference images/s in the
line format of ../shared/bench/torch_peer.py, which PeerRunner parses ("samples" are images here).
"""
import sys, time, torch, torch.nn as nn
from torchvision.models import VisionTransformer

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 4.0
models = sys.argv[3:] or ["vit", "vit1d"]
torch.set_num_threads(threads)
torch.manual_seed(0)

IMAGE, PATCH, LAYERS, HEADS, HIDDEN, MLP, CLASSES, BATCH = 28, 7, 4, 4, 128, 256, 10, 128


def config():
    return dict(image_size=IMAGE, patch_size=PATCH, num_layers=LAYERS, num_heads=HEADS, hidden_dim=HIDDEN, mlp_dim=MLP,
                dropout=0.0, attention_dropout=0.0, num_classes=CLASSES)


def vit():
    model = VisionTransformer(**config())
    model.conv_proj = nn.Conv2d(1, HIDDEN, kernel_size=PATCH, stride=PATCH)
    return model


class Vit1d(VisionTransformer):
    """The same ViT on 1D patches: each channel read in raster order, cut into runs of P * P pixels."""

    def __init__(self):
        super().__init__(**config())
        self.conv_proj = nn.Conv1d(1, HIDDEN, kernel_size=PATCH * PATCH, stride=PATCH * PATCH)

    def _process_input(self, x):
        n, c, h, w = x.shape
        return self.conv_proj(x.reshape(n, c, h * w)).permute(0, 2, 1)


def bench(name, model):
    x = (torch.rand(BATCH, 1, IMAGE, IMAGE) - 0.5) / 0.5
    y = torch.randint(0, CLASSES, (BATCH,))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
    lossf = nn.CrossEntropyLoss(label_smoothing=0.1)

    def step():
        opt.zero_grad()
        lossf(model(x), y).backward()
        opt.step()

    model.train()
    for _ in range(3):
        step()
    n, t = 0, time.perf_counter()
    while time.perf_counter() - t < seconds:
        step()
        n += 1
    train = n * BATCH / (time.perf_counter() - t)
    model.eval()
    n = 0
    with torch.inference_mode():
        for _ in range(3):
            model(x)
        t = time.perf_counter()
        while time.perf_counter() - t < seconds:
            model(x)
            n += 1
    infer = n * BATCH / (time.perf_counter() - t)
    print(f"{name}: threads={threads} train {train:,.0f} samples/s  infer {infer:,.0f} samples/s", flush=True)


for kind in models:
    bench(f"{kind} B={BATCH}", {"vit": vit, "vit1d": Vit1d}[kind]())
