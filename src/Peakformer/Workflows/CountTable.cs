using System.Globalization;
using System.Text;
using Peakformer.Data;
using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Counting;
using Peakformer.DriftChamber.Simulation;
using Peakformer.Engine.Files;
using Peakformer.Progress;

namespace Peakformer.Workflows;

/// <summary>
/// Writes the cluster count of every waveform as CSV, one row per waveform: file,event and one column per counter.
/// Waveforms are read and counted in chunks, so memory does not grow with the input; each output is written whole
/// through a temporary file (with --peaks, both files are renamed into place together, or neither). With a peaks path, the peaks the (single) counter counted go to a second CSV in long
/// form (file,event,sample,time_ns,score: one row per peak), which pandas or ROOT's RDataFrame reads as it is.
/// </summary>
public static class CountTable
{
    /// <summary>Waveforms per chunk: the same as the truth path's evaluation, so both run the models on the same batches.</summary>
    public const int Chunk = Evaluation.CountEvaluation.Chunk;

    /// <param name="waveforms">The first this many waveforms across the file set (0: all), as <c>--events</c> asks.</param>
    /// <param name="shard">With --shard, this shard's rows of those, cut at whole chunks (so every chunk is counted as in the single run).</param>
    public static CountTableResult Write(WaveformDataset data, IReadOnlyList<ICounter> counters, IReadOnlyList<string> columns, string output, string? peaksOutput,
        IProgressReporter progress, int waveforms = 0, Sharding.Shard? shard = null)
    {
        if (peaksOutput is not null && counters.Count != 1)
            throw new InputException($"--peaks: expected one counting method (its peaks are the list), found {counters.Count}");
        if (peaksOutput is not null && PeaksOf(counters[0]) is null)
            throw new InputException($"--peaks: {counters[0].Name} counts from the raw waveform and finds no peaks; leave --peaks out");
        if (data.ConfigJson is null)
            progress.Note($"{data.Path}: no trigger time in the file: clusterisation measures drift times from the start of each record");
        var (first, end) = Sharding.Shard.RangeOf(shard, Rows(data, waveforms), Chunk);
        int n = (int)(end - first);
        var sums = new double[counters.Count];
        long peaks = 0;
        AtomicFile.WriteTogether(peaksOutput is null ? [output] : [output, peaksOutput], streams =>
        {
            using var counts = new StreamWriter(streams[0], new UTF8Encoding(false));
            using var peakWriter = peaksOutput is null ? null : new StreamWriter(streams[1], new UTF8Encoding(false));
            counts.Write("file,event," + string.Join(",", columns.Select(CsvField.Quote)) + "\n");
            peakWriter?.Write("file,event,sample,time_ns,score\n");
            foreach (var chunk in Chunks(data, counters, (int)first, (int)end, peakWriter is not null, progress))
                for (int i = 0; i < chunk.Count; i++)
                {
                    var (file, evt) = data.Origin(chunk.Start + i);
                    string origin = $"{CsvField.Quote(file)},{evt}";
                    counts.Write(origin);
                    for (int c = 0; c < counters.Count; c++)
                    {
                        sums[c] += chunk.Counts[c][i];
                        counts.Write($",{chunk.Counts[c][i].ToString("R", CultureInfo.InvariantCulture)}");
                    }
                    counts.Write('\n');
                    if (chunk.Peaks is not { } found) continue;
                    for (int k = 0; k < found[i].Samples.Length; k++)
                    {
                        int sample = found[i].Samples[k];
                        peakWriter!.Write($"{origin},{sample},{(sample * data.SamplingNs).ToString("R", CultureInfo.InvariantCulture)},{found[i].Scores[k].ToString("R", CultureInfo.InvariantCulture)}\n");
                        peaks++;
                    }
                }
        });
        return new CountTableResult(n, counters.Select((c, k) => (c.Name, n > 0 ? sums[k] / n : 0)).ToList(), peaks);
    }

    /// <summary>How many waveforms to count: all, or the first <paramref name="waveforms"/> across the file set.</summary>
    public static int Rows(WaveformDataset data, int waveforms) => waveforms > 0 ? Math.Min(waveforms, data.Count) : data.Count;

    /// <summary>
    /// The first <paramref name="waveforms"/> rows of the data counted chunk by chunk by every counter (the one loop
    /// of <c>predict</c>, <c>count</c> without truth and <c>dndx</c>): memory holds one chunk, whatever the input size.
    /// </summary>
    public static IEnumerable<CountedChunk> Chunks(WaveformDataset data, IReadOnlyList<ICounter> counters, int waveforms, bool peaks, IProgressReporter progress) =>
        Chunks(data, counters, 0, waveforms, peaks, progress);

    /// <summary>Rows [<paramref name="first"/>, <paramref name="end"/>) counted as <see cref="Chunks(WaveformDataset, IReadOnlyList{ICounter}, int, bool, IProgressReporter)"/> counts them, chunks starting at <paramref name="first"/>.</summary>
    /// <param name="wanted">Given, only the chunks (by their first row) it accepts are counted and yielded (dndx's shard).</param>
    public static IEnumerable<CountedChunk> Chunks(WaveformDataset data, IReadOnlyList<ICounter> counters, int first, int end, bool peaks, IProgressReporter progress,
        Func<int, bool>? wanted = null)
    {
        int waveforms = 0;
        for (int start = first; start < end; start += Chunk)
            if (wanted is null || wanted(start)) waveforms += Math.Min(Chunk, end - start);
        using var task = progress.Start($"counting clusters of {waveforms:N0} waveforms", waveforms, "waveforms");
        // The counters are done with a chunk before the next is read, so one array serves every full chunk.
        var reuse = new float[(long)Math.Min(Chunk, waveforms) * data.Samples];
        for (int start = first; start < end; start += Chunk)
        {
            if (wanted is not null && !wanted(start)) continue;
            int n = Math.Min(Chunk, end - start);
            var batch = WaveformBatch.WithoutTruth(data, start, n, reuse);
            var results = counters.Select(c => c.Count(batch)).ToArray();
            yield return new CountedChunk(start, n, results, peaks ? PeaksOf(counters[0])!.Find(counters[0] is NormalisedCounter normalised ? normalised.Normalise(batch) : batch) : null);
            task.Advance(n);
        }
        foreach (var c in counters.OfType<NormalisedCounter>())
            if (c.Normalisation.FlatWarning($"{data.Path} ({c.Inner.Name})", Chunk) is { } warning) progress.Note(warning);
    }

    /// <summary>Where a counter's peaks come from (clusterisation, count transformer); null for the one-step counter.</summary>
    private static PeakSource? PeaksOf(ICounter counter) => counter switch
    {
        NormalisedCounter n => PeaksOf(n.Inner),
        ClusterCounter c => c.Source,
        ModelCounter m => m.Source,
        _ => null,
    };
}
