using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Peakformer.Engine.Tensors;

/// <summary>
/// A dense row-major float32 tensor: a shape and a segment of a float array.
/// Tensors made by a <see cref="Autograd.Tape"/> live until the tape is reset; tensors made
/// with the static factories own their memory.
/// </summary>
public sealed class Tensor
{
    internal float[] Buffer = [];
    internal int Offset;

    public Shape Shape { get; private set; }

    /// <summary>Gradient of the loss with respect to this tensor, once backward has reached it.</summary>
    public Tensor? Grad { get; internal set; }

    /// <summary>True when backward should compute a gradient for this tensor.</summary>
    public bool RequiresGrad { get; internal set; }

    /// <summary>An unbound tensor, bound later by the tape that pools it.</summary>
    internal Tensor() { }

    internal Tensor(Shape shape, float[] buffer, int offset)
    {
        Bind(shape, buffer, offset);
    }

    internal void Bind(Shape shape, float[] buffer, int offset)
    {
        if (offset + shape.Size > buffer.Length)
            throw new ArgumentException($"Tensor: shape {shape} needs {shape.Size} floats at offset {offset}, buffer holds {buffer.Length}.");
        Shape = shape;
        Buffer = buffer;
        Offset = offset;
        Grad = null;
        RequiresGrad = false;
    }

    /// <summary>Reinterprets the same memory under another shape of equal size (no copy).</summary>
    internal void Reshape(Shape shape)
    {
        if (shape.Size != Shape.Size)
            throw new ArgumentException($"Reshape: cannot view {Shape} ({Shape.Size} elements) as {shape} ({shape.Size} elements).");
        Shape = shape;
    }

    public int Size => Shape.Size;

    public Span<float> Data => Buffer.AsSpan(Offset, Shape.Size);

    internal ref float First => ref MemoryMarshal.GetArrayDataReference(Buffer);

    internal unsafe float* Pointer
    {
        // Tape tensors live in pinned arena arrays; owned tensors are pinned at allocation too.
        get => (float*)Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Buffer), Offset));
    }

    /// <summary>The single value of a one-element tensor.</summary>
    public float Item()
    {
        if (Shape.Size != 1) throw new InvalidOperationException($"Item: tensor of shape {Shape} has {Shape.Size} elements, expected 1.");
        return Buffer[Offset];
    }

    public float[] ToArray() => Data.ToArray();

    public static Tensor Zeros(Shape shape) => new(shape, GC.AllocateArray<float>(Math.Max(1, shape.Size), pinned: true), 0);

    public static Tensor Zeros(params int[] dims) => Zeros(new Shape(dims));

    public static Tensor FromArray(ReadOnlySpan<float> values, Shape shape)
    {
        if (values.Length != shape.Size)
            throw new ArgumentException($"FromArray: {values.Length} values do not fill shape {shape} ({shape.Size} elements).");
        var t = Zeros(shape);
        values.CopyTo(t.Data);
        return t;
    }

    public static Tensor FromArray(float[] values, params int[] dims) => FromArray(values, new Shape(dims));

    /// <summary>Makes this tensor a leaf that receives a gradient (its own zeroed buffer).</summary>
    public Tensor WithGrad()
    {
        RequiresGrad = true;
        Grad ??= Zeros(Shape);
        return this;
    }

    public override string ToString() => $"Tensor{Shape}";
}
