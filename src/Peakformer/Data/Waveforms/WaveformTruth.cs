namespace Peakformer.Data.Waveforms;

/// <summary>
/// One file's Monte-Carlo truth as <c>simulate</c> writes it: per-electron arrays indexed by
/// <see cref="ElectronOffsets"/>, per-waveform particle, momentum, beta-gamma, track length and cluster count. Read
/// from any format through <see cref="ITruthColumns"/> and checked here, so every format refuses the same bad values
/// with the same one-line errors.
/// </summary>
public sealed class WaveformTruth
{
    public long[] ElectronOffsets { get; private init; } = [];
    public double[] ElectronTimeNs { get; private init; } = [];
    public long[] ElectronPeakSample { get; private init; } = [];
    public long[] ElectronCluster { get; private init; } = [];
    public long[] ElectronTag { get; private init; } = [];
    public long[] Particle { get; private init; } = [];
    public bool HasParticles { get; private init; }
    public double[] MomentumGeV { get; private init; } = [];
    public double[] BetaGamma { get; private init; } = [];
    public double[] TrackLengthCm { get; private init; } = [];
    public long[] Clusters { get; private init; } = [];

    /// <summary>The truth of <paramref name="count"/> waveforms of <paramref name="samples"/> samples, or null when the file has none.</summary>
    internal static WaveformTruth? Read(ITruthColumns file, string path, int count, int samples, WaveformArrayNames names)
    {
        if (!file.HasTruth) return null;
        var offsets = file.Offsets(names, count);
        if (offsets.Length != count + 1 || offsets[0] != 0)
            throw new InputException($"{path} [electron_offsets]: expected {count + 1} non-decreasing offsets starting at 0, found {offsets.Length} starting at {(offsets.Length > 0 ? offsets[0] : -1)}");
        for (int i = 0; i < count; i++)
            if (offsets[i + 1] < offsets[i])
                throw new InputException($"{path} [electron_offsets]: offsets decrease at index {i + 1} ({offsets[i]} then {offsets[i + 1]})");
        long electrons = offsets[^1];
        if (electrons > int.MaxValue)
            throw InputException.At($"{path} [electron_offsets]", null, $"index {count}", $"at most {int.MaxValue} electrons", electrons.ToString());
        var time = file.Doubles(names["electron_time_ns"], electrons, offsets);
        Check(path, time, "electron_time_ns", "a finite time in ns", double.IsFinite);
        // Files written before electron_peak_sample existed call the peak 'electron_sample'.
        string peakName = file.Has(names["electron_peak_sample"]) || names.Renamed("electron_peak_sample") || !file.Has("electron_sample") ? names["electron_peak_sample"] : "electron_sample";
        var peak = file.Longs(peakName, electrons, offsets);
        Check(path, peak, peakName, $"a sample index in [0, {samples})", s => s >= 0 && s < samples);
        var cluster = file.Longs(names["electron_cluster"], electrons, offsets);
        Check(path, cluster, "electron_cluster", "a cluster index of zero or more", c => c >= 0);
        var tag = file.Longs(names["electron_tag"], electrons, offsets);
        bool hasParticles = file.Has(names["particle"]);
        var particle = hasParticles ? file.Longs(names["particle"], count, null) : new long[count];
        Check(path, particle, "particle", "a particle code 0 to 4 (pion, kaon, muon, proton, electron)", p => p is >= 0 and <= 4);
        var clusters = file.Has(names["n_clusters"]) ? file.Longs(names["n_clusters"], count, null) : new long[count];
        Check(path, clusters, "n_clusters", "a cluster count of zero or more", n => n >= 0);
        double[] Optional(string name) => file.Has(name) ? file.Doubles(name, count, null) : new double[count];
        return new WaveformTruth
        {
            ElectronOffsets = offsets,
            ElectronTimeNs = time,
            ElectronPeakSample = peak,
            ElectronCluster = cluster,
            ElectronTag = tag,
            Particle = particle,
            HasParticles = hasParticles,
            MomentumGeV = Optional(names["momentum_gev"]),
            BetaGamma = Optional(names["beta_gamma"]),
            TrackLengthCm = Optional(names["track_length_cm"]),
            Clusters = clusters,
        };
    }

    /// <summary>
    /// The same truth on a grid resampled from <paramref name="fromNs"/> to <paramref name="toNs"/> per sample: each
    /// electron's peak sample becomes the nearest sample of the new grid (times in ns and all else unchanged).
    /// </summary>
    public WaveformTruth Resampled(double fromNs, double toNs, int samples)
    {
        var peak = new long[ElectronPeakSample.Length];
        for (int k = 0; k < peak.Length; k++)
            peak[k] = Math.Clamp((long)Math.Round(ElectronPeakSample[k] * fromNs / toNs, MidpointRounding.AwayFromZero), 0, samples - 1);
        return new WaveformTruth
        {
            ElectronOffsets = ElectronOffsets, ElectronTimeNs = ElectronTimeNs, ElectronPeakSample = peak, ElectronCluster = ElectronCluster,
            ElectronTag = ElectronTag, Particle = Particle, HasParticles = HasParticles, MomentumGeV = MomentumGeV, BetaGamma = BetaGamma,
            TrackLengthCm = TrackLengthCm, Clusters = Clusters,
        };
    }

    private static void Check<T>(string path, T[] values, string name, string expected, Func<T, bool> valid)
    {
        for (int i = 0; i < values.Length; i++)
            if (!valid(values[i]))
                throw InputException.At($"{path} [{name}]", null, $"index {i}", expected, Convert.ToString(values[i], System.Globalization.CultureInfo.InvariantCulture) ?? "null");
    }
}
