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
/// same counters), grouped into tracks by a track map or consecutive cells. One row per track:
/// track,cells,clusters,length_cm,dndx_per_cm[,dndx_truncated_per_cm][,loglik_PARTICLE...,best], written whole
/// through a temporary file.
/// </summary>
public static class Dndx
{
    public static DndxResult Run(DndxSettings s, IProgressReporter progress)
    {
        s.Validate();
        var (counts, source) = s.CountsPath is { } path ? (CountsCsv.Read(path, s.CountColumn), path) : (Count(s, progress), s.DataPath!);
        var assembled = s.TracksPath is { } mapPath
            ? TrackAssembly.FromMap(counts, source, TrackMap.Read(mapPath, lengths: s.CellLengthCm is null, s.MomentumColumn), mapPath, s.CellLengthCm)
            : TrackAssembly.Consecutive(counts, source, s.CellsPerTrack!.Value, s.CellLengthCm!.Value);
        if (assembled.UnmappedCells > 0)
            progress.Note($"{source}: {assembled.UnmappedCells:N0} of {counts.Count:N0} counted cells are in no track of {s.TracksPath} and were left out");
        double sum = 0;
        AtomicFile.Write(s.Output, stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false));
            w.Write(Header(s));
            foreach (var track in assembled.Tracks) sum += Row(w, track, s);
        });
        var tracks = assembled.Tracks;
        return new DndxResult(tracks.Count, tracks.Sum(t => t.Counts.Length), assembled.UnmappedCells, tracks.Count > 0 ? sum / tracks.Count : 0);
    }

    private static string Header(DndxSettings s)
    {
        var columns = new List<string> { "track", "cells", "clusters", "length_cm", "dndx_per_cm" };
        if (s.Truncate is not null) columns.Add("dndx_truncated_per_cm");
        if (s.Hypotheses.Count > 0) columns.AddRange([.. s.Hypotheses.Select(p => "loglik_" + Particles.Name(p)), "best"]);
        return string.Join(",", columns) + "\n";
    }

    /// <summary>Writes one track's row; returns its dN/dx.</summary>
    private static double Row(StreamWriter w, Track track, DndxSettings s)
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
            var logLik = s.Hypotheses.Select(p => TrackDensity.LogLikelihood(clusters, p, track.MomentumGeV!.Value, length)).ToArray();
            foreach (double l in logLik) w.Write($",{F(l)}");
            w.Write($",{Particles.Name(s.Hypotheses[Array.IndexOf(logLik, logLik.Max())])}");
        }
        w.Write('\n');
        return dndx;
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Counts every waveform of the data with the method, in chunks (the counters and batches of <c>predict</c>).</summary>
    private static List<CellCount> Count(DndxSettings s, IProgressReporter progress)
    {
        using var data = WaveformDataset.Open(s.DataPath!, s.Read);
        foreach (string note in data.Notes) progress.Note(note);
        var counter = CountPrediction.CheckedCounter(data, s.Method!, s.ClusterisationS, progress, "--method");
        var cells = new List<CellCount>(data.Count);
        using var task = progress.Start($"counting clusters of {data.Count:N0} waveforms", data.Count, "waveforms");
        for (int start = 0; start < data.Count; start += CountTable.Chunk)
        {
            int n = Math.Min(CountTable.Chunk, data.Count - start);
            var result = counter.Count(WaveformBatch.WithoutTruth(data, start, n));
            for (int i = 0; i < n; i++)
            {
                var (file, evt) = data.Origin(start + i);
                cells.Add(new CellCount(file, evt, result[i]));
            }
            task.Advance(n);
        }
        return cells;
    }
}
