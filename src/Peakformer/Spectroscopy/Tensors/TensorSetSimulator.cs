using System.Text.Json;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Threading;
using Peakformer.Learning.Models;
using Peakformer.Progress;
using Peakformer.Spectroscopy.Simulation;

namespace Peakformer.Spectroscopy.Tensors;

/// <summary>
/// The tensor task's data (ters-ml-math-reference.md §3): example i is one molecule of the chosen class in orientation
/// Q_i (<see cref="RamanTensors.Orientation"/>), measured under every configuration of <see cref="TensorPolarisations"/>.
/// The channels share the molecule (its band draws: spectrum i's stream of <see cref="RamanSimulator.Spectrum"/>)
/// and differ in polarisation and in their own baseline, noise and spike (stream (i, channel)). With normalise, the
/// example is min-max scaled as a whole, so the intensity ratios between polarisations, which carry the tensor,
/// survive. The target is the lab-frame tensor Q_i R_m Q_i^T of the class's strongest band m.
/// </summary>
public static class TensorSetSimulator
{
    private const ulong MeasurementStream = 0x7E4503C4;
    private const int Chunk = 64;

    public static TensorSet Run(TensorSetSettings settings, IReadOnlyList<ClassBands> classes, IProgressReporter progress, string? stickTable = null)
    {
        settings.Validate("raman", classes.Count);
        var raman = settings.Raman;
        var bands = RamanTensors.Attach(classes, raman.ClassSeed ?? raman.Seed)[settings.Class];
        int mode = Strongest(bands);
        var grid = raman.Grid.Values();
        int n = raman.Spectra, channels = TensorPolarisations.All.Count, length = grid.Length;
        var perChannel = TensorPolarisations.All.Select(p => raman with { Incident = p.Incident, Scattered = p.Scattered, Normalise = false }).ToArray();
        var values = new float[(long)n * channels * length];
        var tensors = new float[n * 9];
        var job = new Job(perChannel, raman, bands, mode, grid, values, tensors);
        using (var task = progress.Start("simulating polarised Raman measurements", n, "molecules"))
            for (int start = 0; start < n; start += Chunk)
            {
                job.Start = start;
                job.Count = Math.Min(Chunk, n - start);
                WorkerPool.Shared.Run(job, Math.Min(WorkerPool.Shared.Threads, job.Count));
                task.Advance(job.Count);
            }
        string json = JsonSerializer.Serialize(new
        {
            Settings = settings, StickTable = stickTable, Class = bands, Mode = mode,
            Channels = TensorPolarisations.All.Select(p => new { p.Name, p.Incident, p.Scattered }),
        }, ModelJson.Options);
        return new TensorSet(values, channels, tensors, grid, TensorPolarisations.All.Select(p => p.Name).ToArray(), TensorPolarisations.Vectors(),
            bands.Name, bands.Bands[mode].Shift, json);
    }

    /// <summary>The band of largest integrated intensity (the first of equals).</summary>
    public static int Strongest(ClassBands bands)
    {
        int best = 0;
        for (int m = 1; m < bands.Bands.Count; m++)
            if (bands.Bands[m].Intensity > bands.Bands[best].Intensity) best = m;
        return best;
    }

    /// <summary>Q R Q^T (row-major 3x3).</summary>
    public static double[] LabFrame(double[] rotation, double[] tensor)
    {
        var result = new double[9];
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
            {
                double sum = 0;
                for (int j = 0; j < 3; j++)
                    for (int k = 0; k < 3; k++) sum += rotation[a * 3 + j] * tensor[j * 3 + k] * rotation[b * 3 + k];
                result[a * 3 + b] = sum;
            }
        return result;
    }

    private sealed class Job(Simulation.RamanSimulationSettings[] perChannel, Simulation.RamanSimulationSettings raman, ClassBands bands, int mode, double[] grid,
        float[] values, float[] tensors) : IParallelJob
    {
        public int Start;
        public int Count;

        public void Execute(int part, int parts)
        {
            int length = grid.Length, channels = perChannel.Length;
            var row = new double[channels * length];
            for (int i = Start + part; i < Start + Count; i += parts)
            {
                for (int c = 0; c < channels; c++)
                {
                    var measurement = Rng.ForStream(Rng.Mix(raman.Seed, MeasurementStream), (ulong)i * (ulong)channels + (ulong)c);
                    RamanSimulator.Spectrum(perChannel[c], bands, grid, i, row.AsSpan(c * length, length), measurement);
                }
                if (raman.Normalise)
                {
                    double min = row.Min(), range = row.Max() - min;
                    for (int k = 0; k < row.Length; k++) row[k] = range > 0 ? (row[k] - min) / range : 0;
                }
                var target = values.AsSpan(i * channels * length, channels * length);
                for (int k = 0; k < row.Length; k++) target[k] = (float)row[k];
                var tensor = LabFrame(RamanTensors.Orientation(raman.Seed, i), bands.Tensors![mode]);
                for (int k = 0; k < 9; k++) tensors[i * 9 + k] = (float)tensor[k];
            }
        }
    }
}
