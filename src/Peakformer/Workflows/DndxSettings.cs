using Peakformer.DriftChamber.Physics;

namespace Peakformer.Workflows;

/// <summary>What <c>dndx</c> needs: where the cell counts come from, how cells make tracks, how long they are, and what to write.</summary>
public sealed record DndxSettings
{
    /// <summary>A count table written by <c>predict</c> (file,event,n_clusters); or give <see cref="DataPath"/> and <see cref="Method"/>.</summary>
    public string? CountsPath { get; init; }
    /// <summary>The count column of <see cref="CountsPath"/> (another for a table of <c>count</c> without truth).</summary>
    public string CountColumn { get; init; } = DriftChamber.Tracks.CountsCsv.DefaultColumn;
    /// <summary>Waveforms counted here with <see cref="Method"/> (a count model or deriv/d2, as <c>predict</c> takes them).</summary>
    public string? DataPath { get; init; }
    public string? Method { get; init; }
    /// <summary>With <see cref="DataPath"/>: --normalise, the count model reads each waveform normalised per waveform (as predict --normalise).</summary>
    public bool Normalise { get; init; }
    public Data.Waveforms.WaveformReadOptions Read { get; init; } = Data.Waveforms.WaveformReadOptions.None;
    public double ClusterisationS { get; init; } = DriftChamber.Counting.Clusterisation.DefaultS;

    /// <summary>Track map CSV (file,event,track[,length_cm][,momentum]); or <see cref="CellsPerTrack"/>.</summary>
    public string? TracksPath { get; init; }
    /// <summary>Without a map: consecutive groups of this many cells (in the counts' order) make a track.</summary>
    public int? CellsPerTrack { get; init; }
    /// <summary>Path length of every cell in cm; when null, the map's length_cm column.</summary>
    public double? CellLengthCm { get; init; }
    /// <summary>Truncated mean: the fraction of each track's cells kept (the lowest densities), in (0, 1]; null for none.</summary>
    public double? Truncate { get; init; }
    /// <summary>Particle hypotheses whose log-likelihood is written per track (needs <see cref="MomentumColumn"/> or <see cref="MomentumGeV"/>).</summary>
    public IReadOnlyList<Particle> Hypotheses { get; init; } = [];
    /// <summary>The track map's column of momentum in GeV/c (wins over <see cref="MomentumGeV"/>).</summary>
    public string? MomentumColumn { get; init; }
    /// <summary>One momentum in GeV/c for every track (a beam test; a map without a momentum column, or no map).</summary>
    public double? MomentumGeV { get; init; }
    /// <summary>The fraction of clusters the counting finds, in (0, 1]: scales the table's expected count (1: every cluster).</summary>
    public double Efficiency { get; init; } = 1;
    public required string Output { get; init; }
    /// <summary>
    /// --shard: write only this shard's tracks (by their place in the track stream, numbered by a first pass: over the
    /// counts table, or over the waveforms' origins, after which only the chunks holding the shard's cells are counted).
    /// </summary>
    public Sharding.Shard? Shard { get; init; }

    public DndxSettings Validate()
    {
        Read.Validate();
        Finite.Positive("--s", ClusterisationS, DriftChamber.Counting.Clusterisation.MaxS);
        if ((CountsPath is null) == (DataPath is null))
            throw InputException.At(null, null, "--counts/--data", "either a count table (--counts) or waveforms to count (--data with --method)", CountsPath is null ? "neither" : "both");
        if (DataPath is not null && string.IsNullOrWhiteSpace(Method))
            throw InputException.At(null, null, "--method", "a count-model checkpoint or deriv/d2 to count --data with", "nothing");
        if (Normalise && DataPath is null)
            throw InputException.At(null, null, "--normalise", "--data and --method (waveforms counted here; --counts are already counted)", "--counts");
        if (CountsPath is not null && Method is not null)
            throw InputException.At(null, null, "--method", "no method with --counts (the table is already counted)", Method);
        if ((TracksPath is null) == (CellsPerTrack is null))
            throw InputException.At(null, null, "--tracks/--cells-per-track", "either a track map or a number of cells per track", TracksPath is null ? "neither" : "both");
        if (CellsPerTrack is { } m && m is < 1 or > 100_000) throw InputException.At(null, null, "--cells-per-track", "an integer in [1, 100000]", $"{m}");
        if (CellLengthCm is { } l) Finite.Positive("--cell-length-cm", l, DriftChamber.Tracks.TrackMap.MaxCellLengthCm);
        if (CellsPerTrack is not null && CellLengthCm is null)
            throw InputException.At(null, null, "--cell-length-cm", "the path length per cell (no track map gives length_cm)", "nothing");
        if (Truncate is { } f) Finite.InRange("--truncate", f, double.Epsilon, 1);
        if (MomentumGeV is { } p) Finite.InRange("--momentum", p, DriftChamber.Tracks.TrackMap.MinMomentumGeV, DriftChamber.Tracks.TrackMap.MaxMomentumGeV);
        Finite.InRange("--efficiency", Efficiency, double.Epsilon, 1);
        if (MomentumColumn is not null && TracksPath is null)
            throw InputException.At(null, null, "--momentum-column", "a track map (--tracks) to read it from", MomentumColumn);
        // The momentum and efficiency serve only the likelihoods: given without --hypotheses they would be ignored.
        if (Hypotheses.Count == 0)
        {
            if (Efficiency != 1) throw InputException.At(null, null, "--efficiency", "--hypotheses to scale the expected counts of", $"--efficiency {Efficiency.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} without it");
            if (MomentumGeV is { } g) throw InputException.At(null, null, "--momentum", "--hypotheses to evaluate at the momentum", $"--momentum {g.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} without it");
            if (MomentumColumn is not null) throw InputException.At(null, null, "--momentum-column", "--hypotheses to evaluate at the momentum", $"--momentum-column {MomentumColumn} without it");
        }
        if (Hypotheses.Count > 0 && MomentumColumn is null && MomentumGeV is null)
            throw InputException.At(null, null, "--hypotheses", "each track's momentum: a track map's column (--tracks and --momentum-column) or --momentum", "none");
        if (Hypotheses.Distinct().Count() != Hypotheses.Count)
            throw InputException.At(null, null, "--hypotheses", "each particle once", string.Join(",", Hypotheses.Select(Particles.Name)));
        if (string.IsNullOrWhiteSpace(Output)) throw InputException.At(null, null, "--out", "a file path", "nothing");
        return this;
    }
}
