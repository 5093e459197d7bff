using Peakformer.DriftChamber.Models;

namespace Peakformer.Spectroscopy.Models;

/// <summary>
/// The 1D CNN's shape (§4 of ../shared/reference/ters-ml-math-reference.md): one block per entry of
/// <see cref="Channels"/> (Conv1d of <see cref="KernelSize"/> with "same" padding, BatchNorm1d, ReLU, MaxPool1d of
/// <see cref="Pool"/>), a global average pool, dropout and a linear head to <see cref="Classes"/> logits.
/// Defaults: spectra of 1000 points, 10 classes, blocks of 16, 32, 64 and 128 channels, kernel 7, pool 4, dropout 0.2:
/// four pools of 4 give the last block a receptive field of about 500 points, so it sees which bands lie together
/// however far the axis is shifted (on the spectrum benchmark, three blocks with pool 2, about 90 points, reached
/// test macro-F1 0.58: the global mean then cannot tell one band from another). bench's harness sets its own shape.
/// </summary>
public sealed record SpectrumCnnConfig
{
    public int Length { get; init; } = 1000;
    public int InChannels { get; init; } = 1;
    public int Classes { get; init; } = 10;
    public int[] Channels { get; init; } = [16, 32, 64, 128];
    /// <summary>Odd, so padding kernel_size / 2 keeps the length.</summary>
    public int KernelSize { get; init; } = 7;
    public int Pool { get; init; } = 4;
    public float Dropout { get; init; } = 0.2f;

    public const int MaxLength = 1 << 20;
    public const int MaxChannels = 4096;
    public const int MaxBlocks = 16;
    public const int MaxKernel = 255;
    public const int MaxClasses = 10_000;

    /// <summary>The length after every block's pool.</summary>
    public int FinalLength
    {
        get
        {
            int length = Length;
            foreach (var _ in Channels) length = (length - Pool) / Pool + 1;
            return length;
        }
    }

    public void Validate()
    {
        ConfigLimits.Whole("length", Length, 1, MaxLength);
        ConfigLimits.Whole("in_channels", InChannels, 1, MaxChannels);
        ConfigLimits.Whole("classes", Classes, 2, MaxClasses);
        if (Channels is null || Channels.Length == 0) throw new ArgumentException("channels: expected at least one block's channel count, found none");
        ConfigLimits.Whole("blocks (entries of channels)", Channels.Length, 1, MaxBlocks);
        for (int i = 0; i < Channels.Length; i++) ConfigLimits.Whole($"channels[{i}]", Channels[i], 1, MaxChannels);
        ConfigLimits.Whole("kernel_size", KernelSize, 1, MaxKernel);
        if (KernelSize % 2 == 0) throw new ArgumentException($"kernel_size: expected an odd number (same padding), found {KernelSize}");
        ConfigLimits.Whole("pool", Pool, 1, Length);
        int length = Length;
        foreach (var _ in Channels)
        {
            if (length < Pool)
                throw new ArgumentException($"length: {Length} points are too few for {Channels.Length} pools of {Pool} (at least {(long)Math.Pow(Pool, Channels.Length)})");
            length = (length - Pool) / Pool + 1;
        }
        long weights = 0;
        int cin = InChannels;
        foreach (int c in Channels) { weights += (long)c * cin * KernelSize + 3L * c; cin = c; }
        weights += (long)cin * Classes + Classes;
        if (weights > ConfigLimits.MaxParameters)
            throw new ArgumentException($"channels: {weights} weights exceed the limit of {ConfigLimits.MaxParameters}");
        ConfigLimits.Dropout("dropout", Dropout);
    }
}
