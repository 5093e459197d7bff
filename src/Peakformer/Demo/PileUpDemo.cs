using Peakformer.DriftChamber.Models;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Optimizers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Progress;

namespace Peakformer.Demo;

/// <summary>Loss and accuracy after one epoch of the demo.</summary>
public sealed record DemoEpoch(int Epoch, double TrainLoss, double TestLoss, double TestAccuracy);

/// <summary>
/// Trains a small window transformer to separate windows holding one detector pulse from windows holding two
/// overlapping pulses (pile-up), both with Gaussian noise, and reports loss and accuracy on held-out windows.
/// </summary>
public static class PileUpDemo
{
    public static IReadOnlyList<DemoEpoch> Run(PileUpDemoSettings s, IProgressReporter progress)
    {
        var rng = new Rng(s.Seed);
        var (trainX, trainY) = Make(s, s.TrainWindows, rng);
        var (testX, testY) = Make(s, s.TestWindows, rng);
        var model = new WindowTransformer(new WindowTransformerConfig { WindowLength = s.WindowLength, Model = 32, FeedForward = 64, HeadHidden = 32, Layers = 2 }, rng);
        var optimizer = new AdamW(new ParameterSet(model), s.LearningRate, weightDecay: 1e-4f);
        var tape = new Tape();
        var order = Enumerable.Range(0, s.TrainWindows).ToArray();
        var history = new List<DemoEpoch>();
        for (int epoch = 1; epoch <= s.Epochs; epoch++)
        {
            rng.Shuffle(order.AsSpan());
            model.Train();
            double lossSum = 0;
            int batches = 0;
            using (var task = progress.Start($"epoch {epoch}/{s.Epochs}", s.TrainWindows / s.Batch * s.Batch, "windows"))
            {
                for (int start = 0; start + s.Batch <= s.TrainWindows; start += s.Batch)
                {
                    tape.Reset();
                    var x = tape.Empty(new Shape(s.Batch, s.WindowLength));
                    var y = tape.Empty(new Shape(s.Batch));
                    for (int i = 0; i < s.Batch; i++)
                    {
                        int r = order[start + i];
                        trainX.AsSpan(r * s.WindowLength, s.WindowLength).CopyTo(x.Data.Slice(i * s.WindowLength));
                        y.Data[i] = trainY[r];
                    }
                    optimizer.ZeroGrad();
                    var loss = Ops.BceWithLogits(tape, model.Forward(tape, x), y);
                    lossSum += loss.Item();
                    batches++;
                    tape.Backward(loss);
                    optimizer.Step();
                    task.Advance(s.Batch, $"loss {lossSum / batches:F3}");
                }
            }
            var (testLoss, accuracy) = Evaluate(model, testX, testY, s);
            history.Add(new DemoEpoch(epoch, lossSum / batches, testLoss, accuracy));
            progress.Note($"epoch {epoch}: train loss {lossSum / batches:F4}, test loss {testLoss:F4}, test accuracy {accuracy:P2}");
        }
        return history;
    }

    private static (double Loss, double Accuracy) Evaluate(WindowTransformer model, float[] x, float[] y, PileUpDemoSettings s)
    {
        model.Eval();
        var tape = new Tape(gradients: false);
        int n = y.Length, correct = 0;
        double loss = 0;
        for (int start = 0; start < n; start += s.Batch)
        {
            tape.Reset();
            int b = Math.Min(s.Batch, n - start);
            var xb = tape.From(x.AsSpan(start * s.WindowLength, b * s.WindowLength), new Shape(b, s.WindowLength));
            var yb = tape.From(y.AsSpan(start, b), new Shape(b));
            var logits = model.Forward(tape, xb);
            loss += Ops.BceWithLogits(tape, logits, yb).Item() * b;
            for (int i = 0; i < b; i++) if ((logits.Data[i] > 0) == (y[start + i] > 0.5f)) correct++;
        }
        return (loss / n, (double)correct / n);
    }

    /// <summary>Windows with one pulse (label 0) or two pulses 2-6 samples apart (label 1), amplitudes 0.5-1.</summary>
    private static (float[] X, float[] Y) Make(PileUpDemoSettings s, int count, Rng rng)
    {
        int w = s.WindowLength;
        var x = new float[count * w];
        var y = new float[count];
        for (int n = 0; n < count; n++)
        {
            bool two = rng.NextDouble() < 0.5;
            y[n] = two ? 1f : 0f;
            double t1 = rng.Uniform(4, w - 14);
            AddPulse(x.AsSpan(n * w, w), t1, rng.Uniform(0.5, 1.0));
            if (two) AddPulse(x.AsSpan(n * w, w), t1 + rng.Uniform(2, 6), rng.Uniform(0.5, 1.0));
            for (int i = 0; i < w; i++) x[n * w + i] += (float)(rng.NextNormal() * s.NoiseRms);
        }
        return (x, y);
    }

    // Two-exponential pulse (1 ns rise, 7 ns fall at 1 sample per ns), normalised to a unit peak.
    private static void AddPulse(Span<float> w, double t0, double amplitude)
    {
        const double rise = 1, fall = 7;
        double tPeak = rise * fall / (fall - rise) * Math.Log(fall / rise);
        double norm = Math.Exp(-tPeak / fall) - Math.Exp(-tPeak / rise);
        for (int i = 0; i < w.Length; i++)
        {
            double t = i - t0;
            if (t > 0) w[i] += (float)(amplitude * (Math.Exp(-t / fall) - Math.Exp(-t / rise)) / norm);
        }
    }
}
