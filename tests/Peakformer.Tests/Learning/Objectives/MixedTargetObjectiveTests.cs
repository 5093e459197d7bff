using Peakformer.Engine.Autograd;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Objectives;

namespace Peakformer.Tests.Learning.Objectives;

/// <summary>Mixup's loss against the plain cross-entropy (PyTorch-golden-tested) at lambda = 1, and against its closed form.</summary>
public class MixedTargetObjectiveTests
{
    private static readonly float[] Logits = [1.5f, -0.3f, 0.2f, 0.1f, 2.0f, -1.0f, -0.5f, 0.4f, 0.9f];

    private static float LossOf(Peakformer.Learning.Training.IObjective objective, float[] targets)
    {
        var tape = new Tape();
        var logits = Tensor.FromArray(Logits, 3, 3).WithGrad();
        return objective.Loss(tape, logits, tape.From(targets, new Shape(targets.Length))).Item();
    }

    [Fact]
    public void Unmixed_targets_give_the_weighted_label_smoothed_cross_entropy()
    {
        float[] weights = [0.5f, 2f, 1.25f];
        float plain = LossOf(new MultiClassObjective(3, weights, 0.1f), [0, 1, 2]);
        float mixed = LossOf(new MixedTargetObjective(3, weights, 0.1f), [0, 0, 1, 1, 1, 1, 2, 0, 1]);
        Assert.Equal(plain, mixed, 5);
    }

    [Fact]
    public void Without_weights_or_smoothing_the_loss_is_lambda_ce_a_plus_one_minus_lambda_ce_b()
    {
        float[] targets = [0, 2, 0.25f, 1, 1, 0.5f, 2, 0, 0.9f];
        double expected = 0;
        for (int i = 0; i < 3; i++)
        {
            var row = Logits.AsSpan(3 * i, 3).ToArray();
            double max = row.Max(), sum = row.Sum(v => Math.Exp(v - max));
            double Ce(int c) => -(row[c] - max - Math.Log(sum));
            double lambda = targets[3 * i + 2];
            expected += lambda * Ce((int)targets[3 * i]) + (1 - lambda) * Ce((int)targets[3 * i + 1]);
        }
        Assert.Equal(expected / 3, LossOf(new MixedTargetObjective(3), targets), 5);
    }

    [Fact]
    public void Scores_read_the_first_class_of_each_triple()
    {
        var accumulator = new MixedTargetObjective(3).Accumulator();
        accumulator.Add(Logits, [0, 2, 0.3f, 1, 1, 1, 0, 0, 1]);
        // Row argmaxes: 0, 1, 2; first classes 0, 1, 0.
        Assert.Equal(2.0 / 3, accumulator.Score, 10);
    }
}
