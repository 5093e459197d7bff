using Peakformer.DriftChamber.Models;
using Peakformer.Tests.Cli;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Hostile;

/// <summary>
/// Every numeric option of every command with hostile values (NaN, infinity, negative, zero, 1e999, huge), and
/// hostile files end to end (NaN waveforms, NaN weights, huge model configs, an out-of-range checkpoint threshold,
/// a sample of 3e38): each must give exit code 1 and one "error:" line naming the option, file or field, within
/// the time and allocation bounds of <see cref="Bounded"/>.
/// </summary>
public class OptionHostileInputTests(OptionHostileInputTests.Files files) : IClassFixture<OptionHostileInputTests.Files>
{
    private const string Tiny = "{\"model\":16,\"heads\":2,\"layers\":1,\"feed_forward\":16,\"head_hidden\":16}";

    /// <summary>A small dataset, a model trained on it, and hostile copies of both (made once).</summary>
    public sealed class Files : IDisposable
    {
        public TempFolder Folder { get; } = new();
        public string Data => Folder.File("data.npz");
        public string Model => Folder.File("model.safetensors");
        public string NanData => Folder.File("nan.npz");
        public string InfData => Folder.File("inf.npz");
        public string NanWeights => Folder.File("nan-weights.safetensors");
        public string HugeLayers => Folder.File("huge-layers.safetensors");
        public string HugeModel => Folder.File("huge-model.safetensors");
        public string NegativeThreshold => Folder.File("negative-threshold.safetensors");
        public string Windows => Folder.File("windows.csv");
        public string HugeWindows => Folder.File("huge-windows.csv");

        public Files()
        {
            Check(CliHarness.Run("simulate", "--events", "24", "--seed", "1", "--out", Data));
            Check(CliHarness.Run("train", "--data", Data, "--out", Model, "--model-config", Tiny, "--epochs", "1", "--min-auc", "0"));
            HostileCopies.PoisonWaveform(Data, NanData, 5, 40, float.NaN);
            HostileCopies.PoisonWaveform(Data, InfData, 7, 3, float.PositiveInfinity);
            HostileCopies.Rewrite(Model, NanWeights, tensors: t => t.First(x => x.Name == "head.0.weight").Values[3] = float.NaN);
            HostileCopies.WithConfig(Model, HugeLayers, "layers", "100000");
            HostileCopies.WithConfig(Model, HugeModel, "model", "8192");
            HostileCopies.WithInfo(Model, NegativeThreshold, PeakCheckpoint.InfoKey, "threshold", "-1");
            Check(CliHarness.Run("windows", "--in", Data, "--out", Windows));
            var lines = File.ReadAllLines(Windows);
            var cells = lines[1].Split(',');
            cells[5 + 3] = "3e38"; // Time3 of the first window: finite, but it would overflow inside the model
            lines[1] = string.Join(',', cells);
            File.WriteAllLines(HugeWindows, lines);
        }

        private static void Check((int Exit, string Output, string Error) r) => Assert.True(r.Exit == 0, r.Error + r.Output);

        public void Dispose() => Folder.Dispose();
    }

    private const string Data = "$DATA", Model = "$MODEL", Out = "$OUT";

    // Values every floating-point option must refuse, and the whole-number ones: the largest that parses, one past
    // it, and text the parser refuses (its error is one line too).
    private static readonly string[] NotFinite = ["NaN", "Infinity", "-Infinity", "1e999"];
    private static readonly string[] HugeInts = ["2147483647", "2147483648", "NaN", "1e999", "1.5"];

