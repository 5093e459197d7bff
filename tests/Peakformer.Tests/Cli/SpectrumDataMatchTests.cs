using System.Globalization;
using System.Text.Json;
using Peakformer.Spectroscopy.Spectra;
using Peakformer.Tests.Hostile;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Cli;

/// <summary>
/// evaluate and predict on data that differs from the checkpoint's training data in how its classes are named or how
/// far it is preprocessed: classes matched by name, preprocessing already done compared with the model's record.
/// </summary>
public class SpectrumDataMatchTests
{
    private static void Simulate(TempFolder folder, string name, string seed)
    {
        var (exit, output, error) = CliHarness.Run(["simulate", "--domain", "raman", "--spectra", "120", "--points", "200", "--classes", "3", "--seed", seed,
            "--class-seed", "1", "--out", folder.File(name)]);
        Assert.True(exit == 0, error + output);
    }

    private static void Run(params string[] args)
    {
        var (exit, output, error) = CliHarness.Run(args);
        Assert.True(exit == 0, error + output);
    }

    /// <summary>The rows of a set whose class is in <paramref name="keep"/>, with those names in that order as its classes.</summary>
    private static void Subset(string from, string to, params string[] keep)
    {
        var set = SpectrumSetFile.Read(from);
        var rows = Enumerable.Range(0, set.Count).Where(i => keep.Contains(set.ClassNames[set.Labels[i]])).ToArray();
        var values = rows.SelectMany(i => set.Spectrum(i).ToArray()).ToArray();
        var labels = rows.Select(i => Array.IndexOf(keep, set.ClassNames[set.Labels[i]])).ToArray();
        SpectrumSetFile.Write(new SpectrumSet(values, labels, keep, set.Wavenumbers), to);
    }

    private static double Accuracy(string report) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "metrics.json"))).RootElement.GetProperty("models")[0].GetProperty("accuracy").GetDouble();

    [Fact]
    public void A_test_set_with_fewer_or_reordered_classes_is_scored_against_the_models_classes_by_name()
    {
        using var folder = new TempFolder();
        Simulate(folder, "train.npz", "1");
        Simulate(folder, "test.npz", "2");
        string knn = folder.File("knn.safetensors");
        Run("train", "--task", "spectrum", "--model", "knn", "--data", folder.File("train.npz"), "--out", knn, "--threads", "1");
        Run("evaluate", "--model", knn, "--data", folder.File("test.npz"), "--out", folder.File("all"));
        double all = Accuracy(folder.File("all"));
        Assert.True(all > 0.8, $"accuracy {all} on the full test set");

        Subset(folder.File("test.npz"), folder.File("two.npz"), "class_01", "class_02");
        Subset(folder.File("test.npz"), folder.File("permuted.npz"), "class_02", "class_00", "class_01");
        Run("evaluate", "--model", knn, "--data", folder.File("permuted.npz"), "--out", folder.File("permuted"));
        Assert.Equal(all, Accuracy(folder.File("permuted")), 12);
        Run("evaluate", "--model", knn, "--data", folder.File("two.npz"), "--out", folder.File("two"));
        Assert.True(Accuracy(folder.File("two")) > 0.8, $"accuracy {Accuracy(folder.File("two"))} on two of the classes");

        // predict's label column is the model's class index of the file's label.
        Run("predict", "--model", knn, "--data", folder.File("two.npz"), "--out", folder.File("p.csv"));
        var two = SpectrumSetFile.Read(folder.File("two.npz"));
        var column = File.ReadAllLines(folder.File("p.csv")).Skip(1).Select(r => int.Parse(r.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(two.Labels.Select(l => l + 1), column);

        Subset(folder.File("test.npz"), folder.File("unknown.npz"), "class_01");
        var set = SpectrumSetFile.Read(folder.File("unknown.npz"));
        SpectrumSetFile.Write(new SpectrumSet(set.Values, set.Labels, ["class_07"], set.Wavenumbers), folder.File("unknown.npz"));
        string error = Bounded.CleanError("predict", "--model", knn, "--data", folder.File("unknown.npz"), "--out", folder.File("u.csv"));
        Assert.Equal($"error: {folder.File("unknown.npz")}: class_names: expected classes of the model {knn} (class_00, class_01, class_02), found 'class_07'", error);
        Assert.False(File.Exists(folder.File("u.csv")));
    }

    [Fact]
    public void Preprocessing_done_before_training_is_required_of_the_data_and_the_models_own_is_not_done_twice()
    {
        using var folder = new TempFolder();
        Simulate(folder, "train.npz", "1");
        Simulate(folder, "test.npz", "2");
        Run("preprocess", "--data", folder.File("train.npz"), "--steps", "als:1e4:0.01", "--out", folder.File("train_als.npz"));
        string knn = folder.File("knn.safetensors");
        Run("train", "--task", "spectrum", "--model", "knn", "--data", folder.File("train_als.npz"), "--out", knn, "--threads", "1", "--preprocess", "minmax");

        string error = Bounded.CleanError("evaluate", "--model", knn, "--data", folder.File("test.npz"), "--out", folder.File("raw"));
        Assert.Equal($"error: {folder.File("test.npz")}: preprocessing_json: the model {knn} was trained on spectra preprocessed with 'als:10000:0.01:10' " +
            "before its own pipeline 'minmax'; these lack 'als:10000:0.01:10': run preprocess --steps als:10000:0.01:10 on them first", error);
        Assert.False(Directory.Exists(folder.File("raw")));

        Run("preprocess", "--data", folder.File("test.npz"), "--steps", "als:1e4:0.01", "--out", folder.File("test_als.npz"));
        Run("evaluate", "--model", knn, "--data", folder.File("test_als.npz"), "--out", folder.File("als"));

        Run("preprocess", "--data", folder.File("test_als.npz"), "--steps", "minmax", "--out", folder.File("test_twice.npz"));
        error = Bounded.CleanError("predict", "--model", knn, "--data", folder.File("test_twice.npz"), "--out", folder.File("p.csv"));
        Assert.StartsWith($"error: {folder.File("test_twice.npz")}: preprocessing_json: the model {knn} was trained on", error);
        Assert.EndsWith("these already went through its pipeline too ('als:10000:0.01:10,minmax'): give it the spectra from before that step, it applies its pipeline itself", error);
        Assert.False(File.Exists(folder.File("p.csv")));
    }
}
