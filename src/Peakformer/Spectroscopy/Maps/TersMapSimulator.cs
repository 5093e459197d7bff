using System.Globalization;
using System.Text.Json;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Threading;
using Peakformer.Learning.Models;
using Peakformer.Progress;
using Peakformer.Spectroscopy.Simulation;

namespace Peakformer.Spectroscopy.Maps;

/// <summary>
/// TERS-like maps of labelled classes (ters-ml-math-reference.md §2): per map a few Gaussian hotspots make the
/// enhancement E(x, y) = sum_j A_j exp(-((x - x_j)^2 + (y - y_j)^2) / (2 sigma_j^2)), and channel c is
/// I_c(x, y) = clip(s_c E(x, y) + b + eta, 0, 1), s_c the class's signature for channel c (jittered per map), b the
/// map's background and eta ~ N(0, sigma_n^2) per pixel and channel. Labels are balanced and shuffled; map i draws
/// from its own stream, so the set is the same at any thread count. Written as maps [N, C, H, W]. The hyperspectral
/// variant takes the shares from a Raman class spectrum per map instead (<see cref="HyperspectralShares"/>).
/// </summary>
public static class TersMapSimulator
{
    private const int Chunk = 128;

    /// <summary>A stream domain of its own, so TERS draws never coincide with the Raman simulator's for one seed.</summary>
    private static ulong Domain(ulong seed) => Rng.Mix(seed, 0x7E25);

    /// <summary>Each class's share of the enhancement per channel, largest channel 1: [class][channel].</summary>
    public static double[][] Signatures(TersMapSettings s)
    {
        var rng = Rng.ForStream(Domain(s.ClassSeed ?? s.Seed), 0);
        var signatures = new double[s.Classes][];
        for (int k = 0; k < s.Classes; k++)
        {
            signatures[k] = new double[s.Channels];
            for (int c = 0; c < s.Channels; c++) signatures[k][c] = rng.Uniform(s.SignatureMin, 1);
            double max = signatures[k].Max();
            for (int c = 0; c < s.Channels; c++) signatures[k][c] /= max;
        }
        return signatures;
    }

    /// <summary>
    /// The Raman classes of the hyperspectral variant: the Raman simulator's defaults (200..2000 cm^-1, 1000 points,
    /// shared bands), no fluorescence or spikes (a map's background is b), seeded apart from the map draws.
    /// </summary>
    public static RamanSimulationSettings RamanFor(TersMapSettings s) => new()
    {
        Classes = s.Classes, Spectra = 1, Baseline = 0, SpikeProbability = 0,
        Seed = Rng.Mix(Domain(s.Seed), 0x5EC7), ClassSeed = Rng.Mix(Domain(s.ClassSeed ?? s.Seed), 0x5EC7),
    };

    /// <summary>
    /// Map <paramref name="index"/>'s channel shares in the hyperspectral variant: one spectrum of the class drawn by the
    /// Raman simulator (jittered bands, shot and read-out noise), its mean over C equal windows, largest 1. A pixel's
    /// spectrum is E(x, y) times it, so its C band intensities are E(x, y) times these shares.
    /// </summary>
    public static double[] HyperspectralShares(TersMapSettings s, RamanSimulationSettings raman, ClassBands bands, long index)
    {
        var grid = raman.Grid.Values();
        var spectrum = new double[grid.Length];
        RamanSimulator.Spectrum(raman, bands, grid, index, spectrum);
        var shares = new double[s.Channels];
        for (int c = 0; c < s.Channels; c++)
        {
            int from = (int)((long)c * grid.Length / s.Channels), to = (int)((long)(c + 1) * grid.Length / s.Channels);
            double sum = 0;
            for (int k = from; k < to; k++) sum += spectrum[k];
            shares[c] = Math.Max(0, sum / Math.Max(1, to - from));
        }
        double max = shares.Max();
        for (int c = 0; c < shares.Length; c++) shares[c] = max > 0 ? shares[c] / max : 0;
        return shares;
    }

