namespace Peakformer.DriftChamber.Models;

/// <summary>
/// The size limits of every model config, checked before anything is allocated (a checkpoint or --model-config with
/// layers 100000 would otherwise ask for gigabytes). Failures are ArgumentExceptions naming the field, the range and
/// the value; <see cref="Learning.Models.ModelKind.Create"/> prefixes where the config came from.
/// </summary>
internal static class ConfigLimits
{
    public const int MaxModel = 1024;
    public const int MaxHeads = 64;
    public const int MaxLayers = 24;
    public const int MaxHidden = 8192;
    public const int MaxWindowLength = 1024;
    public const int MaxEmbeddingKernel = 255;
    /// <summary>At most this many weights (64 MB of floats; the reference window transformer has about 80,000).</summary>
    public const long MaxParameters = 16_000_000;

    public static void Whole(string field, int value, int min, int max)
    {
        if (value < min || value > max) throw new ArgumentException($"{field}: expected a whole number in [{min}, {max}], found {value}");
    }

    public static void Dropout(string field, float value)
    {
        if (!(value >= 0 && value < 1)) throw new ArgumentException($"{field}: expected a dropout probability in [0, 1), found {Finite.Describe(value)}");
    }

    public static void Number(string field, double value, double min, double max)
    {
        if (!(value >= min && value <= max)) throw new ArgumentException($"{field}: expected a number in [{Finite.Describe(min)}, {Finite.Describe(max)}], found {Finite.Describe(value)}");
    }

    /// <summary>model, heads, layers and feed_forward of a transformer encoder, and its weight count within the limit.</summary>
    public static void Encoder(int model, int heads, int layers, int feedForward, long otherParameters = 0)
    {
        Whole("model", model, 1, MaxModel);
        Whole("heads", heads, 1, MaxHeads);
        if (model % heads != 0) throw new ArgumentException($"model: expected a multiple of heads ({heads}), found {model}");
        Whole("layers", layers, 1, MaxLayers);
        Whole("feed_forward", feedForward, 1, MaxHidden);
        // Per layer: in-projection 3d^2, out-projection d^2, two feed-forward matrices 2 d ff (biases and norms are small).
        long parameters = (long)layers * (4L * model * model + 2L * model * feedForward) + otherParameters;
        if (parameters > MaxParameters)
            throw new ArgumentException($"model, layers, feed_forward: expected at most {MaxParameters} weights in all, found about {parameters} " +
                $"(model {model}, layers {layers}, feed_forward {feedForward})");
    }
}
