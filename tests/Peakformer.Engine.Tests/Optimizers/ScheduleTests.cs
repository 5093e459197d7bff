using Peakformer.Engine.Layers;
using Peakformer.Engine.Optimizers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tests.Support;

namespace Peakformer.Engine.Tests.Optimizers;

/// <summary>Learning-rate traces against PyTorch's own schedulers (golden file "schedules").</summary>
public class ScheduleTests
{
    private static Sgd NewOptimizer() => new(new ParameterSet(new Linear(1, 1, new Rng(0))), 0.1f);

    private static float[] Trace(Func<Optimizer, ILearningRateSchedule> make, float[]? metrics = null)
    {
        var optimizer = NewOptimizer();
        var schedule = make(optimizer);
        var lrs = new float[12];
        for (int e = 0; e < lrs.Length; e++)
        {
            schedule.Step(metrics?[e]);
            lrs[e] = optimizer.LearningRate;
        }
        return lrs;
    }

    [Fact]
    public void Cosine_annealing_matches_pytorch() =>
        Golden.AssertClose(Golden.Load("schedules").Values("cosine"), Trace(o => new CosineAnnealing(o, 10, 0.001f)), "cosine", 1e-5, 1e-7);

    [Fact]
    public void Step_decay_matches_pytorch() =>
        Golden.AssertClose(Golden.Load("schedules").Values("step"), Trace(o => new StepDecay(o, 3, 0.5f)), "step", 1e-6, 0);

    [Fact]
    public void Reduce_on_plateau_matches_pytorch()
    {
        var g = Golden.Load("schedules");
        Golden.AssertClose(g.Values("plateau"), Trace(o => new ReduceLROnPlateau(o, factor: 0.5f, patience: 2, minLearningRate: 0.02f), g.Values("plateau_metrics")), "plateau", 1e-6, 0);
    }

    [Fact]
    public void Linear_warmup_rises_to_the_base_rate_then_hands_over()
    {
        var optimizer = NewOptimizer();
        var schedule = new LinearWarmup(optimizer, 3, new StepDecay(optimizer, 1, 0.5f));
        var seen = new List<float> { optimizer.LearningRate };
        for (int e = 0; e < 5; e++)
        {
            schedule.Step();
            seen.Add(optimizer.LearningRate);
        }
        Assert.Equal(new[] { 0.025f, 0.05f, 0.075f, 0.1f, 0.05f, 0.025f }, seen.Select(x => MathF.Round(x, 6)));
    }

    [Fact]
    public void Gradient_clipping_scales_to_the_maximum_norm()
    {
        var set = new ParameterSet(new Linear(2, 1, new Rng(0)));
        set.Grads[0] = 3;
        set.Grads[1] = 4;
        set.Grads[2] = 0;
        float before = set.ClipGradNorm(1f);
        Assert.Equal(5f, before, 5);
        Assert.Equal(0.6f, set.Grads[0], 4);
        Assert.Equal(0.8f, set.Grads[1], 4);
    }
}
