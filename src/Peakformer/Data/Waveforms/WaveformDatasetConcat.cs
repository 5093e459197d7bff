using System.Runtime.InteropServices;
using Peakformer.Data.Npy;

namespace Peakformer.Data.Waveforms;

/// <summary>
/// Joins waveform datasets that <see cref="WaveformDatasetWriter"/> wrote (the shards of one simulation) into one, in
/// the order given: waveforms and truth go through the same writer, so the result is the file one run would have
/// written, byte for byte. The files must agree on samples, sampling interval, generator config, run seed and
/// particle names. Events are read in blocks, so memory holds one block of each array whatever the sizes.
/// </summary>
public static class WaveformDatasetConcat
{
    private const int Block = 4096;

    /// <summary>Writes the joined dataset to <paramref name="output"/>; returns its number of events.</summary>
    public static long Write(IReadOnlyList<string> inputs, string output)
    {
        if (inputs.Count == 0) throw new ArgumentException("no inputs", nameof(inputs));
        var readers = new List<NpzReader>();
        try
        {
            foreach (string path in inputs) readers.Add(new NpzReader(path));
            var headers = readers.Select(HeaderOf).ToList();
            for (int i = 1; i < headers.Count; i++) SameRun(headers[0], headers[i], inputs[0], inputs[i]);
            var first = headers[0];
            var header = first with { Events = headers.Sum(h => h.Events) };
            using var writer = new WaveformDatasetWriter(output, header);
            for (int i = 0; i < readers.Count; i++) Copy(readers[i], headers[i], writer);
            writer.Commit();
            return header.Events;
        }
        finally
        {
            foreach (var r in readers) r.Dispose();
        }
    }

    private static DatasetHeader HeaderOf(NpzReader npz)
    {
        foreach (var (name, type) in WaveformDatasetWriter.ElectronColumns.Concat(WaveformDatasetWriter.EventColumns).Append(("electron_offsets", NpyType.Int64)))
        {
            if (!npz.Contains(name)) throw new InputException($"{npz.Path}: expected a dataset that simulate wrote, with array '{name}'; found only {string.Join(", ", npz.Keys.Order())}");
            var h = npz.Header(name);
            if (h.Type != type || h.Shape.Length != 1)
                throw InputException.At($"{npz.Path} [{name}]", null, "type", $"a 1D {NpyTypes.Descriptor(type, 0)} array (as simulate writes it)", $"{NpyTypes.Descriptor(h.Type, h.UnicodeLength)} with {h.Shape.Length} dimensions");
        }
        var waveforms = npz.Header("waveforms");
        if (waveforms.Type != NpyType.Float32 || waveforms.Shape.Length != 2)
            throw InputException.At($"{npz.Path} [waveforms]", null, "type", "a 2D float32 array", $"{NpyTypes.Descriptor(waveforms.Type, waveforms.UnicodeLength)} with {waveforms.Shape.Length} dimensions");
        long events = waveforms.Shape[0];
        foreach (var (name, _) in WaveformDatasetWriter.EventColumns)
            if (npz.Header(name).Count != events) throw new InputException($"{npz.Path} [{name}]: expected {events} values (one per waveform), found {npz.Header(name).Count}");
        if (npz.Header("electron_offsets").Count != events + 1) throw new InputException($"{npz.Path} [electron_offsets]: expected {events + 1} values, found {npz.Header("electron_offsets").Count}");
        string config = One(npz, "config").As<string>("config")[0];
        double sampling = One(npz, "sampling_ns").ToDoubles("sampling_ns")[0];
        long seed = One(npz, "run_seed").ToLongs("run_seed")[0];
        var names = npz.Require("particle_names").As<string>("particle_names");
        return new DatasetHeader(events, (int)waveforms.Shape[1], sampling, config, (ulong)seed, names);
    }

