"""PyTorch twins of Peakformer models: build a torch.nn.Module from a Peakformer checkpoint and load it strictly,
or save a PyTorch-trained model as a checkpoint that Peakformer loads and evaluates.

Needs PyTorch 1.13 (Debian 12: apt-get install python3-torch python3-torchvision; torchvision for the image kinds
only) and numpy; the safetensors files are read and written here with json + numpy (no safetensors package).

    import peakformer_torch as pt
    model, metadata = pt.load("window-transformer.safetensors")   # eval mode, load_state_dict(strict=True)
    logits = model(pt.centre_windows(raw_windows))                # [N, 15] -> [N]
    pt.save(model, "mine.safetensors", "window-transformer", config, info=json.loads(metadata["peak_model_info"]))
    # then: ./peakformer evaluate --data test.npz --models mine.safetensors --out report/

A Peakformer checkpoint is a safetensors file of float32 tensors under PyTorch's names (a plain state dict) whose
__metadata__ holds (src/Peakformer.Engine/Checkpoints/Checkpoint.cs, src/Peakformer/Learning/Models/CheckpointInfo.cs):
    format             "pt"
    peakformer_model   the model kind, e.g. "vit" (the registry name in src/Peakformer/ModelKinds.cs)
    config             the kind's config as snake_case JSON (e.g. VisionTransformerConfig)
    task               the task: "image", "spectrum", "tensor", "window", "perbin" or "count"
    <info key>         the task's info record as snake_case JSON; Peakformer rejects unknown keys and fills missing
                       ones with its defaults:
                         image_model_info  (image_info below) class names, image shape, normalisation, training
                         spectrum_model_info (spectrum_info) class names, shift axis after and before preprocessing,
                                           the preprocessing steps (applied again by evaluate and predict), training
                         peak_model_info   (peak_info) task, window geometry, label width, threshold, sampling, training
                         count_model_info  (count_info) peak source, sampling, baselines, training
                         tensor_model_info (written by Peakformer) channels and their polarisations, shift axis,
                                           class and mode, symmetry penalty, training
    peak_model.*       (count checkpoints only) the peak model a count transformer reads its peaks from, carried
                       inside: its tensors named "peak_model.<name>", its metadata under "peak_model.<key>" and
                       "peak_model.sha256", the SHA-256 of the peak model's file. load() leaves those tensors out
                       of the count model's state dict; carried(path) returns them; save(..., peak_model=...) writes them.

Kinds (KINDS below). Shared by the transformer kinds:
    positional encoding  fixed, added to the token embeddings before the first encoder block, nothing stored:
                         PE[pos, 2j] = sin(pos * exp(-ln(10000) * 2j / D)), PE[pos, 2j + 1] = cos(the same angle),
                         pos = 0, 1, ... the token's index, computed in float64 and rounded to float32
                         (sinusoidal_table below; SinusoidalPositionalEncoding.cs).
    encoder              nn.TransformerEncoder of nn.TransformerEncoderLayer(batch_first=True, layer_norm_eps=1e-5),
                         post-norm (x = norm1(x + sa(x)); x = norm2(x + ff(x))) unless the config says norm_first,
                         no final norm; ff = linear2(dropout(activation(linear1(x)))); attention_dropout applies to
                         the attention weights and to the attention output before its residual add (dropout1),
                         feed_forward_dropout inside the feed-forward block and on its output (dropout2).
    activation           "gelu" is the exact (erf) GELU, "gelu_tanh" its tanh approximation, "relu", "sigmoid", "tanh".
The drift-chamber kinds (src/Peakformer/DriftChamber/Models):
    window-transformer   windows [B, W] -> logits [B]. Input: samples t - 5 .. t + 9 around a candidate bin t minus
                         their mean (centre_windows; Peakformer's WindowCutter), amplitude in the model's unit.
                         embedding = Linear(1, D) of each sample, + PE over the W samples, encoder, MEAN over the W
                         tokens (no class token), head = Sequential(Linear(D, head_hidden), activation,
                         Dropout(feed_forward_dropout), Linear(head_hidden, 1)), names head.0 and head.3.
    window-lstm          windows [B, W] (mean-subtracted as above) -> logits [B]: lstm = nn.LSTM(1, hidden,
                         batch_first=True), one layer, PyTorch's gate order (i, f, g, o) in weight_ih_l0 [4H, 1],
                         weight_hh_l0 [4H, H], bias_ih_l0, bias_hh_l0; the LAST time step's hidden state, then
                         dense = Linear(hidden, dense), ReLU, output = Linear(dense, 1).
    perbin-transformer   waveforms [B, L] (whole records, baseline at 0, no mean subtraction) -> logits [B, L], one per
                         bin: embedding = Conv1d(1, D, embedding_kernel, padding=embedding_kernel // 2) over the record,
                         tokens [B, L, D] + PE over the L bins, encoder (every bin attends to every bin), head =
                         Linear(D, 1) of each token. No pooling.
    patch-transformer    waveforms [B, L] -> logits [B, L] through N = ceil(L / patch) tokens: the record zero-padded at its
                         end to N * patch samples, front = Conv1d(1, front_channels, front_kernel, padding=front_kernel
                         // 2) and an exact GELU (none when front_channels is 0: the raw samples, one channel),
                         patch_embedding.proj = Conv1d(channels, D, patch, stride=patch), tokens [B, N, D] + PE over the
                         N tokens, encoder, head = Linear(D, patch): a token's patch outputs are the logits of its patch
                         samples in order; the logits past L are dropped.
    count-transformer    tokens [B, 96 * 5] -> standardised count [B] (count = output * target_scale + target_mean).
                         A token per found peak in time order, padded with zeros to 96 (PeakTokens.cs): [time /
                         record length, (amplitude - baseline) / single-electron amplitude, gap to the previous peak /
                         10 ns, finder score, 1 (0 marks padding)]. The padding mask is read from the 5th column
                         (> 0.5 is a real token): src_key_padding_mask = not valid. embedding = Linear(5, D), + PE over
                         the token index, encoder (activation relu, every dropout = dropout), a MASKED mean over the
                         valid tokens, dense = Linear(D, dense), ReLU, output = Linear(dense, 1). A record with no
                         peaks pools to zeros (output = output(relu(dense.bias))), as in Peakformer: its tokens are
                         left unmasked inside the encoder here (PyTorch would give NaN for a query with every key
                         masked) and then left out of the pool, so its output and gradients are Peakformer's.
    onestep-counter      waveforms [B, L] -> standardised count [B] = (sum_t softplus(z_t) - target_mean) / target_scale,
                         z = backbone(waveforms), backbone a perbin-transformer (names backbone.*); a new model's
                         backbone.head.bias starts at softplus^-1(max(target_mean, 1e-3) / samples).
    vit                  torchvision.models.VisionTransformer(image_size, patch_size, num_layers=layers, num_heads=heads,
                         hidden_dim=model, mlp_dim=feed_forward, dropout, attention_dropout, num_classes=classes) with
                         conv_proj an nn.Conv2d(channels, model, patch_size, stride=patch_size) (torchvision builds it
                         for 3 channels); images normalised (x - 0.5) / 0.5; torchvision's learned positions and class token.
    vit1d                the same model on 1D patches: each channel read in raster order ([B, C, H * W]) and cut into
                         runs of P * P pixels by conv_proj = nn.Conv1d(channels, model, P * P, stride=P * P).
The spectroscopy kinds (src/Peakformer/Spectroscopy/Models):
    spectrum-cnn         spectra [B, L] (or [B, in_channels, L]) -> logits [B, classes]. features = nn.Sequential of one
                         block per entry of channels: Conv1d(c_in, c, kernel_size, padding=kernel_size // 2),
                         BatchNorm1d(c) (momentum 0.1, eps 1e-5; running_mean, running_var, num_batches_tracked in
                         the checkpoint), ReLU, MaxPool1d(pool) (names features.{4i}.* and features.{4i+1}.*); then
                         the mean over the length (AdaptiveAvgPool1d(1)), dropout, head = Linear(channels[-1], classes).
    raman-tensor-cnn     (task "tensor", Spectroscopy/Tensors) C polarised spectra of one molecule [B, C, L] -> R_hat [B, 9],
                         the spectrum-cnn with in_channels C and 9 outputs (no "classes" key), same names;
                         tensor_loss is its training loss (sign-invariant MSE + symmetry penalty).

Training as Peakformer trains (src/Peakformer/Learning/Training/Trainer.cs): loss_function(kind) is the kind's loss
(BCE with logits and pos_weight for the peak kinds, mean over every window or bin; MSE on the standardised count
for the count kinds; cross-entropy with label smoothing 0.1 for the image kinds), optimizer(module, settings) the
optimiser of a training_settings record: AdamW (decoupled weight decay) or Adam (L2), betas (0.9, 0.999), eps 1e-8,
ONE parameter group, so every parameter (biases and norms too) is decayed; clip_norm > 0 is
torch.nn.utils.clip_grad_norm_ before the step. Peakformer changes the rate once per epoch (warm-up, cosine or
plateau; train_vit_torch.py ports the schedule).
"""
import hashlib
import json
import math
import os
import struct
from functools import partial

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision.models import VisionTransformer

