namespace Peakformer.Workflows;

/// <summary>What <c>predict</c> needs to count clusters in waveforms without truth.</summary>
public sealed record CountPredictionSettings
{
    /// <summary>A count-model checkpoint, or a classical finder spec (deriv, d2, deriv:N1,N2,N3,N4, d2:T1,T2) clusterised.</summary>
    public required string Method { get; init; }
    public required string DataPath { get; init; }
    public Data.Waveforms.WaveformReadOptions Read { get; init; } = Data.Waveforms.WaveformReadOptions.None;
    /// <summary>file,event,n_clusters per waveform.</summary>
    public required string Output { get; init; }
    /// <summary>Optional file,event,sample,time_ns,score of every peak the count was made from.</summary>
    public string? PeaksOutput { get; init; }
    /// <summary>Clusterisation: a peak within s sqrt(t) ns of its cluster's first peak joins it.</summary>
    public double ClusterisationS { get; init; } = DriftChamber.Counting.Clusterisation.DefaultS;
    /// <summary>Count the first this many waveforms across the file set (0: all).</summary>
    public int Events { get; init; }
    /// <summary>--normalise: a count model reads each waveform normalised per waveform (a checkpoint trained so is normalised anyway).</summary>
    public bool Normalise { get; init; }
    /// <summary>--shard: count only this shard's rows (whole chunks of <see cref="CountTable.Chunk"/>).</summary>
    public Sharding.Shard? Shard { get; init; }

    public CountPredictionSettings Validate()
    {
        Read.Validate();
        Finite.Positive("--s", ClusterisationS, DriftChamber.Counting.Clusterisation.MaxS);
        Finite.Count("--events", Events, 0, int.MaxValue);
        if (string.IsNullOrWhiteSpace(Method)) throw InputException.At(null, null, "--model", "a count-model checkpoint or deriv/d2", "nothing");
        return this;
    }
}
