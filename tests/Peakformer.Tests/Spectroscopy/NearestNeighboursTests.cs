using System.Text.Json;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Metrics;
using Peakformer.Spectroscopy.Evaluation;
using Peakformer.Spectroscopy.Models;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Spectroscopy;

/// <summary>
/// k-NN against scikit-learn's KNeighborsClassifier on Golden/knn_golden.json (tools/golden/make_knn_golden.py), and
/// its tie rules by construction.
/// </summary>
public class NearestNeighboursTests
{
    private static readonly JsonElement Golden = JsonDocument.Parse(File.ReadAllText(GoldenFiles.Path("knn_golden.json"))).RootElement;

    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(x => (float)x.GetDouble()).ToArray();
    private static int[] Ints(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();

    private static NearestNeighbours Fitted(int k, float[] x, int[] y, int length, int classes)
    {
        var model = new NearestNeighbours(new NearestNeighboursConfig { K = k, Length = length, Classes = classes, Examples = y.Length }, new Rng(1));
        model.Fit(x, y);
        return model;
    }

    [Fact]
    public void Predictions_and_probabilities_equal_scikit_learns_for_every_k()
    {
        int length = Golden.GetProperty("length").GetInt32(), classes = Golden.GetProperty("classes").GetInt32();
        var trainX = Floats(Golden.GetProperty("train_x"));
        var trainY = Ints(Golden.GetProperty("train_y"));
        var queries = Floats(Golden.GetProperty("query_x"));
        int n = queries.Length / length;
        foreach (var c in Golden.GetProperty("cases").EnumerateArray())
        {
            int k = c.GetProperty("k").GetInt32();
            var model = Fitted(k, trainX, trainY, length, classes);
            var tape = new Tape(gradients: false);
            var probabilities = model.Forward(tape, tape.From(queries, new Shape(n, length))).ToArray();
            Assert.Equal(Ints(c.GetProperty("predicted")), ArgMax.Rows(probabilities, classes));
            var expected = Floats(c.GetProperty("probabilities"));
            for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - probabilities[i]) < 1e-6, $"k={k}, value {i}: {probabilities[i]} against {expected[i]}");
        }
    }

    [Fact]
    public void Equal_distances_keep_the_earlier_training_spectrum_and_equal_votes_the_lower_class()
    {
        // Query 0 on a line; training spectra at distances 1, 1, 2, 2 (indices 0..3) with classes 1, 0, 0, 1.
        float[] x = [1, 0, -1, 0, 2, 0, -2, 0];
        int[] y = [1, 0, 0, 1];
        var model = Fitted(2, x, y, 2, 2);
        Assert.Equal([0, 1], model.Neighbours([0f, 0f]));
        var p = new float[2];
        model.Probabilities([0f, 0f], p);
        // One vote each: the lower class wins the argmax.
        Assert.Equal([0.5f, 0.5f], p);
        Assert.Equal([0], ArgMax.Rows(p, 2));
        Assert.Equal([0, 1, 2], Fitted(3, x, y, 2, 2).Neighbours([0f, 0f]));
    }

    [Fact]
    public void K_larger_than_the_stored_spectra_is_a_config_error_naming_k()
    {
        var e = Assert.Throws<ArgumentException>(() => new NearestNeighbours(new NearestNeighboursConfig { K = 6, Length = 3, Classes = 2, Examples = 5 }, new Rng(1)));
        Assert.Contains("k", e.Message);
    }
}
