using System.Text.Json;
using Peakformer.Engine.Randomness;
using Peakformer.Learning.Metrics;
using Peakformer.Learning.Models;
using Peakformer.Spectroscopy.Evaluation;
using Peakformer.Spectroscopy.Inputs;
using Peakformer.Spectroscopy.Models;
using Peakformer.Spectroscopy.Spectra;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Spectroscopy;

/// <summary>
/// How spectra meet a checkpoint's classes: data labels mapped onto the model's classes by name, text labels read as
/// indices by value (not by row count), k-NN checkpoints with damaged stored labels refused, and argmax's tie rule.
/// Expected values are written out by hand.
/// </summary>
public class SpectrumClassMatchTests
{
    private static SpectrumModelInfo Info(params string[] names) => new() { ClassNames = names, Axis = [1, 2], InputAxis = [1, 2] };

    private static SpectrumSet Set(int[] labels, params string[] names) =>
        new(new float[labels.Length * 2], labels, names, [1, 2]);

    [Fact]
    public void Data_labels_are_mapped_onto_the_models_classes_by_name()
    {
        var info = Info("class_00", "class_01", "class_02");
        // Only two of the three classes, numbered 0/1 in the data: they are the model's classes 1 and 2.
        var subset = SpectrumInput.Relabel("m.safetensors", info, Set([0, 1, 1], "class_01", "class_02"), "t.npz");
        Assert.Equal([1, 2, 2], subset.Labels);
        Assert.Equal(["class_00", "class_01", "class_02"], subset.ClassNames);
        // The same classes in another order.
        var permuted = SpectrumInput.Relabel("m.safetensors", info, Set([0, 1, 2], "class_02", "class_00", "class_01"), "t.npz");
        Assert.Equal([2, 0, 1], permuted.Labels);
        // No names (defaults 0..K-1): by index.
        var plain = SpectrumInput.Relabel("m.safetensors", info, Set([1, 0], "0", "1"), "t.npz");
        Assert.Equal([1, 0], plain.Labels);
        var e = Assert.Throws<InputException>(() => SpectrumInput.Relabel("m.safetensors", info, Set([0, 1], "class_01", "class_09"), "t.npz"));
        Assert.StartsWith("t.npz: class_names: expected classes of the model m.safetensors (class_00, class_01, class_02), found 'class_09'", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        e = Assert.Throws<InputException>(() => SpectrumInput.Relabel("m.safetensors", Info("a", "b"), Set([2, 0], "0", "1", "2"), "t.npz"));
        Assert.Contains("t.npz: y:", e.Message);
    }

    [Fact]
    public void Numeric_text_labels_are_class_indices_whatever_the_row_count()
    {
        var (labels, names) = SpectrumLabels.Of(["3", "0"]);
        Assert.Equal([3, 0], labels);
        Assert.Equal(["0", "1", "2", "3"], names);
        (labels, names) = SpectrumLabels.Of(["3", "0", "1", "2", "3"]);
        Assert.Equal([3, 0, 1, 2, 3], labels);
        Assert.Equal(["0", "1", "2", "3"], names);
        // At the class cap or not whole numbers: names, in ordinal order.
        (labels, names) = SpectrumLabels.Of(["10000", "7"]);
        Assert.Equal([0, 1], labels);
        Assert.Equal(["10000", "7"], names);
        (labels, names) = SpectrumLabels.Of(["b", "a", "1"]);
        Assert.Equal([2, 1, 0], labels);
        Assert.Equal(["1", "a", "b"], names);
    }

    [Theory]
    [InlineData(99f, "99")]
    [InlineData(-1f, "-1")]
    [InlineData(0.5f, "0.5")]
    public void A_knn_checkpoint_with_a_stored_label_outside_its_classes_is_one_line_naming_it(float bad, string shown)
    {
        using var folder = new TempFolder();
        string path = folder.File("knn.safetensors");
        var config = new NearestNeighboursConfig { K = 1, Length = 2, Classes = 2, Examples = 3 };
        var knn = new NearestNeighbours(config, new Rng(1));
        knn.Fit([0, 0, 1, 1, 2, 2], [0, 1, 1]);
        knn.TrainY.Value.Data[2] = bad;
        SpectrumCheckpoint.Save(path, knn, SpectrumModels.NearestNeighbours, JsonSerializer.Serialize(config, ModelJson.Options), Info("a", "b"));
        var e = Assert.Throws<InputException>(() => SpectrumCheckpoint.Load(path));
        Assert.Equal($"{path}: train_y[2]: expected a class index, a whole number in [0, 1], found {shown}", e.Message);
    }

    [Fact]
    public void A_checkpoint_from_before_input_preprocessing_was_recorded_reads_it_as_none()
    {
        var info = JsonSerializer.Deserialize<SpectrumModelInfo>("{\"class_names\": [\"a\", \"b\"], \"axis\": [1, 2], \"input_axis\": [1, 2], \"preprocessing\": \"minmax\"}", ModelJson.Options)!;
        Assert.Equal("", info.InputPreprocessing);
        Assert.Equal("minmax", info.Preprocessing);
    }

    [Fact]
    public void Argmax_of_rows_takes_the_first_largest()
    {
        Assert.Equal([1, 0, 2], ArgMax.Rows([0.2f, 0.5f, 0.3f, 0.4f, 0.4f, 0.2f, 0f, 0f, 1f], 3));
    }
}
