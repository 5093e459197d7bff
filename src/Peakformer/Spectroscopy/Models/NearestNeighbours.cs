using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Engine.Threading;
using Peakformer.Learning.Training;

namespace Peakformer.Spectroscopy.Models;

/// <summary>
/// k-nearest neighbours on spectra, as scikit-learn's KNeighborsClassifier(n_neighbors=k) with uniform weights:
/// Euclidean distance to every stored training spectrum, the k nearest vote, the probability of class c is its share
/// of the k votes. Ties are broken deterministically: between equal distances the earlier training spectrum is nearer,
/// between equal votes the lower class index wins (argmax). Nothing is learned: the training spectra and their labels
/// are the "parameters" (train_x [N, L], train_y [N] as floats), so the checkpoint carries them.
/// </summary>
public sealed class NearestNeighbours : Module, ITrainable
{
    public NearestNeighbours(NearestNeighboursConfig config, Rng rng)
    {
        config.Validate();
        Config = config;
        TrainX = AddParameter("train_x", new Shape(config.Examples, config.Length), _ => { });
        TrainY = AddParameter("train_y", new Shape(config.Examples), _ => { });
    }

    public NearestNeighboursConfig Config { get; }
    public Parameter TrainX { get; }
    public Parameter TrainY { get; }
    Module ITrainable.Module => this;

    /// <summary>Stores the training spectra [N, L] and their classes.</summary>
    public void Fit(ReadOnlySpan<float> spectra, ReadOnlySpan<int> labels)
    {
        if (spectra.Length != TrainX.Shape.Size || labels.Length != Config.Examples)
            throw new ArgumentException($"NearestNeighbours: expected {Config.Examples} spectra of {Config.Length} points, got {labels.Length} labels and {spectra.Length} values.");
        spectra.CopyTo(TrainX.Value.Data);
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)Config.Classes) throw new ArgumentException($"NearestNeighbours: label {labels[i]} outside 0..{Config.Classes - 1}.");
            TrainY.Value.Data[i] = labels[i];
        }
    }

    /// <summary>
    /// Stored spectra and labels as loaded from <paramref name="source"/> checked before any vote: train_x [examples,
    /// length] and train_y [examples] (the config's), every train_y a whole number in [0, classes), since a vote indexes
    /// a class by it.
    /// </summary>
    public void CheckStored(string source)
    {
        if (TrainX.Shape != new Shape(Config.Examples, Config.Length))
            throw InputException.At(source, null, "train_x", $"shape [{Config.Examples}, {Config.Length}] (the config's examples and length)", TrainX.Shape.ToString());
        if (TrainY.Shape != new Shape(Config.Examples))
            throw InputException.At(source, null, "train_y", $"shape [{Config.Examples}] (the config's examples)", TrainY.Shape.ToString());
        var labels = TrainY.Value.Data;
        for (int i = 0; i < labels.Length; i++)
            if (!(labels[i] >= 0 && labels[i] < Config.Classes && labels[i] == MathF.Floor(labels[i])))
                throw InputException.At(source, null, $"train_y[{i}]", $"a class index, a whole number in [0, {Config.Classes - 1}]",
                    labels[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Vote shares [B, K] (the class probabilities; no gradient flows through a vote).</summary>
    public Tensor Forward(Tape tape, Tensor spectra)
    {
        if (spectra.Shape.Rank != 2 || spectra.Shape[1] != Config.Length)
            throw new ArgumentException($"NearestNeighbours: expected spectra [batch, {Config.Length}], got {spectra.Shape}.");
        var output = tape.Empty(new Shape(spectra.Shape[0], Config.Classes));
        Probabilities(spectra.Data, output.Data);
        return output;
    }

    /// <summary>Vote shares of every query spectrum ([B, L] → [B, K]), in parallel over queries (each alone, so thread counts agree).</summary>
    public void Probabilities(ReadOnlySpan<float> queries, Span<float> output)
    {
        int b = queries.Length / Config.Length;
        var q = queries.ToArray();
        var o = new float[b * Config.Classes];
        var job = new Job(this, q, o, b);
        WorkerPool.Shared.Run(job, Math.Max(1, Math.Min(WorkerPool.Shared.Threads, b)));
        o.CopyTo(output);
    }

    /// <summary>The stored indices of the k nearest spectra to <paramref name="query"/>, nearest first (ties: lower index first).</summary>
    public int[] Neighbours(ReadOnlySpan<float> query)
    {
        int k = Config.K, n = Config.Examples, length = Config.Length;
        var best = new int[k];
        var distance = new double[k];
        int found = 0;
        var stored = TrainX.Value.Data;
        for (int j = 0; j < n; j++)
        {
            double d = Squared(query, stored.Slice(j * length, length));
            if (found == k && d >= distance[k - 1]) continue;
            // Insert after every equal distance, so the earlier index stays nearer.
            int at = found == k ? k - 1 : found++;
            while (at > 0 && distance[at - 1] > d)
            {
                distance[at] = distance[at - 1];
                best[at] = best[at - 1];
                at--;
            }
            distance[at] = d;
            best[at] = j;
        }
        return best;
    }

    /// <summary>Sum of squared differences in double precision (the ranking of sqrt of it).</summary>
    private static double Squared(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = (double)a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }

    private sealed class Job(NearestNeighbours model, float[] queries, float[] output, int count) : IParallelJob
    {
        public void Execute(int part, int parts)
        {
            int length = model.Config.Length, classes = model.Config.Classes, k = model.Config.K;
            var labels = model.TrainY.Value.Data;
            for (int i = part; i < count; i += parts)
            {
                var row = output.AsSpan(i * classes, classes);
                foreach (int j in model.Neighbours(queries.AsSpan(i * length, length))) row[(int)labels[j]] += 1f / k;
            }
        }
    }
}
