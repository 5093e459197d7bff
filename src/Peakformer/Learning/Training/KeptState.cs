using Peakformer.Engine.Layers;

namespace Peakformer.Learning.Training;

/// <summary>
/// The state a kept epoch is put back from: every parameter (in <see cref="ParameterSet"/> order) followed by every
/// buffer (batch norm's running statistics and batch count, in <see cref="Module.NamedBuffers"/> order), flat. The
/// buffers belong with the weights they were gathered beside; a model without buffers keeps its parameters only,
/// exactly as before buffers existed.
/// </summary>
public static class KeptState
{
    /// <summary>Values in the kept state of <paramref name="model"/>.</summary>
    public static int Size(Module model) =>
        model.NamedParameters().Sum(p => p.Parameter.Shape.Size) + model.NamedBuffers().Sum(b => b.Buffer.Shape.Size);

    /// <summary>Copies the model's parameters and buffers into <paramref name="into"/> (of <see cref="Size"/>).</summary>
    public static void Capture(ParameterSet parameters, Module model, Span<float> into)
    {
        parameters.Values.CopyTo(into);
        int offset = parameters.Count;
        foreach (var (_, buffer) in model.NamedBuffers())
        {
            buffer.Data.CopyTo(into.Slice(offset));
            offset += buffer.Shape.Size;
        }
    }

    /// <summary>Puts a captured state back into the model's parameters and buffers.</summary>
    public static void Restore(ReadOnlySpan<float> from, ParameterSet parameters, Module model)
    {
        from[..parameters.Count].CopyTo(parameters.Values);
        int offset = parameters.Count;
        foreach (var (_, buffer) in model.NamedBuffers())
        {
            from.Slice(offset, buffer.Shape.Size).CopyTo(buffer.Data);
            offset += buffer.Shape.Size;
        }
    }
}