KIND_KEY, CONFIG_KEY, TASK_KEY = "peakformer_model", "config", "task"
IMAGE_TASK, IMAGE_INFO_KEY = "image", "image_model_info"
WINDOW_TASK, PERBIN_TASK, COUNT_TASK = "window", "perbin", "count"
PEAK_INFO_KEY, COUNT_INFO_KEY = "peak_model_info", "count_model_info"
SPECTRUM_TASK, SPECTRUM_INFO_KEY = "spectrum", "spectrum_model_info"
TENSOR_TASK, TENSOR_INFO_KEY = "tensor", "tensor_model_info"
INFO_KEYS = {IMAGE_TASK: IMAGE_INFO_KEY, WINDOW_TASK: PEAK_INFO_KEY, PERBIN_TASK: PEAK_INFO_KEY, COUNT_TASK: COUNT_INFO_KEY,
             SPECTRUM_TASK: SPECTRUM_INFO_KEY, TENSOR_TASK: TENSOR_INFO_KEY}
# The peak model carried inside a count checkpoint (CountCheckpoint.cs).
CARRIED_PREFIX, CARRIED_HASH_KEY = "peak_model", "sha256"
# ImageTransform.Mean and .Std: pixels in [0, 1] become (x - 0.5) / 0.5.
IMAGE_MEAN, IMAGE_STD = 0.5, 0.5
# VisionModels.LabelSmoothing.
IMAGE_LABEL_SMOOTHING = 0.1
# PeakTokens.Features and .MaxTokens: the count transformer's input.
TOKEN_FEATURES, MAX_TOKENS = 5, 96


class CheckpointError(Exception):
    """A checkpoint that cannot be read or does not match its model; the message names the file and the field."""


# ---- safetensors (huggingface's format: u64 header length, JSON header, raw little-endian data) ----

_DTYPES = {"F32": np.float32, "F64": np.float64, "F16": np.float16, "I64": np.int64, "I32": np.int32,
           "I16": np.int16, "I8": np.int8, "U8": np.uint8, "BOOL": np.bool_}