    /// <summary>(command and its required arguments, option, hostile values that must be refused).</summary>
    private static readonly (string[] Command, string Option, string[] Values)[] Table =
    [
        (["simulate", "--out", Out], "--events", ["-1", "0", "9223372036854775807"]),
        (["simulate", "--out", Out], "--momentum", [.. NotFinite, "-1", "0", "1e300", "1e-300", "0.01:5", "5:1e300"]),
        (["simulate", "--out", Out], "--particle", ["pion:NaN", "pion:Infinity", "pion:-1", "pion:0", "pion:1e999"]),
        (["simulate", "--out", Out], "--set", ["adc_min=-1e308", "adc_max=1e308", "baseline=1e300", "noise_rms=1e300", "gain_mean=1e300", "samples=2000000000", "cluster_size_max=2147483647", "sampling_ns=1e300"]),
        (["simulate", "--out", Out], "--set", ["gain=0", "gain=1e300", "noise_pink_rms=1e300", "noise_pink_corner_mhz=1e300", "baseline_drift=1e300", "baseline_drift_period_ns=-1", "crosstalk_fraction=2"]),
        (["simulate", "--domain", "raman", "--out", Out], "--spectra", ["-1", "0", .. HugeInts]),
        (["simulate", "--domain", "raman", "--out", Out], "--points", ["-1", "0", "1", .. HugeInts]),
        (["simulate", "--domain", "raman", "--out", Out], "--classes", ["-1", "0", "1", .. HugeInts]),
        (["simulate", "--domain", "raman", "--out", Out], "--range", ["NaN:1", "0:Infinity", "5:5", "1e999:2", "-Infinity:0"]),
        (["simulate", "--domain", "raman", "--out", Out], "--set", ["noise=1e300", "spike_probability=2", "points=2000000000", "fwhm_min=0", "baseline=-1", "eta=NaN", "shift_jitter=1e999"]),
        (["simulate", "--domain", "ters", "--out", Out], "--maps", ["-1", "0", .. HugeInts]),
        (["simulate", "--domain", "ters", "--out", Out], "--size", ["-1", "0", "1", .. HugeInts]),
        (["simulate", "--domain", "ters", "--out", Out], "--channels", ["-1", "0", "65", .. HugeInts]),
        (["simulate", "--domain", "ters", "--out", Out], "--set", ["noise=1e300", "background=2", "hotspot_sigma_min=0", "hotspots_max=2000000000", "height=100000", "amplitude_min=NaN"]),
        (["preprocess", "--data", Data, "--out", Out], "--steps", ["crop:NaN:1", "savgol:1e999:3", "als:-1", "als:1e5:NaN", "resample:0:1:2147483648", "despike:Infinity", "airpls:1:0"]),
        (["shift", "--model", "deriv", "--set-list", "gain=0.8", "--out", Out], "--events", ["-1", "0", .. HugeInts]),
        (["shift", "--model", "deriv", "--set-list", "gain=0.8", "--out", Out], "--tune-events", ["-1", "0", .. HugeInts]),
        (["shift", "--model", "deriv", "--out", Out], "--set-list", ["gain=NaN", "gain=-1", "gain=1e999", "crosstalk_fraction=2", "samples=2000000000", "gain"]),
        (["train", "--data", Data, "--out", Out, "--model-config", Tiny], "--augment-noise", ["fraction=NaN", "fraction=2", "white=Infinity", "pink=-1", "drift=1e999", "gain=0:1", "gain=NaN:1", "gain=1:1e300"]),
        (["show", "--in", Data, "--out", Out], "--event", ["-1", .. HugeInts]),
        (["show", "--in", Data, "--out", Out], "--from-ns", [.. NotFinite, "1e300", "600"]),
        (["show", "--in", Data, "--out", Out], "--to-ns", [.. NotFinite, "1e300", "-1", "0"]),
        (["windows", "--in", Data, "--out", Out], "--tolerance", ["-1", .. HugeInts]),
        (["train", "--data", Data, "--out", Out, "--model-config", Tiny], "--lr", [.. NotFinite, "-1", "0", "1e300"]),
        (["train", "--data", Data, "--out", Out, "--model-config", Tiny], "--weight-decay", [.. NotFinite, "-1", "1e300"]),
        (["train", "--data", Data, "--out", Out, "--model-config", Tiny], "--min-lr", [.. NotFinite, "-1", "0", "1e300"]),
        (["train", "--data", Data, "--out", Out, "--model-config", Tiny], "--threshold", [.. NotFinite, "-1", "0", "1", "1e300"]),
        (["train", "--data", Data, "--out", Out, "--model-config", Tiny], "--min-auc", [.. NotFinite, "-1", "2"]),
        (["train", "--data", Data, "--out", Out, "--model-config", Tiny], "--validation", [.. NotFinite, "-1", "0", "1"]),
        (["train", "--data", Data, "--out", Out, "--model-config", Tiny], "--pos-weight", [.. NotFinite, "-1", "0", "1e300"]),
        (["train", "--data", Data, "--out", Out, "--model-config", Tiny], "--epochs", ["-1", "0", .. HugeInts]),
        (["train", "--data", Data, "--out", Out, "--model-config", Tiny], "--batch", ["-1", "0", .. HugeInts]),
        (["train", "--data", Data, "--out", Out, "--model-config", Tiny], "--patience", ["-1", "0", .. HugeInts]),
        (["train", "--data", Data, "--out", Out, "--model-config", Tiny], "--tolerance", ["-1", .. HugeInts]),
        (["train", "--data", Data, "--out", Out, "--model-config", Tiny], "--label-width", ["-1", .. HugeInts]),
        (["train", "--data", Data, "--out", Out, "--model-config", Tiny], "--max-waveforms", ["-1"]),
        (["train", "--data", Data, "--out", Out], "--model-config", ["{\"layers\": 100000}", "{\"model\": 8192, \"heads\": 8}", "{\"feed_forward\": 2000000000}",
            "{\"window_length\": 2000000000}", "{\"attention_dropout\": 1}", "{\"model\": 1024, \"heads\": 8, \"layers\": 24}"]),
        (["train", "--task", "count", "--peaks-from", "truth", "--data", Data, "--out", Out], "--lr", ["NaN", "Infinity", "-1", "0"]),
        (["train", "--task", "count", "--peaks-from", "truth", "--data", Data, "--out", Out], "--weight-decay", ["NaN", "Infinity", "-1"]),
        (["train", "--task", "count", "--peaks-from", "truth", "--data", Data, "--out", Out], "--threshold", ["NaN", "-1"]),
        (["train", "--task", "count", "--peaks-from", "truth", "--data", Data, "--out", Out], "--epochs", ["0", .. HugeInts]),
        (["train", "--task", "count", "--peaks-from", "truth", "--data", Data, "--out", Out], "--model-config", ["{\"layers\": 100000}", "{\"dense\": 100000000}", "{\"dropout\": -1}"]),
        (["train", "--task", "count", "--model", "onestep", "--data", Data, "--out", Out], "--model-config", ["{\"backbone\": {\"model\": 8192}}"]),
        (["evaluate", "--data", Data, "--classical", "deriv", "--out", Out], "--threshold", [.. NotFinite, "-1", "0", "1"]),
        (["evaluate", "--data", Data, "--classical", "deriv", "--out", Out], "--events", ["-1"]),
        (["evaluate", "--data", Data, "--classical", "deriv", "--out", Out], "--tolerance", ["-1", .. HugeInts]),
        (["predict", "--model", Model, "--in", Data, "--out", Out], "--threshold", [.. NotFinite, "-1", "0", "1"]),
        (["count", "--data", Data, "--classical", "deriv", "--out", Out], "--s", [.. NotFinite, "-1", "0", "1e300"]),
        (["count", "--data", Data, "--classical", "deriv", "--out", Out], "--momentum-bins", ["-1", "0", .. HugeInts]),
        (["count", "--data", Data, "--classical", "deriv", "--out", Out], "--events", ["-1"]),
        (["count", "--data", Data, "--classical", "", "--out", Out], "--peak-models", ["$MODEL@NaN", "$MODEL@Infinity", "$MODEL@-1", "$MODEL@0", "$MODEL@1", "$MODEL@1e999"]),
        (["count", "--data", Data, "--out", Out], "--classical", ["deriv:NaN,1,1,1", "deriv:Infinity,1,1,1", "d2:1,-1", "d2:1e999,1"]),
        (["pid", "--methods", "truth", "--out", Out], "--tracks", ["-1", "0", .. HugeInts]),
        (["pid", "--methods", "truth", "--out", Out], "--cells", ["-1", "0", .. HugeInts]),
        (["pid", "--methods", "truth", "--out", Out], "--pool", ["-1", "0", .. HugeInts]),
        (["pid", "--methods", "truth", "--out", Out], "--replicas", ["-1", "0", .. HugeInts]),
        (["pid", "--methods", "truth", "--out", Out], "--s", [.. NotFinite, "-1", "0", "1e300"]),
        (["pid", "--methods", "truth", "--out", Out], "--show-momentum", [.. NotFinite, "-1", "0", "1e300"]),
        (["pid", "--methods", "truth", "--out", Out], "--momenta", [.. NotFinite, "-1", "0", "1e300", "1e-300"]),
        (["pid", "--out", Out], "--methods", ["$MODEL@NaN", "$MODEL@-1", "$MODEL@1e999"]),
        (["pid", "--methods", "truth", "--out", Out], "--set", ["adc_max=1e308", "samples=2000000000"]),
        (["bench", "--no-peers"], "--rounds", ["-1", "0", .. HugeInts]),
        (["bench", "--no-peers"], "--seconds", [.. NotFinite, "-1", "0", "1e300"]),
        (["bench", "--no-peers"], "--thread-counts", ["0", "-1", "NaN"]),
        (["demo"], "--epochs", ["-1", "0", .. HugeInts]),
        (["demo"], "--threads", ["-1", "0", "1025", "100000", .. HugeInts]),
    ];

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (command, option, values) in Table)
            foreach (var value in values)
                data.Add(string.Join('\u001f', command), option, value);
        return data;
    }

    /// <summary>The number of hostile option cases (reported with the tests).</summary>
    public static int CaseCount => Table.Sum(row => row.Values.Length);

    private string[] Args(IEnumerable<string> args, string outName) => args.Select(a => a
        .Replace(Data, files.Data).Replace(Model, files.Model).Replace(Out, files.Folder.File(outName))).ToArray();

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_hostile_option_value_is_a_clean_error_naming_the_option(string command, string option, string value)
    {
        string outName = $"out-{Guid.NewGuid():N}";
        var args = Args([.. command.Split('\u001f'), option, value], outName);
        string error = Bounded.CleanError(args);
        // The line names the option, or for a config override or method spec, the field or the option it came in.
        string[] names = option switch
        {
            "--set" => [value.Split('=')[0]],
            "--model-config" => ["--model-config"],
            "--momentum" => ["--momentum"],
            _ => [option],
        };
        Assert.True(names.Any(error.Contains), $"`{string.Join(' ', args)}`: the error does not name {string.Join(" or ", names)}: {error}");
        Assert.False(File.Exists(files.Folder.File(outName)) || Directory.Exists(files.Folder.File(outName)), "an output was written");
    }

    [Fact]
    public void There_are_at_least_two_hundred_hostile_option_cases() => Assert.True(CaseCount >= 200, $"{CaseCount} cases");

    /// <summary>Hostile files end to end: (arguments, what the error line must contain).</summary>
    public static TheoryData<string, string> FileCases() => new()
    {
        { "predict --model $MODEL --in $NAN --out $OUT", "nan.npz [waveforms]: waveform 5 sample 40 is NaN" },
        { "predict --model $MODEL --in $INF --out $OUT", "inf.npz [waveforms]: waveform 7 sample 3 is Infinity" },
        { "windows --in $NAN --out $OUT", "nan.npz [waveforms]: waveform 5 sample 40 is NaN" },
        { "evaluate --data $NAN --models $MODEL --classical deriv --out $OUT", "nan.npz [waveforms]: waveform 5 sample 40 is NaN" },
        { "evaluate --data $DATA --classical deriv --tune-data $NAN --out $OUT", "nan.npz [waveforms]: waveform 5 sample 40 is NaN" },
        { "count --data $NAN --classical deriv --out $OUT", "nan.npz [waveforms]: waveform 5 sample 40 is NaN" },
        { "train --data $NAN --out $OUT --model-config " + Tiny, "nan.npz [waveforms]: waveform 5 sample 40 is NaN" },
        { "train --task perbin --data $NAN --out $OUT", "nan.npz [waveforms]: waveform 5 sample 40 is NaN" },
        { "train --task count --peaks-from truth --data $NAN --out $OUT", "nan.npz [waveforms]: waveform 5 sample 40 is NaN" },
        { "show --in $NAN --event 5 --out $OUT", "nan.npz [waveforms]: waveform 5 sample 40 is NaN" },
        { "predict --model $NANW --in $DATA --out $OUT", "nan-weights.safetensors: tensor 'head.0.weight' holds NaN at element 3" },
        { "evaluate --data $DATA --models $NANW --classical deriv --out $OUT", "nan-weights.safetensors: tensor 'head.0.weight' holds NaN" },
        { "count --data $DATA --peak-models $NANW --classical deriv --out $OUT", "nan-weights.safetensors: tensor 'head.0.weight' holds NaN" },
        { "predict --model $LAYERS --in $DATA --out $OUT", "huge-layers.safetensors: model config: layers: expected a whole number in [1, 24], found 100000" },
        { "evaluate --data $DATA --models $LAYERS --out $OUT", "huge-layers.safetensors: model config: layers" },
        { "predict --model $WIDE --in $DATA --out $OUT", "huge-model.safetensors: model config: model: expected a whole number in [1, 1024], found 8192" },
        { "predict --model $THRESHOLD --in $DATA --out $OUT", "negative-threshold.safetensors: peak_model_info: threshold: expected a value in (0, 1), found -1" },
        { "count --data $DATA --peak-models $THRESHOLD --classical deriv --out $OUT", "negative-threshold.safetensors: peak_model_info: threshold" },
        { "train --data $HUGECSV --out $OUT --epochs 1 --batch 65536 --model-config " + Tiny, "huge-windows.csv:2: Time3: expected a finite number within +-1E+09, found '3e38'" },
        { "predict --model $MODEL --in $HUGECSV --out $OUT", "huge-windows.csv:2: Time3: expected a finite number within +-1E+09, found '3e38'" },
    };

    [Theory]
    [MemberData(nameof(FileCases))]
    public void A_hostile_file_is_a_clean_error_naming_where(string command, string message)
    {
        string outName = $"out-{Guid.NewGuid():N}";
        var args = command.Split(' ').Select(a => a
            .Replace("$NANW", files.NanWeights).Replace("$NAN", files.NanData).Replace("$INF", files.InfData).Replace("$LAYERS", files.HugeLayers)
            .Replace("$WIDE", files.HugeModel).Replace("$THRESHOLD", files.NegativeThreshold).Replace("$HUGECSV", files.HugeWindows)
            .Replace(Data, files.Data).Replace(Model, files.Model).Replace(Out, files.Folder.File(outName))).ToArray();
        string error = Bounded.CleanError(args);
        Assert.Contains(message, error);
        Assert.False(File.Exists(files.Folder.File(outName)) || Directory.Exists(files.Folder.File(outName)), "an output was written");
    }
}
