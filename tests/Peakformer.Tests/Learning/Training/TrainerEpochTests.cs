using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Objectives;
using Peakformer.Learning.Training;
using Peakformer.Progress;

namespace Peakformer.Tests.Learning.Training;

/// <summary>The trainer announces each epoch to the training examples (augmentation draws per epoch), and only to them.</summary>
public class TrainerEpochTests
{
    private sealed class Line : ITrainable
    {
        private readonly Linear _linear = new(2, 1, new Rng(5));
        public Module Module => _linear;
        public Tensor Forward(Tape tape, Tensor input) => Ops.Reshape(tape, _linear.Forward(tape, input), new Shape(input.Shape[0]));
    }

    private sealed class Examples(int count) : IExamples
    {
        public List<int> Announced { get; } = [];
        public int Count => count;
        public int InputSize => 2;
        public int TargetSize => 1;
        public void BeginEpoch(int epoch) => Announced.Add(epoch);
        public void Fill(ReadOnlySpan<int> indices, Span<float> inputs, Span<float> targets)
        {
            for (int i = 0; i < indices.Length; i++)
            {
                inputs[2 * i] = indices[i] % 5;
                inputs[2 * i + 1] = 1;
                targets[i] = indices[i] % 5;
            }
        }
    }

    [Fact]
    public void Each_training_epoch_is_announced_before_its_batches()
    {
        var train = new Examples(16);
        var validation = new Examples(4);
        var settings = new TrainingSettings { Epochs = 3, Batch = 8, LearningRate = 1e-2f, Patience = 10 };
        Trainer.Train(new Line(), new RegressionObjective(0, 1), train, validation, settings, NullProgress.Instance, _ => { });
        Assert.Equal([1, 2, 3], train.Announced);
        Assert.Empty(validation.Announced);
    }
}
