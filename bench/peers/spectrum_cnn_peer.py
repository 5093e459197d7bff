"""PyTorch CPU peer for the spectrum CNN line of `peakformer bench --suite spectra`: same model, same machine.

usage: /usr/bin/python3 bench/peers/spectrum_cnn_peer.py THREADS [SECONDS]
The twin of Peakformer's default "spectrum-cnn" (python/peakformer_torch.py: blocks Conv1d(kernel 7, same padding),
BatchNorm1d, ReLU, MaxPool1d(2) of 16, 32 and 64 channels, global average pool, dropout 0.2, Linear to 10 classes)
on a batch of 64 random spectra of 1000 points, cross-entropy and AdamW (lr 1e-3, weight decay 0.01), as
SpectrumCnnHarness.cs. Prints training (forward + backward + AdamW step) and inference spectra/s in the line format
of ../shared/bench/torch_peer.py, which PeerRunner parses ("samples" are spectra here).
"""
import os, sys, time, torch, torch.nn as nn
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import peakformer_torch as pt  # noqa: E402  the twin

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 4.0
torch.set_num_threads(threads)
torch.manual_seed(0)

BATCH, LENGTH, CLASSES = 64, 1000, 10
CONFIG = {"length": LENGTH, "in_channels": 1, "classes": CLASSES, "channels": [16, 32, 64], "kernel_size": 7,
          "pool": 2, "dropout": 0.2}

model = pt.build("spectrum-cnn", CONFIG)
x = torch.randn(BATCH, LENGTH)
y = torch.randint(0, CLASSES, (BATCH,))
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
lossf = nn.CrossEntropyLoss()


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
print(f"spectrum-cnn B={BATCH}: threads={threads} train {train:,.0f} samples/s  infer {infer:,.0f} samples/s", flush=True)
