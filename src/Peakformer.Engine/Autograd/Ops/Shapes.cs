using Peakformer.Engine.Kernels;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Autograd;

public static partial class Ops
{
    /// <summary>The same values under a new shape of equal size (a view: no copy).</summary>
    public static Tensor Reshape(Tape tape, Tensor x, Shape shape)
    {
        if (shape.Size != x.Size)
            throw new ArgumentException($"Reshape: cannot reshape {x.Shape} ({x.Size} elements) to {shape} ({shape.Size} elements).");
        var y = tape.View(x, shape);
        if (tape.Wants(x)) tape.Record<ReshapeNode>(y).X = x;
        return y;
    }

    /// <summary>Swaps two axes (a copy in the new layout).</summary>
    public static Tensor Transpose(Tape tape, Tensor x, int axis0, int axis1)
    {
        int rank = x.Shape.Rank;
        if (axis0 < 0) axis0 += rank;
        if (axis1 < 0) axis1 += rank;
        if ((uint)axis0 >= (uint)rank || (uint)axis1 >= (uint)rank)
            throw new ArgumentException($"Transpose: axes {axis0} and {axis1} out of range for shape {x.Shape}.");
        var outShape = x.Shape.With(axis0, x.Shape[axis1]).With(axis1, x.Shape[axis0]);
        var y = tape.Empty(outShape);
        SwapAxesCopy(x.Data, x.Shape, axis0, axis1, y.Data, accumulate: false);
        if (tape.Wants(x))
        {
            var node = tape.Record<TransposeNode>(y);
            node.X = x;
            node.Axis0 = axis0;
            node.Axis1 = axis1;
        }
        return tape.Produced(y, "Transpose");
    }

    /// <summary>Elements [start, start + length) along one axis.</summary>
    public static Tensor Slice(Tape tape, Tensor x, int axis, int start, int length)
    {
        if (axis < 0) axis += x.Shape.Rank;
        if ((uint)axis >= (uint)x.Shape.Rank || start < 0 || length < 0 || start + length > x.Shape[axis])
            throw new ArgumentException($"Slice: [{start}, {start + length}) along axis {axis} is outside shape {x.Shape}.");
        var (outer, dim, inner) = Split(x.Shape, axis);
        var y = tape.Empty(x.Shape.With(axis, length));
        var xd = x.Data;
        var yd = y.Data;
        for (int o = 0; o < outer; o++)
            xd.Slice((o * dim + start) * inner, length * inner).CopyTo(yd.Slice(o * length * inner, length * inner));
        if (tape.Wants(x))
        {
            var node = tape.Record<SliceNode>(y);
            node.X = x;
            node.Axis = axis;
            node.Start = start;
        }
        return tape.Produced(y, "Slice");
    }

    /// <summary>Joins tensors along one axis; all other dimensions must agree.</summary>
    public static Tensor Concat(Tape tape, IReadOnlyList<Tensor> parts, int axis)
    {
        if (parts.Count == 0) throw new ArgumentException("Concat: no tensors given.");
        var first = parts[0].Shape;
        if (axis < 0) axis += first.Rank;
        int total = 0;
        foreach (var p in parts)
        {
            if (p.Shape.Rank != first.Rank || p.Shape.With(axis, 0) != first.With(axis, 0))
                throw new ArgumentException($"Concat: shape {p.Shape} does not match {first} outside axis {axis}.");
            total += p.Shape[axis];
        }
        var y = tape.Empty(first.With(axis, total));
        var (outer, _, inner) = Split(first, axis);
        int position = 0;
        foreach (var p in parts)
        {
            int len = p.Shape[axis];
            for (int o = 0; o < outer; o++)
                p.Data.Slice(o * len * inner, len * inner).CopyTo(y.Data.Slice((o * total + position) * inner, len * inner));
            position += len;
        }
        bool wants = false;
        foreach (var p in parts) wants |= tape.Wants(p);
        if (wants)
        {
            var node = tape.Record<ConcatNode>(y);
            node.Parts = parts;
            node.Axis = axis;
        }
        return tape.Produced(y, "Concat");
    }

    /// <summary>Prepends a learned token to every sequence: x[B, L, D], token[D] → [B, L + 1, D] (a CLS token).</summary>
    public static Tensor PrependToken(Tape tape, Tensor x, Tensor token)
    {
        if (x.Shape.Rank != 3 || token.Size != x.Shape[2])
            throw new ArgumentException($"PrependToken: input {x.Shape} and token {token.Shape} disagree (expected [batch, length, {token.Size}]).");
        int b = x.Shape[0], l = x.Shape[1], d = x.Shape[2];
        var y = tape.Empty(new Shape(b, l + 1, d));
        for (int i = 0; i < b; i++)
        {
            token.Data.CopyTo(y.Data.Slice(i * (l + 1) * d, d));
            x.Data.Slice(i * l * d, l * d).CopyTo(y.Data.Slice((i * (l + 1) + 1) * d, l * d));
        }
        if (tape.Wants(x, token))
        {
            var node = tape.Record<PrependNode>(y);
            node.X = x;
            node.Token = token;
        }
        return tape.Produced(y, "PrependToken");
    }

