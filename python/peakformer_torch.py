"""PyTorch twins of Peakformer models: build a torch.nn.Module from a Peakformer checkpoint and load it strictly,
or save a PyTorch-trained model as a checkpoint that Peakformer loads and evaluates.

Needs PyTorch 1.13 and torchvision 0.14 (Debian 12: apt-get install python3-torch python3-torchvision) and numpy;
the safetensors files are read and written here with json + numpy (no safetensors package).

    import peakformer_torch as pt
    model, metadata = pt.load("vit.safetensors")          # eval mode, load_state_dict(strict=True)
    logits = model(images)                                 # images [B, C, H, W], normalised (x - 0.5) / 0.5
    pt.save(model, "mine.safetensors", "vit", config, info=pt.image_info(class_names, 1, 28, 28))
    # then: ./peakformer evaluate --task image --data DIR --models mine.safetensors --out report/

A Peakformer checkpoint is a safetensors file of float32 tensors under PyTorch's names (a plain state dict) whose
__metadata__ holds (src/Peakformer.Engine/Checkpoints/Checkpoint.cs, src/Peakformer/Learning/Models/CheckpointInfo.cs):
    format             "pt"
    peakformer_model   the model kind, e.g. "vit" (the registry name in src/Peakformer/ModelKinds.cs)
    config             the kind's config as snake_case JSON (e.g. VisionTransformerConfig)
    task               the task, e.g. "image"
    <info key>         the task's info record as snake_case JSON ("image_model_info" for images: class names,
                       image shape, normalisation, training settings and history); Peakformer rejects unknown keys.

Kinds (KINDS below; each entry says how to build the module from the config):
    vit     torchvision.models.VisionTransformer(image_size, patch_size, num_layers=layers, num_heads=heads,
            hidden_dim=model, mlp_dim=feed_forward, dropout, attention_dropout, num_classes=classes) with conv_proj
            an nn.Conv2d(channels, model, patch_size, stride=patch_size) (torchvision builds it for 3 channels).
    vit1d   the same model on 1D patches: each channel read in raster order ([B, C, H * W]) and cut into runs of
            P * P pixels by conv_proj = nn.Conv1d(channels, model, P * P, stride=P * P) (weight [D, C, P * P]).
The drift-chamber kinds join KINDS as their twins are written (issue 15).
"""
import json
import math
import os
import struct
from functools import partial

import numpy as np
import torch
import torch.nn as nn
from torchvision.models import VisionTransformer

KIND_KEY, CONFIG_KEY, TASK_KEY = "peakformer_model", "config", "task"
IMAGE_TASK, IMAGE_INFO_KEY = "image", "image_model_info"
# ImageTransform.Mean and .Std: pixels in [0, 1] become (x - 0.5) / 0.5.
IMAGE_MEAN, IMAGE_STD = 0.5, 0.5


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


class Kind:
    """A Peakformer model kind: its task, the config keys it needs and how to build its twin."""

    def __init__(self, name, task, keys, build):
        self.name, self.task, self.keys, self.build = name, task, keys, build


KINDS = {k.name: k for k in [
    Kind("vit", IMAGE_TASK, VIT_KEYS, Vit),
    Kind("vit1d", IMAGE_TASK, VIT_KEYS, Vit1d),
]}


def build(kind, config, source="config"):
    """The twin of `kind` built from a config dict (every key of the kind's config must be there)."""
    if kind not in KINDS:
        raise CheckpointError(f"{source}: model kind '{kind}': expected one of {', '.join(KINDS)}")
    missing = [k for k in KINDS[kind].keys if k not in config]
    if missing:
        raise CheckpointError(f"{source}: config: missing {', '.join(missing)} (kind {kind})")
    return KINDS[kind].build(config)


def kind_of(module):
    for name, k in KINDS.items():
        if type(module) is k.build:
            return name
    raise CheckpointError(f"{type(module).__name__}: not a Peakformer twin (expected one of {', '.join(KINDS)})")


def load(path):
    """(module in eval mode, metadata dict) of a Peakformer checkpoint; the weights load with strict=True."""
    tensors, metadata = read_safetensors(path)
    if KIND_KEY not in metadata or CONFIG_KEY not in metadata:
        raise CheckpointError(f"{path}: no Peakformer model description in __metadata__ (keys '{KIND_KEY}' and '{CONFIG_KEY}')")
    try:
        config = json.loads(metadata[CONFIG_KEY])
    except json.JSONDecodeError as e:
        raise CheckpointError(f"{path}: config is not JSON ({e})")
    module = build(metadata[KIND_KEY], config, path)
    try:
        module.load_state_dict({k: torch.from_numpy(v) for k, v in tensors.items()}, strict=True)
    except RuntimeError as e:
        raise CheckpointError(f"{path}: checkpoint does not match the {metadata[KIND_KEY]} model: {' '.join(str(e).split())}")
    module.eval()
    return module, metadata


# ---- the info records Peakformer reads beside the weights ----

def training_settings(epochs, batch, learning_rate, weight_decay, warmup_epochs, patience, validation_fraction, seed,
                      optimizer="adamw", schedule="cosine", min_learning_rate=None):
    """Peakformer's TrainingSettings record (snake_case), as a checkpoint stores it."""
    return {"epochs": epochs, "batch": batch, "learning_rate": learning_rate, "weight_decay": weight_decay,
            "optimizer": optimizer, "schedule": schedule, "warmup_epochs": warmup_epochs, "patience": patience,
            "min_auc": 0.95, "threshold": 0.5, "validation_fraction": validation_fraction, "seed": seed,
            "clip_norm": 0.0, "min_learning_rate": min_learning_rate, "positive_weight": 1.0}


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


def save(module, path, kind, config, info=None):
    """The module's state dict as a Peakformer checkpoint of `kind` with `config`; for an image kind `info` is an
    image_info(...) record (required: Peakformer evaluates an image model by its class names and image shape)."""
    if kind not in KINDS:
        raise CheckpointError(f"{path}: model kind '{kind}': expected one of {', '.join(KINDS)}")
    if kind_of(module) != kind:
        raise CheckpointError(f"{path}: the module is a {kind_of(module)} twin, not {kind}")
    task = KINDS[kind].task
    metadata = {"format": "pt", KIND_KEY: kind, CONFIG_KEY: json.dumps({k: config[k] for k in KINDS[kind].keys}),
                TASK_KEY: task}
    if task == IMAGE_TASK:
        if info is None:
            raise CheckpointError(f"{path}: an image model needs its image_info (class names and image shape)")
        metadata[IMAGE_INFO_KEY] = json.dumps(info, ensure_ascii=False)
    write_safetensors(path, module.state_dict(), metadata)