    private static NpyArray One(NpzReader npz, string name)
    {
        if (!npz.Contains(name)) throw new InputException($"{npz.Path}: expected a dataset that simulate wrote, with array '{name}'; found only {string.Join(", ", npz.Keys.Order())}");
        long count = npz.Header(name).Count;
        if (count != 1) throw InputException.At($"{npz.Path} [{name}]", null, "shape", "one value", $"{count} values");
        return npz.Read(name);
    }

    private static void SameRun(DatasetHeader a, DatasetHeader b, string pathA, string pathB)
    {
        void Differ(string what, object x, object y) => throw new InputException($"{pathB}: {what} {y} differs from {pathA}'s {x}: not a shard of the same run");
        if (a.Samples != b.Samples) Differ("samples per waveform", a.Samples, b.Samples);
        if (a.SamplingNs != b.SamplingNs) Differ("sampling interval (ns)", a.SamplingNs, b.SamplingNs);
        if (a.Seed != b.Seed) Differ("run seed", a.Seed, b.Seed);
        if (a.ConfigJson != b.ConfigJson) Differ("generator config", "(its config)", "(another config)");
        if (!a.ParticleNames.SequenceEqual(b.ParticleNames)) Differ("particle names", string.Join(",", a.ParticleNames), string.Join(",", b.ParticleNames));
    }

    private static void Copy(NpzReader npz, DatasetHeader header, WaveformDatasetWriter writer)
    {
        var waveforms = new float[Math.Min(Block, header.Events) * header.Samples];
        for (long start = 0; start < header.Events; start += Block)
        {
            int n = (int)Math.Min(Block, header.Events - start);
            npz.ReadRows("waveforms", start, n, waveforms);
            writer.AddWaveforms(waveforms.AsSpan(0, n * header.Samples));
            var offsets = Read<long>(npz, "electron_offsets", start, n + 1);
            long e0 = offsets[0];
            int electrons = checked((int)(offsets[n] - e0));
            for (int i = 0; i < n; i++)
                if (offsets[i + 1] < offsets[i]) throw new InputException($"{npz.Path} [electron_offsets]: expected offsets that never decrease, found {offsets[i]} then {offsets[i + 1]} at waveform {start + i}");
            if (e0 < 0 || offsets[n] > npz.Header("electron_time_ns").Count)
                throw new InputException($"{npz.Path} [electron_offsets]: expected offsets within the {npz.Header("electron_time_ns").Count} electrons, found {offsets[n]}");
            var time = Read<float>(npz, "electron_time_ns", e0, electrons);
            var sample = Read<int>(npz, "electron_sample", e0, electrons);
            var peak = Read<int>(npz, "electron_peak_sample", e0, electrons);
            var cluster = Read<int>(npz, "electron_cluster", e0, electrons);
            var tag = Read<byte>(npz, "electron_tag", e0, electrons);
            var charge = Read<float>(npz, "electron_charge", e0, electrons);
            var particle = Read<int>(npz, "particle", start, n);
            var momentum = Read<double>(npz, "momentum_gev", start, n);
            var betaGamma = Read<double>(npz, "beta_gamma", start, n);
            var length = Read<double>(npz, "track_length_cm", start, n);
            var impact = Read<double>(npz, "impact_parameter_cm", start, n);
            var dip = Read<double>(npz, "dip_angle_rad", start, n);
            var clusters = Read<int>(npz, "n_clusters", start, n);
            var noise = Read<float>(npz, "noise_rms", start, n);
            var seeds = Read<long>(npz, "seed", start, n);
            for (int i = 0; i < n; i++)
            {
                for (long k = offsets[i] - e0; k < offsets[i + 1] - e0; k++)
                    writer.AddElectron(time[k], sample[k], peak[k], cluster[k], tag[k], charge[k]);
                writer.EndEvent(new EventTruth(particle[i], momentum[i], betaGamma[i], length[i], impact[i], dip[i], clusters[i], noise[i], (ulong)seeds[i]));
            }
        }
    }

    private static T[] Read<T>(NpzReader npz, string name, long start, int count) where T : unmanaged
    {
        var values = new T[count];
        if (count > 0) npz.ReadRowBytes(name, start, count, MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }
}
