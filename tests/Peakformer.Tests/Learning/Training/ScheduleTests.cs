using Peakformer.Engine.Layers;
using Peakformer.Engine.Optimizers;
using Peakformer.Engine.Randomness;
using Peakformer.Learning.Objectives;
using Peakformer.Learning.Training;

namespace Peakformer.Tests.Learning.Training;

public class ScheduleTests
{
    [Fact]
    public void Cosine_with_warm_up_rises_linearly_then_anneals_over_the_remaining_epochs()
    {
        var optimizer = new AdamW(new ParameterSet(new Linear(2, 1, new Rng(1))), 1f);
        var s = new TrainingSettings { Epochs = 6, LearningRate = 1f, MinLearningRate = 0.01f, Schedule = "cosine", WarmupEpochs = 2 };
        var schedule = Trainer.Schedule(optimizer, new RegressionObjective(0, 1), s)!;
        var rates = new List<double> { optimizer.LearningRate };
        for (int epoch = 1; epoch < 6; epoch++) { schedule.Step(1.0); rates.Add(optimizer.LearningRate); }
        // lr (t + 1) / (warm-up + 1) for t < 2, then 0.01 + 0.99 (1 + cos(pi k / 4)) / 2 for k = 0 .. 3.
        double Cos(int k) => 0.01 + 0.99 * (1 + Math.Cos(Math.PI * k / 4)) / 2;
        double[] expected = [1.0 / 3, 2.0 / 3, Cos(0), Cos(1), Cos(2), Cos(3)];
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], rates[i], 6);
    }

    [Fact]
    public void Warm_up_must_leave_an_epoch_to_train()
    {
        var e = Assert.Throws<InputException>(() => new TrainingSettings { Epochs = 3, WarmupEpochs = 3 }.Validate());
        Assert.Contains("--warmup", e.Message);
    }
}