def read_safetensors(path):
    """All tensors (name -> numpy array) and the __metadata__ string map of a safetensors file."""
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 8:
        raise CheckpointError(f"{path}: {len(raw)} bytes is too short for a safetensors header")
    (n,) = struct.unpack("<Q", raw[:8])
    if 8 + n > len(raw):
        raise CheckpointError(f"{path}: header length {n} exceeds the file ({len(raw)} bytes)")
    try:
        header = json.loads(raw[8:8 + n].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise CheckpointError(f"{path}: header is not UTF-8 JSON ({e})")
    metadata = header.pop("__metadata__", None) or {}
    data = memoryview(raw)[8 + n:]
    tensors = {}
    for name, entry in header.items():
        dtype = _DTYPES.get(entry.get("dtype"))
        if dtype is None:
            raise CheckpointError(f"{path}: tensor '{name}': dtype {entry.get('dtype')} is not supported")
        begin, end = entry["data_offsets"]
        shape = tuple(entry["shape"])
        if end > len(data) or end - begin != np.dtype(dtype).itemsize * math.prod(shape):
            raise CheckpointError(f"{path}: tensor '{name}': data_offsets [{begin}, {end}] do not fit shape {list(shape)}")
        tensors[name] = np.frombuffer(data[begin:end], dtype=np.dtype(dtype).newbyteorder("<")).reshape(shape).copy()
    return tensors, metadata


def write_safetensors(path, tensors, metadata=None):
    """Float32 tensors (name -> tensor or array) and string metadata; written to a temporary file, then renamed."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    for name, value in tensors.items():
        if isinstance(value, torch.Tensor):
            value = value.detach().cpu().numpy()
        data = np.ascontiguousarray(value, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(np.shape(value)), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header, ensure_ascii=False).encode("utf-8")
    raw += b" " * ((8 - len(raw) % 8) % 8)  # the data then starts 8-byte aligned, as Peakformer writes it
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


# ---- the image kinds ----

VIT_KEYS = ("image_size", "channels", "patch_size", "layers", "heads", "model", "feed_forward", "dropout",
            "attention_dropout", "classes")


def _vit_arguments(config):
    return dict(image_size=config["image_size"], patch_size=config["patch_size"], num_layers=config["layers"],
                num_heads=config["heads"], hidden_dim=config["model"], mlp_dim=config["feed_forward"],
                dropout=config["dropout"], attention_dropout=config["attention_dropout"], num_classes=config["classes"],
                norm_layer=partial(nn.LayerNorm, eps=1e-6))


class Vit(VisionTransformer):
    """torchvision's VisionTransformer with conv_proj for `channels` input channels (kind "vit")."""

    def __init__(self, config):
        super().__init__(**_vit_arguments(config))
        c, d, p = config["channels"], config["model"], config["patch_size"]
        self.conv_proj = nn.Conv2d(c, d, kernel_size=p, stride=p)
        # torchvision's own initialisation of conv_proj (it ran on the 3-channel one it built).
        nn.init.trunc_normal_(self.conv_proj.weight, std=math.sqrt(1.0 / (c * p * p)))
        nn.init.zeros_(self.conv_proj.bias)


class Vit1d(VisionTransformer):
    """The same model on 1D patches of the raster-order image (kind "vit1d"): only conv_proj and its input differ.
    conv_proj keeps PyTorch's default Conv1d initialisation (torchvision's init only handles a Conv2d)."""

    def __init__(self, config):
        super().__init__(**_vit_arguments(config))
        c, d, p = config["channels"], config["model"], config["patch_size"]
        self.conv_proj = nn.Conv1d(c, d, kernel_size=p * p, stride=p * p)

    def _process_input(self, x):
        n, c, h, w = x.shape
        torch._assert(h == self.image_size and w == self.image_size,
                      f"Vit1d: expected images of {self.image_size}x{self.image_size}, got {h}x{w}")
        return self.conv_proj(x.reshape(n, c, h * w)).permute(0, 2, 1)  # [B, C, H*W] -> [B, S, D]


# ---- the spectrum kinds ----

SPECTRUM_TRANSFORMER_KEYS = ("length", "patch_size", "layers", "heads", "model", "feed_forward", "dropout",
                             "attention_dropout", "classes")


class SpectrumTransformer(nn.Module):
    """The spectrum transformer (kind "spectrum-transformer"): spectra [B, L] zero-padded to whole patches of P points,
    conv_proj an nn.Conv1d(1, D, P, stride=P), a class token, torchvision's ViT Encoder (learned positions, pre-norm
    blocks, layer norm eps 1e-6, exact GELU) and heads.head on the class token: the names of torchvision's ViT."""

    def __init__(self, config):
        super().__init__()
        from torchvision.models.vision_transformer import Encoder
        self.length, self.patch = config["length"], config["patch_size"]
        self.tokens = -(-self.length // self.patch)
        d = config["model"]
        self.class_token = nn.Parameter(torch.zeros(1, 1, d))
        self.conv_proj = nn.Conv1d(1, d, kernel_size=self.patch, stride=self.patch)
        self.encoder = Encoder(self.tokens + 1, config["layers"], config["heads"], d, config["feed_forward"],
                               config["dropout"], config["attention_dropout"], partial(nn.LayerNorm, eps=1e-6))
        self.heads = nn.Sequential()
        self.heads.add_module("head", nn.Linear(d, config["classes"]))
        nn.init.zeros_(self.heads.head.weight)
        nn.init.zeros_(self.heads.head.bias)

    def forward(self, spectra):
        x = F.pad(spectra, (0, self.tokens * self.patch - self.length)).unsqueeze(1)
        tokens = self.conv_proj(x).permute(0, 2, 1)  # [B, S, D]
        tokens = torch.cat([self.class_token.expand(tokens.shape[0], -1, -1), tokens], dim=1)
        return self.heads(self.encoder(tokens)[:, 0])


class SoftmaxRegression(nn.Linear):
    """Softmax (logistic) regression (kind "spectrum-logreg"): a bare nn.Linear(length, classes), logits."""

    def __init__(self, config):
        super().__init__(config["length"], config["classes"])


class NearestNeighbours(nn.Module):
    """k-NN (kind "spectrum-knn"): the stored training spectra train_x [N, L] and classes train_y [N] (floats), vote
    shares of the k nearest (Euclidean; equal distances: the earlier spectrum; as scikit-learn's KNeighborsClassifier)."""

    def __init__(self, config):
        super().__init__()
        self.k, self.classes = config["k"], config["classes"]
        self.train_x = nn.Parameter(torch.zeros(config["examples"], config["length"]), requires_grad=False)
        self.train_y = nn.Parameter(torch.zeros(config["examples"]), requires_grad=False)

    def forward(self, spectra):
        distances = torch.cdist(spectra.double(), self.train_x.double())
        nearest = torch.from_numpy(np.argsort(distances.numpy(), axis=1, kind="stable")[:, :self.k])
        votes = F.one_hot(self.train_y[nearest].long(), self.classes).sum(1)
        return votes.float() / self.k


def spectrum_info(class_names, axis, input_axis=None, preprocessing="", label_smoothing=0.1, data="", settings=None,
                  history=None, best_epoch=0, best_validation_macro_f1=0.0):
    """spectrum_model_info: the classes, the shift axis the model reads (after preprocessing), the training data's axis
    (before), the preprocessing pipeline's text (applied again by evaluate and predict) and how it was trained."""
    info = {"task": SPECTRUM_TASK, "class_names": list(class_names), "axis": [float(v) for v in axis],
            "input_axis": [float(v) for v in (axis if input_axis is None else input_axis)], "preprocessing": preprocessing,
            "label_smoothing": label_smoothing, "data": data, "history": history or [], "best_epoch": best_epoch,
            "best_validation_macro_f1": best_validation_macro_f1}
    if settings is not None:
        info["settings"] = settings
    return info


# ---- the drift-chamber kinds ----

def sinusoidal_table(length, model):
    """Peakformer's fixed positional encoding [length, model] (SinusoidalPositionalEncoding.Table): float64, then float32."""
    table = np.zeros((length, model), dtype=np.float64)
    pos = np.arange(length, dtype=np.float64)[:, None]
    even = np.arange(0, model, 2)
    angle = pos * np.exp(-math.log(10000.0) * even / model)
    table[:, even] = np.sin(angle)
    odd = even[even + 1 < model]
    table[:, odd + 1] = np.cos(angle[:, :len(odd)])
    return torch.from_numpy(table.astype(np.float32))


class SinusoidalPositions(nn.Module):
    """x[B, L, D] + the table's first L rows. The table is not a parameter (not in the state dict)."""

    def __init__(self, model):
        super().__init__()
        self.model = model
        self.register_buffer("table", sinusoidal_table(0, model), persistent=False)

    def forward(self, x):
        length = x.shape[1]
        if self.table.shape[0] < length:
            self.table = sinusoidal_table(length, self.model).to(x.device)
        return x + self.table[:length].to(x.dtype)


ACTIVATIONS = {"gelu": nn.GELU, "gelu_tanh": partial(nn.GELU, approximate="tanh"), "relu": nn.ReLU,
               "sigmoid": nn.Sigmoid, "tanh": nn.Tanh}
# What nn.TransformerEncoderLayer takes for each (the strings keep PyTorch's fused inference path).
_ENCODER_ACTIVATIONS = {"gelu": "gelu", "gelu_tanh": partial(F.gelu, approximate="tanh"), "relu": "relu",
                        "sigmoid": torch.sigmoid, "tanh": torch.tanh}


def _activation_name(config):
    name = config.get("activation", "gelu")
    if name not in ACTIVATIONS:
        raise CheckpointError(f"config: activation '{name}': expected one of {', '.join(ACTIVATIONS)}")
    return name


def encoder(model, heads, feed_forward, layers, attention_dropout, feed_forward_dropout, activation, norm_first):
    """Peakformer's TransformerEncoder (no final norm) as nn.TransformerEncoder; parameter names layers.N.self_attn.*,
    linear1, linear2, norm1, norm2."""
    layer = nn.TransformerEncoderLayer(model, heads, feed_forward, dropout=feed_forward_dropout,
                                       activation=_ENCODER_ACTIVATIONS[activation], batch_first=True, norm_first=norm_first)
    layer.self_attn.dropout = attention_dropout   # on the attention weights
    layer.dropout1.p = attention_dropout          # on the attention output before its residual add
    # No nested tensors: every row keeps its length, so the masked pooling below sees what Peakformer's does.
    return nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)


def centre_windows(windows):
    """Raw windows [N, W] (samples t - before .. t + after of candidate bins t) minus each window's mean: what the
    window models read (Peakformer's WindowCutter)."""
    windows = torch.as_tensor(windows, dtype=torch.float32)
    return windows - windows.mean(dim=1, keepdim=True)


class WindowTransformer(nn.Module):
    """Kind "window-transformer": windows [B, W] (mean-subtracted) -> logits [B]."""

    def __init__(self, config):
        super().__init__()
        d, act = config["model"], _activation_name(config)
        self.window_length = config["window_length"]
        self.embedding = nn.Linear(1, d)
        self.positions = SinusoidalPositions(d)
        self.encoder = encoder(d, config["heads"], config["feed_forward"], config["layers"], config["attention_dropout"],
                               config["feed_forward_dropout"], act, config["norm_first"])
        self.head = nn.Sequential(nn.Linear(d, config["head_hidden"]), ACTIVATIONS[act](),
                                  nn.Dropout(config["feed_forward_dropout"]), nn.Linear(config["head_hidden"], 1))

    def forward(self, windows):
        h = self.encoder(self.positions(self.embedding(windows.unsqueeze(-1))))
        return self.head(h.mean(dim=1)).squeeze(-1)


class WindowLstm(nn.Module):
    """Kind "window-lstm": windows [B, W] (mean-subtracted) -> logits [B]."""

    def __init__(self, config):
        super().__init__()
        self.window_length = config["window_length"]
        self.lstm = nn.LSTM(1, config["hidden"], batch_first=True)
        self.dense = nn.Linear(config["hidden"], config["dense"])
        self.output = nn.Linear(config["dense"], 1)

    def forward(self, windows):
        states, _ = self.lstm(windows.unsqueeze(-1))
        return self.output(F.relu(self.dense(states[:, -1]))).squeeze(-1)


class PerBinTransformer(nn.Module):
    """Kind "perbin-transformer": waveforms [B, L] -> per-bin logits [B, L]."""

    def __init__(self, config):
        super().__init__()
        d, k, act = config["model"], config["embedding_kernel"], _activation_name(config)
        if k % 2 == 0:
            raise CheckpointError(f"config: embedding_kernel: expected an odd number, found {k}")
        self.embedding = nn.Conv1d(1, d, k, padding=k // 2)
        self.positions = SinusoidalPositions(d)
        self.encoder = encoder(d, config["heads"], config["feed_forward"], config["layers"], config["attention_dropout"],
                               config["feed_forward_dropout"], act, config["norm_first"])
        self.head = nn.Linear(d, 1)

    def forward(self, waveforms):
        tokens = self.embedding(waveforms.unsqueeze(1)).transpose(1, 2)   # [B, 1, L] -> [B, D, L] -> [B, L, D]
        return self.head(self.encoder(self.positions(tokens))).squeeze(-1)


class PatchEmbedding(nn.Module):
    """The patch embedding's one child, proj = nn.Conv1d(channels, D, patch, stride=patch) (names patch_embedding.proj.*)."""

    def __init__(self, channels, model, patch):
        super().__init__()
        self.proj = nn.Conv1d(channels, model, patch, stride=patch)

    def forward(self, x):
        return self.proj(x).transpose(1, 2)   # [B, C, L'] -> [B, D, N] -> [B, N, D]


class PatchTransformer(nn.Module):
    """Kind "patch-transformer": waveforms [B, L] -> per-bin logits [B, L] through ceil(L / patch) tokens."""

    def __init__(self, config):
        super().__init__()
        d, p, c, k, act = config["model"], config["patch"], config["front_channels"], config["front_kernel"], _activation_name(config)
        if k % 2 == 0:
            raise CheckpointError(f"config: front_kernel: expected an odd number, found {k}")
        self.patch = p
        self.front = nn.Conv1d(1, c, k, padding=k // 2) if c > 0 else None
        self.patch_embedding = PatchEmbedding(max(c, 1), d, p)
        self.positions = SinusoidalPositions(d)
        self.encoder = encoder(d, config["heads"], config["feed_forward"], config["layers"], config["attention_dropout"],
                               config["feed_forward_dropout"], act, config["norm_first"])
        self.head = nn.Linear(d, p)

    def forward(self, waveforms):
        b, length = waveforms.shape
        tokens = -(-length // self.patch)
        x = F.pad(waveforms, (0, tokens * self.patch - length)).unsqueeze(1)   # zeros after the record's end
        if self.front is not None:
            x = F.gelu(self.front(x))                                          # exact GELU whatever the encoder's activation
        logits = self.head(self.encoder(self.positions(self.patch_embedding(x))))   # [B, N, P]
        return logits.reshape(b, tokens * self.patch)[:, :length]


class CountTransformer(nn.Module):
    """Kind "count-transformer": peak tokens [B, 96 * 5] -> standardised count [B]."""

    def __init__(self, config):
        super().__init__()
        d = config["model"]
        self.target_mean, self.target_scale = config["target_mean"], config["target_scale"]
        self.embedding = nn.Linear(TOKEN_FEATURES, d)
        self.positions = SinusoidalPositions(d)
        self.encoder = encoder(d, config["heads"], config["feed_forward"], config["layers"], config["dropout"],
                               config["dropout"], "relu", False)
        self.dense = nn.Linear(d, config["dense"])
        self.output = nn.Linear(config["dense"], 1)

    def forward(self, tokens):
        tokens = tokens.reshape(tokens.shape[0], MAX_TOKENS, TOKEN_FEATURES)
        valid = tokens[:, :, -1] > 0.5
        # Tokens are packed from the front: the batch needs only its longest sequence (as Peakformer cuts it).
        used = max(1, int(valid.any(dim=0).nonzero().max()) + 1) if bool(valid.any()) else 1
        tokens, valid = tokens[:, :used], valid[:, :used]
        # A record with no peaks: nothing masked inside the encoder (all keys masked gives NaN in PyTorch), and
        # nothing pooled below, so it pools to zeros as in Peakformer.
        padding = ~valid & valid.any(dim=1, keepdim=True)
        h = self.encoder(self.positions(self.embedding(tokens)), src_key_padding_mask=padding)
        weights = valid.to(h.dtype)
        pooled = (h * weights.unsqueeze(-1)).sum(dim=1) / weights.sum(dim=1, keepdim=True).clamp(min=1)
        return self.output(F.relu(self.dense(pooled))).squeeze(-1)

    def counts(self, outputs):
        """Standardised outputs -> cluster counts."""
        return outputs * self.target_scale + self.target_mean


class OneStepCounter(nn.Module):
    """Kind "onestep-counter": waveforms [B, L] -> standardised count [B]."""

    def __init__(self, config):
        super().__init__()
        self.target_mean, self.target_scale = config["target_mean"], config["target_scale"]
        self.backbone = PerBinTransformer(config["backbone"])
        rate = max(self.target_mean, 1e-3) / config["samples"]
        with torch.no_grad():
            self.backbone.head.bias.fill_(math.log(math.expm1(rate)))

    def forward(self, waveforms):
        rates = F.softplus(self.backbone(waveforms))
        length = waveforms.shape[1]
        return rates.mean(dim=1) * float(np.float32(length / self.target_scale)) \
            + float(np.float32(-self.target_mean / self.target_scale))

    def counts(self, outputs):
        """Standardised outputs -> cluster counts."""
        return outputs * self.target_scale + self.target_mean


# ---- the spectroscopy kinds ----

class SpectrumCnn(nn.Module):
    """1D CNN over spectra (kind "spectrum-cnn"; SpectrumCnn.cs): blocks of Conv1d, BatchNorm1d, ReLU, MaxPool1d, global
    average pool, dropout, linear head."""

    def __init__(self, config):
        super().__init__()
        k, blocks, c_in = config["kernel_size"], [], config["in_channels"]
        for c in config["channels"]:
            blocks += [nn.Conv1d(c_in, c, k, padding=k // 2), nn.BatchNorm1d(c), nn.ReLU(), nn.MaxPool1d(config["pool"])]
            c_in = c
        self.features = nn.Sequential(*blocks)
        self.dropout = nn.Dropout(config["dropout"])
        self.head = nn.Linear(c_in, config["classes"])

    def forward(self, spectra):
        x = spectra.unsqueeze(1) if spectra.dim() == 2 else spectra
        return self.head(self.dropout(self.features(x).mean(dim=2)))


SPECTRUM_CNN_KEYS = ("length", "in_channels", "classes", "channels", "kernel_size", "pool", "dropout")


class RamanTensorCnn(SpectrumCnn):
    """The spectrum CNN over C polarised spectra with 9 outputs, R_hat row-major (kind "raman-tensor-cnn";
    Spectroscopy/Tensors/TensorCnn.cs): examples [B, C, L] (or [B, C * L]) -> [B, 9], the same parameter names."""

    def __init__(self, config):
        super().__init__(dict(config, classes=9))
        self.channels, self.length = config["in_channels"], config["length"]

    def forward(self, examples):
        return super().forward(examples.reshape(-1, self.channels, self.length))


def tensor_loss(outputs, targets, symmetry_penalty=0.0):
    """The tensor task's loss (TensorObjective.cs): mean over the batch of min(||R_hat - R||^2, ||R_hat + R||^2) / 9
    plus symmetry_penalty times the mean ||R_hat - R_hat^T||_F^2; outputs and targets [B, 9] row-major."""
    minus = ((outputs - targets) ** 2).sum(dim=1)
    plus = ((outputs + targets) ** 2).sum(dim=1)
    r = outputs.reshape(-1, 3, 3)
    asymmetry = ((r - r.transpose(1, 2)) ** 2).sum(dim=(1, 2))
    return (torch.minimum(minus, plus) / 9).mean() + symmetry_penalty * asymmetry.mean()


class Kind:
    """A Peakformer model kind: its task, the config keys it needs (a nested kind's keys for a sub-config) and how to
    build its twin."""

    def __init__(self, name, task, keys, build, nested=None):
        self.name, self.task, self.keys, self.build, self.nested = name, task, keys, build, dict(nested or {})

    def missing(self, config, where="config"):
        """The keys (dotted for nested configs) that config lacks."""
        gaps = [f"{where}.{k}" if where != "config" else k for k in self.keys if k not in config]
        for key, kind in self.nested.items():
            if isinstance(config.get(key), dict):
                gaps += KINDS[kind].missing(config[key], key if where == "config" else f"{where}.{key}")
        return gaps

    def select(self, config):
        """Only the kind's keys (nested ones too), as Peakformer rejects unknown keys."""
        return {k: KINDS[self.nested[k]].select(config[k]) if k in self.nested else config[k] for k in self.keys}



ENCODER_KEYS = ("model", "heads", "layers", "feed_forward", "attention_dropout", "feed_forward_dropout", "activation",
                "norm_first")

KINDS = {k.name: k for k in [
    Kind("vit", IMAGE_TASK, VIT_KEYS, Vit),
    Kind("vit1d", IMAGE_TASK, VIT_KEYS, Vit1d),
    Kind("spectrum-transformer", SPECTRUM_TASK, SPECTRUM_TRANSFORMER_KEYS, SpectrumTransformer),
    Kind("spectrum-logreg", SPECTRUM_TASK, ("length", "classes"), SoftmaxRegression),
    Kind("spectrum-knn", SPECTRUM_TASK, ("k", "length", "classes", "examples"), NearestNeighbours),
    Kind("window-transformer", WINDOW_TASK, ("window_length",) + ENCODER_KEYS + ("head_hidden",), WindowTransformer),
    Kind("window-lstm", WINDOW_TASK, ("window_length", "hidden", "dense"), WindowLstm),
    Kind("perbin-transformer", PERBIN_TASK, ("embedding_kernel",) + ENCODER_KEYS, PerBinTransformer),
    Kind("patch-transformer", PERBIN_TASK, ("patch", "front_channels", "front_kernel") + ENCODER_KEYS, PatchTransformer),
    Kind("count-transformer", COUNT_TASK, ("model", "heads", "layers", "feed_forward", "dense", "dropout", "target_mean",
                                           "target_scale"), CountTransformer),
    Kind("spectrum-cnn", SPECTRUM_TASK, SPECTRUM_CNN_KEYS, SpectrumCnn),
    Kind("raman-tensor-cnn", TENSOR_TASK, ("length", "in_channels", "channels", "kernel_size", "pool", "dropout"), RamanTensorCnn),
    Kind("onestep-counter", COUNT_TASK, ("backbone", "samples", "target_mean", "target_scale"), OneStepCounter,
         nested={"backbone": "perbin-transformer"}),
]}


def build(kind, config, source="config"):
    """The twin of `kind` built from a config dict (every key of the kind's config must be there)."""
    if kind not in KINDS:
        raise CheckpointError(f"{source}: model kind '{kind}': expected one of {', '.join(KINDS)}")
    missing = KINDS[kind].missing(config)
    if missing:
        raise CheckpointError(f"{source}: config: missing {', '.join(missing)} (kind {kind})")
    try:
        return KINDS[kind].build(config)
    except CheckpointError as e:
        raise CheckpointError(f"{source}: {e}")


def kind_of(module):
    for name, k in KINDS.items():
        if type(module) is k.build:
            return name
    raise CheckpointError(f"{type(module).__name__}: not a Peakformer twin (expected one of {', '.join(KINDS)})")


def _split_carried(tensors, metadata):
    """(own tensors, carried tensors without the prefix) as Peakformer's NestedCheckpoint.Split: only a file with
    peak_model.* metadata carries anything (otherwise a stray tensor stays the model's, and strict loading names it)."""
    start = CARRIED_PREFIX + "."
    if not any(k.startswith(start) for k in metadata):
        return tensors, {}
    own = {k: v for k, v in tensors.items() if not k.startswith(start)}
    return own, {k[len(start):]: v for k, v in tensors.items() if k.startswith(start)}


def load(path):
    """(module in eval mode, metadata dict) of a Peakformer checkpoint; the weights load with strict=True (a count
    checkpoint's carried peak model is left out: carried(path) has it)."""
    tensors, metadata = read_safetensors(path)
    if KIND_KEY not in metadata or CONFIG_KEY not in metadata:
        raise CheckpointError(f"{path}: no Peakformer model description in __metadata__ (keys '{KIND_KEY}' and '{CONFIG_KEY}')")
    try:
        config = json.loads(metadata[CONFIG_KEY])
    except json.JSONDecodeError as e:
        raise CheckpointError(f"{path}: config is not JSON ({e})")
    module = build(metadata[KIND_KEY], config, path)
    own, _ = _split_carried(tensors, metadata)
    try:
        module.load_state_dict({k: torch.from_numpy(v) for k, v in own.items()}, strict=True)
    except RuntimeError as e:
        raise CheckpointError(f"{path}: checkpoint does not match the {metadata[KIND_KEY]} model: {' '.join(str(e).split())}")
    module.eval()
    return module, metadata


def carried(path):
    """The peak model a count checkpoint carries, as (tensors, metadata) with its peak_model.sha256, or None; pass it
    to save(..., peak_model=...) to keep it in a fine-tuned count model."""
    tensors, metadata = read_safetensors(path)
    _, nested = _split_carried(tensors, metadata)
    start = CARRIED_PREFIX + "."
    keys = {k[len(start):]: v for k, v in metadata.items() if k.startswith(start)}
    return (nested, keys) if keys else None


def config_of(metadata):
    """The config dict of a checkpoint's metadata (as load returned it)."""
    return json.loads(metadata[CONFIG_KEY])


def info_of(metadata):
    """The info record (dict) of a checkpoint's metadata: image_model_info, spectrum_model_info, peak_model_info or count_model_info."""
    for key in (IMAGE_INFO_KEY, PEAK_INFO_KEY, COUNT_INFO_KEY, SPECTRUM_INFO_KEY):
        if key in metadata:
            return json.loads(metadata[key])
    return None


# ---- the info records Peakformer reads beside the weights ----

def training_settings(epochs, batch, learning_rate, weight_decay, warmup_epochs, patience, validation_fraction, seed,
                      optimizer="adamw", schedule="cosine", min_learning_rate=None, min_auc=0.95, threshold=0.5,
                      clip_norm=0.0, positive_weight=1.0):
    """Peakformer's TrainingSettings record (snake_case), as a checkpoint stores it."""
    return {"epochs": epochs, "batch": batch, "learning_rate": learning_rate, "weight_decay": weight_decay,
            "optimizer": optimizer, "schedule": schedule, "warmup_epochs": warmup_epochs, "patience": patience,
            "min_auc": min_auc, "threshold": threshold, "validation_fraction": validation_fraction, "seed": seed,
            "clip_norm": clip_norm, "min_learning_rate": min_learning_rate, "positive_weight": positive_weight}


def image_info(class_names, channels, height, width, max_shift=0, horizontal_flip=False, label_smoothing=0.1, data="",
               settings=None, history=None, best_epoch=0, best_validation_macro_f1=0.0):
    """Peakformer's ImageModelInfo record; history is a list of EpochRecord dicts (epoch, train_loss, train_score,
    validation_loss, validation_score, validation_metric, learning_rate, seconds[, validation_metrics])."""
    info = {"task": IMAGE_TASK, "class_names": list(class_names), "channels": channels, "height": height, "width": width,
            "mean": IMAGE_MEAN, "std": IMAGE_STD,
            "augmentation": {"max_shift": max_shift, "horizontal_flip": horizontal_flip},
            "label_smoothing": label_smoothing, "data": data, "history": list(history or []),
            "best_epoch": best_epoch, "best_validation_macro_f1": best_validation_macro_f1}
    if settings is not None:
        info["settings"] = settings
    return info


def peak_info(task, threshold=0.5, data="", settings=None, history=None, best_epoch=0, best_validation_auc=0.0, **more):
    """Peakformer's PeakModelInfo record (task "window" or "perbin"); keys left out take Peakformer's defaults.
    more: windows={"before", "after", "tolerance_samples", "balance", "seed"}, label_width, sampling_ns, input,
    augmentation. A fine-tuned Peakformer model should keep the record it came with (info_of(metadata))."""
    if task not in (WINDOW_TASK, PERBIN_TASK):
        raise CheckpointError(f"peak_info: task '{task}': expected {WINDOW_TASK} or {PERBIN_TASK}")
    info = {"task": task, "threshold": threshold, "data": data, "history": list(history or []), "best_epoch": best_epoch,
            "best_validation_auc": best_validation_auc, **more}
    if settings is not None:
        info["settings"] = settings
    return info


def count_info(training_mean, peaks_from="", data="", settings=None, history=None, best_epoch=0, best_validation_mae=0.0,
               **more):
    """Peakformer's CountModelInfo record; keys left out take Peakformer's defaults. peaks_from: "truth", "deriv:...",
    "d2:..." or a peak-model checkpoint for the count transformer, "" for the one-step counter. more: sampling_ns,
    min_amplitude_sigma, input, peak_line={"intercept", "slope"}, validation_mae_constant_mean, validation_mae_peak_line."""
    info = {"peaks_from": peaks_from, "training_mean": training_mean, "data": data, "history": list(history or []),
            "best_epoch": best_epoch, "best_validation_mae": best_validation_mae, **more}
    if settings is not None:
        info["settings"] = settings
    return info


# ---- training as Peakformer trains ----

def loss_function(kind, positive_weight=1.0):
    """The kind's training loss, loss(outputs, targets) -> scalar: BCE with logits (pos_weight) averaged over every
    window or bin for the peak kinds (targets 0/1), MSE on the standardised count for the count kinds (targets
    (count - target_mean) / target_scale), cross-entropy with label smoothing 0.1 for the image kinds (class indices)."""
    task = KINDS[kind].task
    if task in (WINDOW_TASK, PERBIN_TASK):
        weight = torch.tensor(float(positive_weight))
        return lambda outputs, targets: F.binary_cross_entropy_with_logits(outputs, targets, pos_weight=weight)
    if task == COUNT_TASK:
        return F.mse_loss
    return lambda outputs, targets: F.cross_entropy(outputs, targets.long(), label_smoothing=IMAGE_LABEL_SMOOTHING)


def optimizer(module, settings):
    """Peakformer's optimiser of a training_settings record: AdamW or Adam, betas (0.9, 0.999), eps 1e-8, one
    parameter group (every parameter decayed), at settings["learning_rate"] (Peakformer's rate of epoch 1 is lower
    under warm-up: see train_vit_torch.learning_rate)."""
    arguments = dict(lr=settings["learning_rate"], betas=(0.9, 0.999), eps=1e-8, weight_decay=settings["weight_decay"])
    kind = settings.get("optimizer", "adamw")
    if kind == "adamw":
        return torch.optim.AdamW(module.parameters(), **arguments)
    if kind == "adam":
        return torch.optim.Adam(module.parameters(), **arguments)
    raise CheckpointError(f"settings: optimizer '{kind}': expected adamw or adam")


def sha256_of(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def save(module, path, kind, config, info=None, peak_model=None):
    """The module's state dict as a Peakformer checkpoint of `kind` with `config` and its info record (required: an
    image_info, peak_info or count_info dict, by the kind's task). peak_model (count-transformer only, optional): a
    Peakformer peak-model checkpoint path, or carried(path) of a count checkpoint, to carry inside."""
    if kind not in KINDS:
        raise CheckpointError(f"{path}: model kind '{kind}': expected one of {', '.join(KINDS)}")
    if kind_of(module) != kind:
        raise CheckpointError(f"{path}: the module is a {kind_of(module)} twin, not {kind}")
    task = KINDS[kind].task
    if info is None:
        raise CheckpointError(f"{path}: a {task} model needs its info record ({INFO_KEYS[task]})")
    if task != COUNT_TASK and info.get("task", task) != task:
        raise CheckpointError(f"{path}: {INFO_KEYS[task]}: task '{info.get('task')}', the {kind} model's task is {task}")
    metadata = {"format": "pt", KIND_KEY: kind, CONFIG_KEY: json.dumps(KINDS[kind].select(config)), TASK_KEY: task,
                INFO_KEYS[task]: json.dumps(info, ensure_ascii=False)}
    tensors = dict(module.state_dict())
    if peak_model is not None:
        if kind != "count-transformer":
            raise CheckpointError(f"{path}: only a count-transformer carries a peak model, not {kind}")
        if isinstance(peak_model, (str, os.PathLike)):
            peak_tensors, peak_metadata = read_safetensors(peak_model)
            if PEAK_INFO_KEY not in peak_metadata:
                raise CheckpointError(f"{peak_model}: not a Peakformer peak model (no {PEAK_INFO_KEY} in __metadata__)")
            peak_metadata = dict(peak_metadata, **{CARRIED_HASH_KEY: sha256_of(peak_model)})
        else:
            peak_tensors, peak_metadata = peak_model
        tensors.update({f"{CARRIED_PREFIX}.{k}": v for k, v in peak_tensors.items()})
        metadata.update({f"{CARRIED_PREFIX}.{k}": v for k, v in peak_metadata.items()})
    write_safetensors(path, tensors, metadata)
