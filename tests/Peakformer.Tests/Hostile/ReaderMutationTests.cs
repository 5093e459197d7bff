using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using Peakformer.Data;
using Peakformer.Data.Npy;
using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Simulation;
using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Optimizers;
using Peakformer.Engine.Randomness;
using Peakformer.Tests.Support;
using Peakformer.Learning.Training;

namespace Peakformer.Tests.Hostile;

/// <summary>
/// Generated damage to valid files (truncation, a flipped byte, inserted or deleted bytes; FsCheck, fixed seeds so
/// a failure replays): every mutant either loads, or fails with InputException / SafeTensorsException, within a
/// time and allocation bound. Any other exception type, or a hang, fails the property and FsCheck prints the mutant.
/// </summary>
[Collection(HostileCollection.Name)]
public class ReaderMutationTests(HostileFiles files)
{
    /// <summary>Mutants per reader: enough to reach every header field of these small files, quick enough for every run.</summary>
    public const int MutantsPerReader = 200;

    private readonly HostileFiles _f = files;

    [Fact]
    public void Damaged_npz_datasets_load_or_fail_cleanly() => Mutate(_f.Data, ".npz", 11, path =>
    {
        using var data = WaveformDataset.Open(path);
        data.ReadWaveforms(0, data.Count);
    });

    [Fact]
    public void Damaged_compressed_npz_archives_load_or_fail_cleanly() => Mutate(GoldenFiles.Path("numpy_golden_compressed.npz"), ".npz", 17, path =>
    {
        // np.savez_compressed output (deflated entries): every array read whole.
        using var npz = new NpzReader(path);
        foreach (string key in npz.Keys.ToList()) npz.Read(key);
    });

    [Fact]
    public void Damaged_safetensors_checkpoints_load_or_fail_cleanly() => Mutate(_f.Model, ".safetensors", 12, path =>
    {
        SafeTensorsFile.Read(path);
        Checkpoint.ReadHeader(path);
    });

    [Fact]
    public void Damaged_training_states_load_or_fail_cleanly()
    {
        // A small model and optimiser of our own, so that each mutant can be loaded into the same objects.
        var model = new Linear(3, 2, new Rng(1));
        var optimizer = new AdamW(new ParameterSet(model), 1e-3f);
        string checkpoint = Path.Combine(_f.Folder.Path, "linear.safetensors");
        new TrainState(1, 5, 1e-3f, 1, 0.75, 0, true, [new EpochRecord(1, 0.6, 0.7, 0.65, 0.72, 0.75, 1e-3, 0.1)]).Save(checkpoint, model, optimizer);
        Mutate(TrainState.PathFor(checkpoint), ".safetensors", 13, path =>
        {
            // TrainState.Load reads the checkpoint's ".state" sidecar: the mutant's path without that suffix.
            string mutant = path[..^".state".Length];
            TrainState.Load(mutant, model, optimizer);
        }, suffix: ".safetensors.state");
    }

    [Fact]
    public void Damaged_yaml_configs_load_or_fail_cleanly() => Mutate(Text("config.yaml",
        "# fcc with a shorter record\nsamples: 600\nnoise_rms: 0.03\ncell_radius_cm: 0.7\nfront_end: false\ncluster_size_max: 30\ngain_mean: 2.0e5\n"),
        ".yaml", 14, path => SimulationConfigLoader.Load("fcc", path, []));

    [Fact]
    public void Damaged_json_configs_load_or_fail_cleanly() => Mutate(Text("config.json",
        "{\"samples\": 600, \"noise_rms\": 0.03, \"cell_radius_cm\": 0.7, \"front_end\": false, \"cluster_size_max\": 30, \"fixed_dip_angle_rad\": null}"),
        ".json", 15, path => SimulationConfigLoader.Load("fcc", path, []));

    [Fact]
    public void Damaged_spectrum_npy_files_load_or_fail_cleanly() => Mutate(SpectrumInput("bacteria/X_reference.npy"), ".npy", 31, path =>
        Peakformer.Spectroscopy.Inputs.SpectrumSetReader.Read(path, new() { Labels = SpectrumInput("bacteria/y_reference.npy"), Wavenumbers = SpectrumInput("bacteria/wavenumbers.npy") }, _ => { }));

    [Fact]
    public void Damaged_spectrum_csv_tables_load_or_fail_cleanly() => Mutate(SpectrumInput("table.csv"), ".csv", 32, path =>
        Peakformer.Spectroscopy.Inputs.SpectrumSetReader.Read(path, Peakformer.Spectroscopy.Inputs.SpectrumReadOptions.Default, _ => { }));

