using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Tests.Support;

/// <summary>A PyTorch golden case written by tools/golden/make_golden.py.</summary>
public sealed class Golden
{
    private readonly Dictionary<string, SafeTensorsEntry> _tensors;

    private Golden(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Golden", name + ".safetensors");
        var (tensors, metadata) = SafeTensorsFile.Read(path);
        _tensors = tensors.ToDictionary(t => t.Name);
        Metadata = metadata;
    }

    public static Golden Load(string name) => new(name);

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public bool Has(string name) => _tensors.ContainsKey(name);

    public Tensor Tensor(string name) => Engine.Tensors.Tensor.FromArray(_tensors[name].Values, _tensors[name].Shape);

    public float[] Values(string name) => _tensors[name].Values;

    public Shape ShapeOf(string name) => _tensors[name].Shape;

    /// <summary>Parameters (prefix "param.") as checkpoint entries with PyTorch names.</summary>
    public IReadOnlyList<SafeTensorsEntry> Parameters(string prefix = "param.") =>
        _tensors.Values.Where(t => t.Name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(t => t with { Name = t.Name[prefix.Length..] }).ToList();

    /// <summary>Asserts |actual - expected| <= atol + rtol |expected| element-wise and reports the worst element.</summary>
    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what, double rtol = 1e-4, double atol = 1e-5)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: length {actual.Length}, expected {expected.Length}");
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double excess = Math.Abs(actual[i] - expected[i]) - (atol + rtol * Math.Abs(expected[i]));
            if (excess > worst) { worst = excess; worstAt = i; }
        }
        Assert.True(worstAt < 0, worstAt < 0 ? "" : $"{what}: element {worstAt} is {actual[worstAt]:G7}, PyTorch gives {expected[worstAt]:G7}");
    }
}