    public static TersMapSet Run(TersMapSettings s, IProgressReporter progress)
    {
        s.Validate("ters");
        if (s.Hyperspectral && s.Channels > 1000) throw InputException.At(null, null, "ters: channels", "at most 1000 band windows with hyperspectral", $"{s.Channels}");
        var signatures = Signatures(s);
        var raman = s.Hyperspectral ? RamanFor(s) : null;
        var bands = raman is null ? null : BandLibrary.Generate(raman);
        var labels = new int[s.Maps];
        for (int i = 0; i < labels.Length; i++) labels[i] = i % s.Classes;
        Rng.ForStream(Domain(s.Seed), ulong.MaxValue).Shuffle(labels.AsSpan());
        var values = new float[s.Maps * s.ValuesPerMap];
        var job = new Job(s, signatures, labels, values, raman, bands);
        using (var task = progress.Start("simulating TERS maps", s.Maps, "maps"))
            for (int start = 0; start < s.Maps; start += Chunk)
            {
                job.Start = start;
                job.Count = Math.Min(Chunk, s.Maps - start);
                WorkerPool.Shared.Run(job, Math.Min(WorkerPool.Shared.Threads, job.Count));
                task.Advance(job.Count);
            }
        var names = Enumerable.Range(0, s.Classes).Select(k => $"class_{k.ToString("D2", CultureInfo.InvariantCulture)}").ToArray();
        string json = bands is null ? JsonSerializer.Serialize(new { Settings = s, Signatures = signatures }, ModelJson.Options)
            : JsonSerializer.Serialize(new { Settings = s, Raman = raman, Classes = bands }, ModelJson.Options);
        return new TersMapSet(s.Channels, s.Height, s.Width, values, labels, names, json);
    }

    /// <summary>Map <paramref name="index"/> of the class with <paramref name="signature"/> into <paramref name="output"/> [C, H, W].</summary>
    public static void Map(TersMapSettings s, double[] signature, long index, Span<float> output, double[]? hyperspectralShares = null)
    {
        var rng = Rng.ForStream(Domain(s.Seed), (ulong)index + 1);
        var spots = new Hotspot[s.HotspotsMin + rng.NextInt(s.HotspotsMax - s.HotspotsMin + 1)];
        for (int j = 0; j < spots.Length; j++)
            spots[j] = new Hotspot(rng.Uniform(0, s.Height - 1), rng.Uniform(0, s.Width - 1), rng.Uniform(s.HotspotSigmaMin, s.HotspotSigmaMax), rng.Uniform(s.AmplitudeMin, 1));
        double background = rng.Uniform(0, s.Background);
        var shares = hyperspectralShares ?? new double[s.Channels];
        if (hyperspectralShares is null)
            for (int c = 0; c < shares.Length; c++) shares[c] = signature[c] * Math.Max(0, 1 + s.SignatureJitter * rng.NextNormal());
        Render(spots, shares, background, s.Noise, rng, s.Height, s.Width, output);
    }

    /// <summary>I_c(x, y) = clip(share_c E(x, y) + b + eta, 0, 1) (§2) into [C, H, W]; <paramref name="rng"/> draws eta.</summary>
    public static void Render(IReadOnlyList<Hotspot> spots, IReadOnlyList<double> shares, double background, double noise, Rng rng, int height, int width, Span<float> output)
    {
        int plane = height * width;
        for (int x = 0; x < height; x++)
            for (int y = 0; y < width; y++)
            {
                double e = 0;
                foreach (var h in spots)
                {
                    double dx = x - h.X, dy = y - h.Y;
                    e += h.Amplitude * Math.Exp(-(dx * dx + dy * dy) / (2 * h.Sigma * h.Sigma));
                }
                for (int c = 0; c < shares.Count; c++)
                {
                    double eta = noise > 0 ? noise * rng.NextNormal() : 0;
                    output[c * plane + x * width + y] = (float)Math.Clamp(shares[c] * e + background + eta, 0, 1);
                }
            }
    }

    private sealed class Job(TersMapSettings settings, double[][] signatures, int[] labels, float[] values, RamanSimulationSettings? raman, ClassBands[]? bands) : IParallelJob
    {
        public int Start;
        public int Count;

        public void Execute(int part, int parts)
        {
            int size = (int)settings.ValuesPerMap;
            for (int i = Start + part; i < Start + Count; i += parts)
                Map(settings, signatures[labels[i]], i, values.AsSpan((int)((long)i * size), size),
                    bands is null ? null : HyperspectralShares(settings, raman!, bands[labels[i]], i));
        }
    }
}
