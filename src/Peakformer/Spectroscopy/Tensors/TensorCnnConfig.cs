using Peakformer.Spectroscopy.Models;

namespace Peakformer.Spectroscopy.Tensors;

/// <summary>
/// The tensor model's shape: the spectrum CNN's trunk (<see cref="SpectrumCnnConfig"/>: blocks of Conv1d,
/// BatchNorm1d, ReLU, MaxPool1d, global mean, dropout) over <see cref="InChannels"/> polarised spectra, its linear head
/// giving the 9 components of R_hat (row-major, not constrained symmetric). <c>length</c> and <c>in_channels</c> come
/// from the data. Dropout 0 by default: dropout before a regression head only adds noise to the outputs.
/// </summary>
public sealed record TensorCnnConfig
{
    public int Length { get; init; } = 1000;
    public int InChannels { get; init; } = 11;
    public int[] Channels { get; init; } = [16, 32, 64, 128];
    public int KernelSize { get; init; } = 7;
    public int Pool { get; init; } = 4;
    public float Dropout { get; init; }

    /// <summary>The trunk's config: the spectrum CNN with 9 outputs.</summary>
    public SpectrumCnnConfig Trunk() => new()
    {
        Length = Length, InChannels = InChannels, Classes = 9, Channels = Channels, KernelSize = KernelSize, Pool = Pool, Dropout = Dropout,
    };

    public void Validate() => Trunk().Validate();
}
