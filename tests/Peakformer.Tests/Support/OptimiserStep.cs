using System.Globalization;
using Peakformer.Data.Npy;
using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Models;
using Peakformer.Learning.Training;

namespace Peakformer.Tests.Support;

/// <summary>
/// One optimiser step of a PyTorch twin (python/check_twin.py step) and its comparison with Peakformer's step from
/// the same weights and batch: gradients within 1e-5 of the largest, weights within 1e-5 beyond Adam's magnification
/// of gradient rounding.
/// </summary>
public static class OptimiserStep
{
    /// <summary>The twin's loss, weights after the step (by name) and gradients ("grad.name").</summary>
    public static (float Loss, Dictionary<string, float[]> Tensors) RunTwin(TempFolder folder, string checkpoint, Tensor inputs, Tensor targets, TrainingSettings settings)
    {
        Write(folder.File("step_x.npy"), inputs);
        Write(folder.File("step_y.npy"), targets);
        var (code, _, error) = TorchPython.Run("check_twin.py", "step", checkpoint, folder.File("step_x.npy"), folder.File("step_y.npy"),
            ModelJson.Serialize(settings), folder.File("step.safetensors"));
        Assert.True(code == 0, error);
        var (tensors, metadata) = SafeTensorsFile.Read(folder.File("step.safetensors"));
        return (float.Parse(metadata["loss"], CultureInfo.InvariantCulture), tensors.ToDictionary(t => t.Name, t => t.Values));
    }

    /// <summary>
    /// Adam's first step moves an entry by lr g / (|g| + eps) (plus the decay): where |g| is near eps = 1e-8 it magnifies
    /// the rounding of g by up to lr / eps. So each weight may differ by 1e-5 plus that magnification of its measured
    /// gradient difference (the Lipschitz bound of g / (|g| + eps) between the two gradients). This matters for the
    /// attention key biases, whose gradient is zero in exact arithmetic (softmax ignores a shift shared by every key) and
    /// only rounding on each side, and for a few entries near zero; every other weight is held to 1e-5.
    /// Returns the largest gradient, the largest gradient difference, the largest weight difference beyond the
    /// magnification, and how many of all entries have a magnification above 1e-6.
    /// </summary>
    public static (double GradientScale, double WorstGradient, double WorstWeight, int Magnified, int Total) Compare(
        ParameterSet parameters, float[] gradients, Dictionary<string, float[]> twin, float learningRate)
    {
        const double eps = 1e-8;
        double gradientScale = gradients.Max(Math.Abs), worstGradient = 0, worstWeight = 0;
        int magnified = 0, total = 0;
        for (int k = 0; k < parameters.Named.Count; k++)
        {
            var (name, parameter) = parameters.Named[k];
            int offset = parameters.Offsets[k];
            var grad = twin[$"grad.{name}"];
            var weight = twin[name];
            Assert.Equal(parameter.Value.Data.Length, weight.Length);
            for (int i = 0; i < weight.Length; i++, total++)
            {
                double g1 = gradients[offset + i], g2 = grad[i];
                worstGradient = Math.Max(worstGradient, Math.Abs(g1 - g2));
                double nearest = Math.Sign(g1) == Math.Sign(g2) ? Math.Min(Math.Abs(g1), Math.Abs(g2)) : 0;
                double magnification = learningRate * eps * Math.Abs(g1 - g2) / ((nearest + eps) * (nearest + eps));
                if (magnification > 1e-6) magnified++;
                worstWeight = Math.Max(worstWeight, Math.Abs(parameter.Value.Data[i] - weight[i]) - magnification);
            }
        }
        Assert.Equal(parameters.Named.Count * 2, twin.Count);
        return (gradientScale, worstGradient, worstWeight, magnified, total);
    }

    private static void Write(string path, Tensor t)
    {
        using var stream = File.Create(path);
        NpyFormat.Write(stream, NpyArray.Of(t.ToArray(), t.Shape.ToArray().Select(d => (long)d).ToArray()));
    }
}
