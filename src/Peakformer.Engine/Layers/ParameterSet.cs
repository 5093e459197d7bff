using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Layers;

/// <summary>
/// All parameters of a model in two flat buffers (values and gradients, same layout), each parameter a
/// named view. Zeroing gradients, clipping and the optimisers are then single loops over one span.
/// Make one set per model: creating it moves the parameters into its buffers.
/// </summary>
public sealed class ParameterSet
{
    private readonly float[] _values;
    private readonly float[] _grads;

    public ParameterSet(Module model)
    {
        Named = model.NamedParameters().ToArray();
        var seen = new HashSet<string>();
        foreach (var (name, _) in Named)
            if (!seen.Add(name)) throw new InvalidOperationException($"ParameterSet: duplicate parameter name '{name}'.");
        int total = Named.Sum(p => p.Parameter.Shape.Size);
        _values = GC.AllocateArray<float>(Math.Max(1, total), pinned: true);
        _grads = GC.AllocateArray<float>(Math.Max(1, total), pinned: true);
        var offsets = new int[Named.Count];
        int offset = 0;
        for (int i = 0; i < Named.Count; i++)
        {
            var value = Named[i].Parameter.Value;
            var shape = value.Shape;
            value.Data.CopyTo(_values.AsSpan(offset, shape.Size));
            value.Bind(shape, _values, offset);
            value.RequiresGrad = true;
            value.Grad = new Tensor(shape, _grads, offset) { RequiresGrad = false };
            offsets[i] = offset;
            offset += shape.Size;
        }
        Offsets = offsets;
        Count = total;
    }

    public IReadOnlyList<(string Name, Parameter Parameter)> Named { get; }

    /// <summary>Start of each parameter in the flat buffers, in <see cref="Named"/> order.</summary>
    public IReadOnlyList<int> Offsets { get; }

    /// <summary>Total number of learned values.</summary>
    public int Count { get; }

    public Span<float> Values => _values.AsSpan(0, Count);

    public Span<float> Grads => _grads.AsSpan(0, Count);

    public void ZeroGrad() => Grads.Clear();

    /// <summary>Global L2 norm of all gradients.</summary>
    public float GradNorm() => TensorPrimitives.Norm(Grads);

    /// <summary>Scales gradients so their global L2 norm is at most maxNorm (PyTorch clip_grad_norm_); returns the norm before clipping.</summary>
    public float ClipGradNorm(float maxNorm)
    {
        if (maxNorm <= 0) throw new ArgumentOutOfRangeException(nameof(maxNorm), $"ClipGradNorm: max norm must be positive, got {maxNorm}.");
        float norm = GradNorm();
        float coefficient = maxNorm / (norm + 1e-6f);
        if (coefficient < 1f) TensorPrimitives.Multiply(Grads, coefficient, Grads);
        return norm;
    }

    public Parameter this[string name] =>
        Named.FirstOrDefault(p => p.Name == name).Parameter ?? throw new KeyNotFoundException($"No parameter named '{name}'.");
}
