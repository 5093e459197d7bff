using System.Text.Json;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Objectives;
using Peakformer.Learning.Training;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Learning.Objectives;

/// <summary>
/// Each objective's loss and its gradient against PyTorch's (tools/golden/make_torch_losses_golden.py writes
/// Golden/torch_losses.json): weighted and smoothed cross-entropy, also with a class absent from the batch, BCE with
/// pos_weight, MSE, L1 and Huber.
/// </summary>
public class TorchLossGoldenTests
{
    private static readonly JsonElement Golden = JsonDocument.Parse(File.ReadAllText(GoldenFiles.Path("torch_losses.json"))).RootElement;

    public static TheoryData<string> CrossEntropyCases => Names("cross_entropy");
    public static TheoryData<string> BceCases => Names("bce");
    public static TheoryData<string> RegressionCases => Names("regression");

    [Theory]
    [MemberData(nameof(CrossEntropyCases))]
    public void Multi_class_loss_and_gradient_match_pytorch(string name)
    {
        var c = Case("cross_entropy", name);
        int k = c.GetProperty("classes").GetInt32();
        float[]? weights = c.GetProperty("weights").ValueKind == JsonValueKind.Null ? null : Floats(c, "weights");
        var objective = new MultiClassObjective(k, weights, (float)c.GetProperty("smoothing").GetDouble());
        var targets = c.GetProperty("targets").EnumerateArray().Select(t => (float)t.GetInt32()).ToArray();
        Check(objective, Floats(c, "logits"), [targets.Length, k], targets, c, name);
    }

    [Theory]
    [MemberData(nameof(BceCases))]
    public void Binary_loss_and_gradient_match_pytorch(string name)
    {
        var c = Case("bce", name);
        var objective = new BinaryObjective((float)c.GetProperty("pos_weight").GetDouble(), 0.5, 0);
        var logits = Floats(c, "logits");
        Check(objective, logits, [logits.Length], Floats(c, "targets"), c, name);
    }

    [Theory]
    [MemberData(nameof(RegressionCases))]
    public void Regression_loss_and_gradient_match_pytorch(string name)
    {
        var c = Case("regression", name);
        var (kind, delta) = name switch
        {
            "mse" => (RegressionLoss.Mse, 1f),
            "l1" => (RegressionLoss.L1, 1f),
            _ => (RegressionLoss.Huber, (float)c.GetProperty("delta").GetDouble()),
        };
        var predictions = Floats(c, "predictions");
        Check(new RegressionObjective(0, 1, kind, delta), predictions, [predictions.Length], Floats(c, "targets"), c, name);
    }

    private static void Check(IObjective objective, float[] outputs, int[] shape, float[] targets, JsonElement c, string name)
    {
        var tape = new Tape();
        var x = Tensor.FromArray(outputs, shape).WithGrad();
        var loss = objective.Loss(tape, x, Tensor.FromArray(targets, targets.Length));
        double expected = c.GetProperty("loss").GetDouble();
        Assert.True(Math.Abs(loss.Item() - expected) <= 1e-5 + 1e-5 * Math.Abs(expected), $"{name}: loss {loss.Item()}, PyTorch {expected}");
        tape.Backward(loss);
        var grad = c.GetProperty("grad").EnumerateArray().Select(g => g.GetDouble()).ToArray();
        var ours = x.Grad!.Data;
        Assert.Equal(grad.Length, ours.Length);
        for (int i = 0; i < grad.Length; i++)
            Assert.True(Math.Abs(ours[i] - grad[i]) <= 1e-6 + 1e-5 * Math.Abs(grad[i]), $"{name}: gradient {i} is {ours[i]}, PyTorch {grad[i]}");
    }

    private static TheoryData<string> Names(string group)
    {
        var data = new TheoryData<string>();
        foreach (var c in Golden.GetProperty(group).EnumerateArray()) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    private static JsonElement Case(string group, string name) =>
        Golden.GetProperty(group).EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static float[] Floats(JsonElement c, string field) => c.GetProperty(field).EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
}