    /// <summary>
    /// Cuts images x[B, C, H, W] into non-overlapping p x p patches → [B, (H/p)(W/p), C p p], each patch flattened
    /// in (channel, row, column) order so a Conv2d weight [D, C, p, p] is the matching linear weight.
    /// </summary>
    public static Tensor Patchify2d(Tape tape, Tensor x, int patch)
    {
        if (x.Shape.Rank != 4 || patch <= 0 || x.Shape[2] % patch != 0 || x.Shape[3] % patch != 0)
            throw new ArgumentException($"Patchify2d: image {x.Shape} is not [batch, channels, height, width] divisible by patch {patch}.");
        var y = tape.Empty(PatchShape(x.Shape, patch));
        PatchCopy(x.Shape, patch, x.Data, y.Data, toPatches: true);
        if (tape.Wants(x))
        {
            var node = tape.Record<PatchifyNode>(y);
            node.X = x;
            node.Patch = patch;
        }
        return tape.Produced(y, "Patchify2d");
    }

    private static Shape PatchShape(Shape image, int p) =>
        new(image[0], image[2] / p * (image[3] / p), image[1] * p * p);

    // Moves values between image layout and patch layout; toPatches=false adds patch gradients back into the image.
    private static void PatchCopy(Shape image, int p, Span<float> imageData, Span<float> patches, bool toPatches)
    {
        int b = image[0], c = image[1], h = image[2], w = image[3];
        int ph = h / p, pw = w / p, featureSize = c * p * p;
        for (int n = 0; n < b; n++)
            for (int py = 0; py < ph; py++)
                for (int px = 0; px < pw; px++)
                {
                    int patchBase = ((n * ph + py) * pw + px) * featureSize;
                    int f = 0;
                    for (int ch = 0; ch < c; ch++)
                        for (int ky = 0; ky < p; ky++)
                            for (int kx = 0; kx < p; kx++, f++)
                            {
                                int pixel = ((n * c + ch) * h + py * p + ky) * w + px * p + kx;
                                if (toPatches) patches[patchBase + f] = imageData[pixel];
                                else imageData[pixel] += patches[patchBase + f];
                            }
                }
    }

    /// <summary>Looks up rows of weight[V, D] for integer ids; the output has shape idsShape + [D].</summary>
    public static Tensor Embedding(Tape tape, int[] ids, Shape idsShape, Tensor weight)
    {
        if (idsShape.Size != ids.Length) throw new ArgumentException($"Embedding: {ids.Length} ids do not fill shape {idsShape}.");
        int vocab = weight.Shape[0], d = weight.Shape[1];
        Span<int> dims = stackalloc int[idsShape.Rank + 1];
        for (int i = 0; i < idsShape.Rank; i++) dims[i] = idsShape[i];
        dims[idsShape.Rank] = d;
        var y = tape.Empty(new Shape(dims));
        for (int i = 0; i < ids.Length; i++)
        {
            if ((uint)ids[i] >= (uint)vocab) throw new ArgumentException($"Embedding: id {ids[i]} at position {i} is outside [0, {vocab}).");
            weight.Data.Slice(ids[i] * d, d).CopyTo(y.Data.Slice(i * d, d));
        }
        if (tape.Wants(weight))
        {
            var node = tape.Record<EmbeddingNode>(y);
            node.Ids = ids;
            node.W = weight;
        }
        return tape.Produced(y, "Embedding");
    }