    [Fact]
    public void Damaged_spectrum_text_exports_load_or_fail_cleanly() => Mutate(SpectrumInput("text/rutile/c.csv"), ".txt", 33, path =>
        Peakformer.Spectroscopy.Inputs.TextSpectrum.Read(path));

    [Fact]
    public void Damaged_map_sets_load_or_fail_cleanly()
    {
        string maps = Path.Combine(_f.Folder.Path, "maps.npz");
        if (!File.Exists(maps)) Assert.Equal(0, Cli.CliHarness.Run("simulate", "--domain", "ters", "--maps", "6", "--size", "8", "--out", maps).Exit);
        Mutate(maps, ".npz", 34, path => Peakformer.Data.Images.ImageSetReader.Read(path, Peakformer.Data.Images.ImageSplit.Train));
    }

    private static string SpectrumInput(string name) => GoldenFiles.Path(Path.Combine("spectra_inputs", name));

    [Fact]
    public void Damaged_window_tables_load_or_fail_cleanly() => Mutate(_f.Windows, ".csv", 16, path => WindowCsv.Read(path));

    private enum Damage { Truncate, Flip, Insert, Delete }

    private sealed record Mutation(Damage Damage, int Region, int Offset, byte Value, int Count)
    {
        /// <summary>The damaged bytes: at the start (headers), near the end (zip directory, last tensor) or anywhere.</summary>
        public byte[] Apply(byte[] original)
        {
            int n = original.Length;
            int at = Region switch
            {
                0 => Offset % Math.Min(n, 512),
                1 => n - 1 - Offset % Math.Min(n, 1024),
                _ => Offset % n,
            };
            var bytes = original.ToList();
            switch (Damage)
            {
                case Damage.Truncate: return original[..at];
                case Damage.Flip: bytes[at] ^= (byte)(Value | 1); break;
                case Damage.Insert: bytes.InsertRange(at, Enumerable.Repeat(Value, Count)); break;
                case Damage.Delete: bytes.RemoveRange(at, Math.Min(Count, n - at)); break;
            }
            return bytes.ToArray();
        }
    }

    private static readonly Gen<Mutation> Mutations =
        from damage in Gen.Elements(Damage.Truncate, Damage.Flip, Damage.Flip, Damage.Insert, Damage.Delete)
        from region in Gen.Choose(0, 2)
        from offset in Gen.Choose(0, int.MaxValue)
        from value in Gen.Elements<byte>(0, 0xFF, 0x7F, 0x80, (byte)'9', (byte)',', (byte)'"', (byte)'{', (byte)'-', (byte)':', 0x20, 0x0A)
        from count in Gen.Choose(1, 9)
        select new Mutation(damage, region, offset, value, count);

    /// <summary>Checks the property on <see cref="MutantsPerReader"/> mutants of <paramref name="valid"/> (seeded: replayable).</summary>
    private void Mutate(string valid, string extension, ulong seed, Action<string> load, string? suffix = null)
    {
        byte[] original = File.ReadAllBytes(valid);
        load(valid); // the unmutated file loads
        string folder = Path.Combine(_f.Folder.Path, "mutants-" + seed);
        Directory.CreateDirectory(folder);
        int index = 0;
        var property = Prop.ForAll(Arb.From(Mutations), mutation =>
        {
            string path = Path.Combine(folder, $"m{index++}{suffix ?? extension}");
            File.WriteAllBytes(path, mutation.Apply(original));
            string outcome = Bounded.Within(TimeSpan.FromSeconds(10), 256L << 20, $"{mutation} of {Path.GetFileName(valid)}", () =>
            {
                try
                {
                    load(path);
                    return "loads";
                }
                catch (Exception e) when (e is InputException or SafeTensorsException)
                {
                    Assert.False(string.IsNullOrWhiteSpace(e.Message) || e.Message.Contains('\n'), $"{mutation}: message is not one line: {e.Message}");
                    return "clean error";
                }
                catch (Exception e)
                {
                    return $"{e.GetType().Name}: {e.Message} at {string.Join(" < ", (e.StackTrace ?? "").Split('\n').Take(4).Select(l => l.Trim()))}";
                }
            });
            Assert.True(outcome is "loads" or "clean error", $"{mutation} of {Path.GetFileName(valid)}: {outcome}");
            File.Delete(path);
        });
        var config = Config.QuickThrowOnFailure.WithMaxTest(MutantsPerReader).WithQuietOnSuccess(true)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed, 0x9E3779B97F4A7C15UL), FSharpOption<int>.None)));
        Check.One(config, property);
    }

    private string Text(string name, string text)
    {
        string path = Path.Combine(_f.Folder.Path, name);
        File.WriteAllText(path, text);
        return path;
    }
}
