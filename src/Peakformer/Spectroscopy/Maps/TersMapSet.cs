using Peakformer.Data.Npy;

namespace Peakformer.Spectroscopy.Maps;

/// <summary>Labelled TERS maps in memory: [N, C, H, W] floats in [0, 1], one class per map, class names and the generator's settings.</summary>
public sealed class TersMapSet(int channels, int height, int width, float[] values, int[] labels, IReadOnlyList<string> classNames, string generatorJson)
{
    public int Channels { get; } = channels;
    public int Height { get; } = height;
    public int Width { get; } = width;
    /// <summary>[N, C, H, W] in C order.</summary>
    public float[] Values { get; } = values;
    public int[] Labels { get; } = labels;
    public IReadOnlyList<string> ClassNames { get; } = classNames;
    public string GeneratorJson { get; } = generatorJson;
    public int Count => Labels.Length;

    /// <summary>As .npz: maps [N, C, H, W] float32, y [N] int64, class_names, generator_json.</summary>
    public void Write(string path)
    {
        using var writer = new NpzWriter(path);
        writer.Add("maps", NpyArray.Of(Values, Count, Channels, Height, Width));
        writer.Add("y", NpyArray.Of(Array.ConvertAll(Labels, l => (long)l), Count));
        writer.Add("class_names", NpyArray.Of(ClassNames.ToArray()));
        writer.Add("generator_json", NpyArray.Scalar(GeneratorJson));
        writer.Commit();
    }
}
