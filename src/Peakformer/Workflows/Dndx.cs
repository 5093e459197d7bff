using System.Globalization;
using System.Text;
using Peakformer.Data;
using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Physics;
using Peakformer.DriftChamber.Simulation;
using Peakformer.DriftChamber.Tracks;
using Peakformer.Engine.Files;
using Peakformer.Progress;

namespace Peakformer.Workflows;

/// <summary>
/// Clusters per cm of gas per track, from cell counts (a table <c>predict</c> wrote, or waveforms counted here by the
/// same counters and chunk loop), grouped into tracks by a track map or consecutive cells. The counts stream through:
/// memory holds the track map (or one group of cells), never the counts. One row per track:
/// track,cells,clusters,length_cm,dndx_per_cm[,dndx_truncated_per_cm][,loglik_PARTICLE...,best], written whole
/// through a temporary file.
/// </summary>
public static class Dndx
{
    public static DndxResult Run(DndxSettings s, IProgressReporter progress)
    {
        s.Validate();
        string source = s.CountsPath ?? s.DataPath!;
        var map = s.TracksPath is { } mapPath ? TrackMap.Read(mapPath, lengths: s.CellLengthCm is null, s.MomentumColumn) : null;
        if (s.Hypotheses.Count > 0)
        {
            progress.Note($"log-likelihoods: expected clusters = {Finite.Describe(s.Efficiency)} (cluster-counting efficiency{(s.Efficiency == 1 ? ": every cluster counted; --efficiency to change" : "")}) x cluster-density table x length");
            if (s.MomentumColumn is not null && s.MomentumGeV is not null)
                progress.Note($"{s.TracksPath}: the column '{s.MomentumColumn}' gives each track's momentum; --momentum {Finite.Describe(s.MomentumGeV.Value)} is not used");
        }
        IEnumerable<Track> Tracks(IEnumerable<CellCount> counts, TrackAssembly.Tally tally) => map is not null
            ? TrackAssembly.FromMap(counts, source, map, s.TracksPath!, s.CellLengthCm, s.MomentumGeV, tally)
            : TrackAssembly.Consecutive(counts, source, s.CellsPerTrack!.Value, s.CellLengthCm!.Value, s.MomentumGeV, tally);
        // A shard writes the tracks [first, end) of the stream, numbered by a first pass over the counts table (or,
        // for waveforms counted here, over the cells' origins alone); it still reads every track, so a bad map or
        // table stops every shard as it stops the single run. Counting waveforms, a shard counts only the chunks that
        // hold its tracks' cells, each as the single run counts it; the other cells stand in as uncounted.
        (long First, long End) range = (0, long.MaxValue);
        HashSet<int>? chunks = null;
        if (s.Shard is { } shard && s.CountsPath is not null)
            range = shard.Range(Tracks(CountsCsv.Read(s.CountsPath, s.CountColumn), new TrackAssembly.Tally()).LongCount(), 1);
        else if (s.Shard is { } part)
        {
            var rows = Tracks(Rows(s), new TrackAssembly.Tally()).Select(t => t.Counts).ToList();
            range = part.Range(rows.Count, 1);
            chunks = [.. rows.Take((int)range.End).Skip((int)range.First).SelectMany(r => r).Select(row => (int)row / CountTable.Chunk)];
        }
        var (first, end) = range;
        var tally = new TrackAssembly.Tally();
        IEnumerable<CellCount> Counts() => s.CountsPath is { } path ? CountsCsv.Read(path, s.CountColumn) : Count(s, progress, chunks);
        double sum = 0;
        int written = 0, cells = 0;
        var low = new Dictionary<Particle, (int Tracks, Track Lowest, double BetaGamma)>();
        AtomicFile.Write(s.Output, stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false));
            w.Write(Header(s));
            using var task = s.Shard is null ? null : progress.Start($"dN/dx of tracks {first:N0} to {end - 1:N0}", end - first, "tracks");
            long index = 0;
            foreach (var track in Tracks(Counts(), tally))
            {
                if (index++ < first || index > end) continue;
                sum += Row(w, track, s, low);
                written++;
                cells += track.Counts.Length;
                task?.Advance(1);
            }
        });
        if (tally.Unmapped > 0)
            progress.Note($"{source}: {tally.Unmapped:N0} of {tally.Cells:N0} counted cells are in no track of {s.TracksPath} and were left out");
        foreach (var (particle, (n, lowest, bg)) in low)
            progress.Note($"warning: {n:N0} tracks below the cluster-density table's beta*gamma {Finite.Describe(ClusterDensity.MinBetaGamma)} as {Particles.Name(particle)}, " +
                $"where the density is extrapolated (lowest: track {lowest.Id}, {Finite.Describe(lowest.MomentumGeV!.Value)} GeV/c, beta*gamma {bg.ToString("G3", CultureInfo.InvariantCulture)})");
        return new DndxResult(written, cells, tally.Unmapped, written > 0 ? sum / written : 0);
    }

    private static string Header(DndxSettings s)
    {
        var columns = new List<string> { "track", "cells", "clusters", "length_cm", "dndx_per_cm" };
        if (s.Truncate is not null) columns.Add("dndx_truncated_per_cm");
        if (s.Hypotheses.Count > 0) columns.AddRange([.. s.Hypotheses.Select(p => "loglik_" + Particles.Name(p)), "best"]);
        return string.Join(",", columns) + "\n";
    }

    /// <summary>Writes one track's row; returns its dN/dx. Hypotheses below the table's beta*gamma are tallied in <paramref name="low"/>.</summary>
    private static double Row(StreamWriter w, Track track, DndxSettings s, Dictionary<Particle, (int Tracks, Track Lowest, double BetaGamma)> low)
    {
        var (clusters, length) = TrackDensity.Sum(track);
        double dndx = clusters / length;
        w.Write($"{CsvField.Quote(track.Id)},{track.Counts.Length},{F(clusters)},{F(length)},{F(dndx)}");
        if (s.Truncate is { } f)
        {
            var (kept, keptLength, _) = TrackDensity.Truncated(track, f);
            w.Write($",{F(kept / keptLength)}");
        }
        if (s.Hypotheses.Count > 0)
        {
            double p = track.MomentumGeV!.Value;
            foreach (var particle in s.Hypotheses)
            {
                double bg = Particles.BetaGamma(particle, p);
                if (bg >= ClusterDensity.MinBetaGamma) continue;
                low[particle] = low.TryGetValue(particle, out var was)
                    ? (was.Tracks + 1, bg < was.BetaGamma ? track : was.Lowest, Math.Min(bg, was.BetaGamma))
                    : (1, track, bg);
            }
            var logLik = s.Hypotheses.Select(h => TrackDensity.LogLikelihood(clusters, h, p, length, s.Efficiency)).ToArray();
            foreach (double l in logLik) w.Write($",{F(l)}");
            w.Write($",{Particles.Name(s.Hypotheses[Array.IndexOf(logLik, logLik.Max())])}");
        }
        w.Write('\n');
        return dndx;
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// Counts every waveform of the data with the method, chunk by chunk (<c>predict</c>'s counters and loop), yielding
    /// each cell as it is counted; with <paramref name="chunks"/> only those chunks (by index), the other cells yielded
    /// with no clusters.
    /// </summary>
    private static IEnumerable<CellCount> Count(DndxSettings s, IProgressReporter progress, IReadOnlySet<int>? chunks)
    {
        using var data = Open(s);
        foreach (string note in data.Notes) progress.Note(note);
        var counter = CountPrediction.CheckedCounter(data, s.Method!, s.ClusterisationS, progress, "--method", s.Normalise);
        int row = 0;
        Func<int, bool>? wanted = chunks is null ? null : start => chunks.Contains(start / CountTable.Chunk);
        foreach (var chunk in CountTable.Chunks(data, [counter], 0, data.Count, peaks: false, progress, wanted))
        {
            for (; row < chunk.Start; row++) yield return Uncounted(data, row);
            for (int i = 0; i < chunk.Count; i++)
            {
                var (file, evt) = data.Origin(chunk.Start + i);
                yield return new CellCount(file, evt, chunk.Counts[0][i]);
            }
            row = chunk.Start + chunk.Count;
        }
        for (; row < data.Count; row++) yield return Uncounted(data, row);
    }

    /// <summary>
    /// Every cell of the data in order with its row number in place of a count, nothing counted: grouped into tracks,
    /// a track's "counts" name the rows (exact in a double) a shard must count for it.
    /// </summary>
    private static IEnumerable<CellCount> Rows(DndxSettings s)
    {
        using var data = Open(s);
        for (int row = 0; row < data.Count; row++)
        {
            var (file, evt) = data.Origin(row);
            yield return new CellCount(file, evt, row);
        }
    }

    private static CellCount Uncounted(WaveformDataset data, int row)
    {
        var (file, evt) = data.Origin(row);
        return new CellCount(file, evt, 0);
    }

    private static WaveformDataset Open(DndxSettings s) => WaveformDataset.Open(s.DataPath!, CountPrediction.ForModels(s.Read, [s.Method!], []));
}
