using System.Text.Json;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Threading;
using Peakformer.Learning.Models;
using Peakformer.Progress;
using Peakformer.Spectroscopy.Preprocessing;
using Peakformer.Spectroscopy.Spectra;

namespace Peakformer.Spectroscopy.Simulation;

/// <summary>
/// Simulated Raman spectra of labelled classes (ters-ml-math-reference.md §1): each spectrum is its class's bands,
/// jittered in centre, width and intensity, broadened onto the grid by unit-area profiles (S_k = sum_i I_i G(g_k - nu_i)),
/// on a fluorescence-like baseline, with shot and read-out noise, sometimes a cosmic-ray spike, then min-max
/// normalised. Labels are balanced (spectrum i of class i mod K before a seeded shuffle); spectrum i draws from its
/// own stream (seed, i + 1), so the set is the same at any thread count. With polarisations set, each band's
/// intensity is scaled by its Raman tensor in a random orientation (<see cref="RamanTensors"/>, §3).
/// </summary>
public static class RamanSimulator
{
    private const int Chunk = 256;

    public static SpectrumSet Run(RamanSimulationSettings settings, IReadOnlyList<ClassBands> classes, IProgressReporter progress, string? stickTable = null)
    {
        settings.Validate("raman");
        var grid = settings.Grid.Values();
        int n = settings.Spectra, length = grid.Length;
        var labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % classes.Count;
        Rng.ForStream(settings.Seed, ulong.MaxValue).Shuffle(labels.AsSpan());
        var values = new float[(long)n * length];
        var job = new Job(settings, classes, grid, labels, values);
        using (var task = progress.Start("simulating Raman spectra", n, "spectra"))
            for (int start = 0; start < n; start += Chunk)
            {
                job.Start = start;
                job.Count = Math.Min(Chunk, n - start);
                WorkerPool.Shared.Run(job, Math.Min(WorkerPool.Shared.Threads, job.Count));
                task.Advance(job.Count);
            }
        string json = JsonSerializer.Serialize(new { Settings = settings, StickTable = stickTable, Classes = classes }, ModelJson.Options);
        return new SpectrumSet(values, labels, classes.Select(c => c.Name).ToArray(), grid, json);
    }

    /// <summary>
    /// Spectrum <paramref name="index"/> of class <paramref name="bands"/> into <paramref name="output"/> (length of the grid).
    /// With <paramref name="measurement"/>, baseline, noise and spike are drawn from it instead of the spectrum's stream:
    /// several measurements of one molecule (one orientation, one set of band draws) under other polarisations.
    /// </summary>
    public static void Spectrum(RamanSimulationSettings s, ClassBands bands, ReadOnlySpan<double> grid, long index, Span<double> output, Rng? measurement = null)
    {
        var rng = Rng.ForStream(s.Seed, (ulong)index + 1);
        output.Clear();
        // Drawn only when asked for, so sets simulated without it keep their streams.
        double calibration = s.CalibrationShift > 0 ? s.CalibrationShift * rng.NextNormal() : 0;
        // Polarised (§3): the molecule's orientation from a stream of its own, so unpolarised sets draw as before.
        bool polarised = s.Incident is not null && s.Scattered is not null && bands.Tensors is not null;
        var rotation = polarised ? RamanTensors.Orientation(s.Seed, index) : null;
        Span<double> ei = stackalloc double[3], es = stackalloc double[3];
        if (polarised)
        {
            Unit(s.Incident!, ei);
            Unit(s.Scattered!, es);
        }
        for (int m = 0; m < bands.Bands.Count; m++)
        {
            var band = bands.Bands[m];
            double shift = band.Shift + calibration + s.ShiftJitter * rng.NextNormal();
            double fwhm = band.Fwhm * Math.Max(0.2, 1 + s.WidthJitter * rng.NextNormal());
            double intensity = band.Intensity * Math.Max(0, 1 + s.IntensityJitter * rng.NextNormal());
            if (polarised)
            {
                var tensor = bands.Tensors![m];
                double average = RamanTensors.ParallelAverage(tensor);
                intensity *= average > 0 ? RamanTensors.Intensity(tensor, rotation!, ei, es) / average : 0;
            }
            for (int k = 0; k < grid.Length; k++)
                output[k] += intensity * LineProfiles.Evaluate(s.LineShape, grid[k] - shift, fwhm, s.Eta);
        }
        rng = measurement ?? rng;
        double peak = 0;
        foreach (double v in output) peak = Math.Max(peak, v);
        if (peak == 0) peak = 1;

        // Fluorescence: a broad hump (wider than the bands by far) plus a slope, scaled to a drawn share of the peak.
        double min = grid[0], range = grid[^1] - grid[0];
        double centre = min + rng.Uniform(-0.5, 1.5) * range, width = rng.Uniform(0.3, 1.0) * range;
        double slope = rng.Uniform(-0.5, 0.5), height = rng.Uniform(0, s.Baseline) * peak;
        for (int k = 0; k < grid.Length; k++)
        {
            double u = (grid[k] - min) / range, z = (grid[k] - centre) / width;
            output[k] += height * (Math.Exp(-0.5 * z * z) + 0.5 + slope * (u - 0.5)) / 2;
        }

        // Shot noise on the counts (normal limit of Poisson) and read-out noise, both set by the clean peak.
        double scale = s.PeakCounts > 0 ? s.PeakCounts / peak : 0;
        for (int k = 0; k < grid.Length; k++)
        {
            double shot = scale > 0 ? Math.Sqrt(Math.Max(output[k], 0) * scale) / scale : 0;
            output[k] += shot * rng.NextNormal() + s.Noise * peak * rng.NextNormal();
        }

        // A cosmic ray: one or two adjacent pixels far above the rest.
        if (rng.NextDouble() < s.SpikeProbability)
        {
            int at = rng.NextInt(grid.Length), wide = 1 + rng.NextInt(2);
            double spike = rng.Uniform(0.5, 1) * s.SpikeHeight * peak;
            for (int k = at; k < Math.Min(grid.Length, at + wide); k++) output[k] += spike;
        }
        if (s.Normalise) Normalisation.Apply(NormalisationKind.MinMax, grid, output);
    }

    /// <summary>v / |v| into <paramref name="unit"/>.</summary>
    private static void Unit(double[] v, Span<double> unit)
    {
        double norm = Math.Sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        for (int c = 0; c < 3; c++) unit[c] = v[c] / norm;
    }

    private sealed class Job(RamanSimulationSettings settings, IReadOnlyList<ClassBands> classes, double[] grid, int[] labels, float[] values) : IParallelJob
    {
        public int Start;
        public int Count;

        public void Execute(int part, int parts)
        {
            int length = grid.Length;
            var row = new double[length];
            for (int i = Start + part; i < Start + Count; i += parts)
            {
                Spectrum(settings, classes[labels[i]], grid, i, row);
                var target = values.AsSpan((int)((long)i * length), length);
                for (int k = 0; k < length; k++) target[k] = (float)row[k];
            }
        }
    }
}
