"""Passes ONNX files written by `peakformer export` through onnx.checker (Debian's python3-onnx 1.12), with full
shape inference, and prints each file's opset, inputs and outputs.

usage: /usr/bin/python3 python/check_onnx.py MODEL.onnx [...]
Exit code 0 when every file is a valid ONNX model; the checker's message and exit code 1 otherwise.
"""
import sys
import onnx

status = 0
for path in sys.argv[1:]:
    try:
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
    except Exception as e:  # the checker raises ValidationError, inference InferenceError
        print(f"{path}: {type(e).__name__}: {e}", file=sys.stderr)
        status = 1
        continue
    opsets = ", ".join(f"{o.domain or 'ai.onnx'} {o.version}" for o in model.opset_import)
    inputs = ", ".join(i.name for i in model.graph.input)
    outputs = ", ".join(o.name for o in model.graph.output)
    print(f"{path}: ok (IR {model.ir_version}, opset {opsets}; inputs {inputs}; outputs {outputs})")
sys.exit(status)
