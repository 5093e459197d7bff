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
/// through a temporary file. With a peaks path, the peaks the (single) counter counted go to a second CSV in long
/// form (file,event,sample,time_ns,score: one row per peak), which pandas or ROOT's RDataFrame reads as it is.
/// </summary>
public static class CountTable
{
    /// <summary>Waveforms per chunk: the same as the truth path's evaluation, so both run the models on the same batches.</summary>
    public const int Chunk = 256;

    public static CountTableResult Write(WaveformDataset data, IReadOnlyList<ICounter> counters, IReadOnlyList<string> columns, string output, string? peaksOutput,
        IProgressReporter progress)
    {
        if (peaksOutput is not null && (counters.Count != 1 || PeaksOf(counters[0]) is null))
            throw new InputException($"--peaks: {counters[0].Name} counts from the raw waveform and finds no peaks; leave --peaks out");
        if (data.ConfigJson is null)
            progress.Note($"{data.Path}: no trigger time in the file: clusterisation measures drift times from the start of each record");
        var sums = new double[counters.Count];
        long peaks = 0;
        AtomicFile.Write(output, countStream =>
        {
            using var counts = new StreamWriter(countStream, new UTF8Encoding(false));
            counts.Write("file,event," + string.Join(",", columns.Select(CsvField.Quote)) + "\n");
            if (peaksOutput is null)
                Rows(data, counters, counts, null, sums, progress);
            else
                AtomicFile.Write(peaksOutput, peakStream =>
                {
                    using var peakWriter = new StreamWriter(peakStream, new UTF8Encoding(false));
                    peakWriter.Write("file,event,sample,time_ns,score\n");
                    peaks = Rows(data, counters, counts, peakWriter, sums, progress);
                });
        });
        return new CountTableResult(data.Count, counters.Select((c, k) => (c.Name, data.Count > 0 ? sums[k] / data.Count : 0)).ToList(), peaks);
    }

    private static long Rows(WaveformDataset data, IReadOnlyList<ICounter> counters, StreamWriter counts, StreamWriter? peaks, double[] sums, IProgressReporter progress)
    {
        long written = 0;
        using var task = progress.Start($"counting clusters of {data.Count:N0} waveforms", data.Count, "waveforms");
        for (int start = 0; start < data.Count; start += Chunk)
        {
            int n = Math.Min(Chunk, data.Count - start);
            var batch = WaveformBatch.WithoutTruth(data, start, n);
            var results = counters.Select(c => c.Count(batch)).ToArray();
            var found = peaks is null ? null : PeaksOf(counters[0])!.Find(batch);
            for (int i = 0; i < n; i++)
            {
                var (file, evt) = data.Origin(start + i);
                string origin = $"{CsvField.Quote(file)},{evt}";
                counts.Write(origin);
                for (int c = 0; c < counters.Count; c++)
                {
                    sums[c] += results[c][i];
                    counts.Write($",{results[c][i].ToString("R", CultureInfo.InvariantCulture)}");
                }
                counts.Write('\n');
                if (found is null) continue;
                for (int k = 0; k < found[i].Samples.Length; k++)
                {
                    int sample = found[i].Samples[k];
                    peaks!.Write($"{origin},{sample},{(sample * data.SamplingNs).ToString("R", CultureInfo.InvariantCulture)},{found[i].Scores[k].ToString("R", CultureInfo.InvariantCulture)}\n");
                    written++;
                }
            }
            task.Advance(n);
        }
        return written;
    }

    /// <summary>Where a counter's peaks come from (clusterisation, count transformer); null for the one-step counter.</summary>
    private static PeakSource? PeaksOf(ICounter counter) => counter switch
    {
        ClusterCounter c => c.Source,
        ModelCounter m => m.Source,
        _ => null,
    };
}
