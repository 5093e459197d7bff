using System.CommandLine;

namespace Peakformer.Cli;

/// <summary>
/// --normalise, one definition for every command where a model reads waveforms (predict, count, dndx; shift has its
/// own, which adds normalised rows): each waveform baseline-subtracted and its noise scaled to the model's training
/// noise. The decision itself lives in <see cref="DriftChamber.Inputs.InputNormalisation"/>.
/// </summary>
public static class NormaliseOption
{
    public static Option<bool> Create() => new("--normalise")
    {
        Description = "Models on waveforms (peak and count models, peak models clusterised): subtract each waveform's baseline and scale its noise (both from the first 25 ns) " +
            "to the noise the model was trained on (a gain or noise-shift mitigation; see Domain shift in the README). A checkpoint trained on normalised waveforms is normalised without it.",
    };
}