    private static (int Outer, int Dim, int Inner) Split(Shape s, int axis)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= s[i];
        for (int i = axis + 1; i < s.Rank; i++) inner *= s[i];
        return (outer, s[axis], inner);
    }

    // y (= or +=) x with axes a and b swapped; shape is x's shape.
    private static void SwapAxesCopy(ReadOnlySpan<float> x, Shape shape, int a, int b, Span<float> y, bool accumulate)
    {
        int rank = shape.Rank;
        Span<int> inStride = stackalloc int[rank];
        Span<int> outDims = stackalloc int[rank];
        int s = 1;
        for (int i = rank - 1; i >= 0; i--) { inStride[i] = s; s *= shape[i]; }
        for (int i = 0; i < rank; i++) outDims[i] = shape[i];
        (outDims[a], outDims[b]) = (outDims[b], outDims[a]);
        Span<int> strideForOut = stackalloc int[rank];
        inStride.CopyTo(strideForOut);
        (strideForOut[a], strideForOut[b]) = (strideForOut[b], strideForOut[a]);
        Span<int> index = stackalloc int[rank];
        int offset = 0;
        for (int o = 0; o < y.Length; o++)
        {
            if (accumulate) y[o] += x[offset]; else y[o] = x[offset];
            for (int d = rank - 1; d >= 0; d--)
            {
                index[d]++;
                offset += strideForOut[d];
                if (index[d] < outDims[d]) break;
                offset -= strideForOut[d] * outDims[d];
                index[d] = 0;
            }
        }
    }

    private sealed class ReshapeNode : Node
    {
        public Tensor X = null!;
        public override string Name => "Reshape";
        internal override void Backward(Tape tape)
        {
            var (dx, accumulate) = tape.GradTarget(X);
            if (accumulate) Elementwise.AddInPlace(Output.Grad!.Data, dx.Data);
            else Output.Grad!.Data.CopyTo(dx.Data);
        }
    }

    private sealed class TransposeNode : Node
    {
        public Tensor X = null!;
        public int Axis0, Axis1;
        public override string Name => "Transpose";
        internal override void Backward(Tape tape)
        {
            var (dx, accumulate) = tape.GradTarget(X);
            SwapAxesCopy(Output.Grad!.Data, Output.Shape, Axis0, Axis1, dx.Data, accumulate);
        }
    }

    private sealed class SliceNode : Node
    {
        public Tensor X = null!;
        public int Axis, Start;
        public override string Name => "Slice";

        internal override void Backward(Tape tape)
        {
            var (outer, dim, inner) = Split(X.Shape, Axis);
            int length = Output.Shape[Axis];
            var dy = Output.Grad!.Data;
            var dx = tape.GradOf(X).Data;
            for (int o = 0; o < outer; o++)
                Elementwise.AddInPlace(dy.Slice(o * length * inner, length * inner), dx.Slice((o * dim + Start) * inner, length * inner));
        }
    }

    private sealed class ConcatNode : Node
    {
        public IReadOnlyList<Tensor> Parts = null!;
        public int Axis;
        public override string Name => "Concat";

        internal override void Backward(Tape tape)
        {
            var (outer, total, inner) = Split(Output.Shape, Axis);
            var dy = Output.Grad!.Data;
            int position = 0;
            foreach (var p in Parts)
            {
                int len = p.Shape[Axis];
                if (p.RequiresGrad)
                {
                    var dp = tape.GradOf(p).Data;
                    for (int o = 0; o < outer; o++)
                        Elementwise.AddInPlace(dy.Slice((o * total + position) * inner, len * inner), dp.Slice(o * len * inner, len * inner));
                }
                position += len;
            }
        }
    }

    private sealed class PrependNode : Node
    {
        public Tensor X = null!, Token = null!;
        public override string Name => "PrependToken";

        internal override void Backward(Tape tape)
        {
            int b = X.Shape[0], l = X.Shape[1], d = X.Shape[2];
            var dy = Output.Grad!.Data;
            if (Token.RequiresGrad)
            {
                var dt = tape.GradOf(Token).Data;
                for (int i = 0; i < b; i++) Elementwise.AddInPlace(dy.Slice(i * (l + 1) * d, d), dt);
            }
            if (X.RequiresGrad)
            {
                var dx = tape.GradOf(X).Data;
                for (int i = 0; i < b; i++)
                    Elementwise.AddInPlace(dy.Slice((i * (l + 1) + 1) * d, l * d), dx.Slice(i * l * d, l * d));
            }
        }
    }

    private sealed class PatchifyNode : Node
    {
        public Tensor X = null!;
        public int Patch;
        public override string Name => "Patchify2d";
        internal override void Backward(Tape tape) => PatchCopy(X.Shape, Patch, tape.GradOf(X).Data, Output.Grad!.Data, toPatches: false);
    }

    private sealed class EmbeddingNode : Node
    {
        public int[] Ids = null!;
        public Tensor W = null!;
        public override string Name => "Embedding";

        internal override void Backward(Tape tape)
        {
            int d = W.Shape[1];
            var dy = Output.Grad!.Data;
            var dw = tape.GradOf(W).Data;
            for (int i = 0; i < Ids.Length; i++) Elementwise.AddInPlace(dy.Slice(i * d, d), dw.Slice(Ids[i] * d, d));
        }
    }
}
