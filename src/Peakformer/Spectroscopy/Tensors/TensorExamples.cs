using Peakformer.Learning.Training;

namespace Peakformer.Spectroscopy.Tensors;

/// <summary>The rows of a <see cref="TensorSet"/> as the trainer's examples: inputs C x L values, targets the 9 tensor components.</summary>
public sealed class TensorExamples(TensorSet set, int[] rows) : IExamples
{
    public int Count => rows.Length;
    public int InputSize => set.InputSize;
    public int TargetSize => 9;
    public string Unit => "molecules";

    public void Fill(ReadOnlySpan<int> indices, Span<float> inputs, Span<float> targets)
    {
        int size = set.InputSize;
        for (int i = 0; i < indices.Length; i++)
        {
            int row = rows[indices[i]];
            set.Example(row).CopyTo(inputs.Slice(i * size, size));
            set.Tensor(row).CopyTo(targets.Slice(i * 9, 9));
        }
    }
}
