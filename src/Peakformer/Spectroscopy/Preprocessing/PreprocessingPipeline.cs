using System.Text.Json;
using System.Text.Json.Nodes;
using Peakformer.Engine.Threading;
using Peakformer.Progress;
using Peakformer.Spectroscopy.Spectra;

namespace Peakformer.Spectroscopy.Preprocessing;

/// <summary>
/// Preprocessing steps applied in order to every spectrum. Written as text, <c>crop:400:1800,als:1e5:0.01,savgol:11:3,minmax</c>
/// (steps separated by commas, arguments by colons), and saved as JSON <c>{"steps": ["crop:400:1800", ...]}</c>
/// holding each step's canonical text, so that a checkpoint can carry it and prediction apply it again.
/// </summary>
public sealed class PreprocessingPipeline
{
    public PreprocessingPipeline(IReadOnlyList<ISpectrumStep> steps) => Steps = steps;

    public IReadOnlyList<ISpectrumStep> Steps { get; }

    /// <summary>The pipeline of a text spec; <paramref name="where"/> (an option or file) starts every error.</summary>
    public static PreprocessingPipeline Parse(string spec, string where)
    {
        var items = spec.Split(',');
        if (string.IsNullOrWhiteSpace(spec)) throw InputException.At(null, null, where, $"steps separated by commas, each one of {StepParser.Names}", "nothing");
        var steps = new List<ISpectrumStep>();
        for (int i = 0; i < items.Length; i++)
        {
            if (items[i].Trim().Length == 0) throw InputException.At(null, null, $"{where}: step {i + 1}", "a step between the commas", "nothing");
            steps.Add(StepParser.Parse(items[i].Trim(), i + 1, where));
        }
        return new PreprocessingPipeline(steps);
    }

    public string Spec => string.Join(",", Steps.Select(s => s.Spec));

    public string ToJson() => new JsonObject { ["steps"] = new JsonArray(Steps.Select(s => (JsonNode)JsonValue.Create(s.Spec)!).ToArray()) }.ToJsonString();

    public static PreprocessingPipeline FromJson(string json, string where)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw InputException.At(null, null, where, "preprocessing JSON {\"steps\": [...]}", $"invalid JSON ({JsonErrors.Reason(e)})");
        }
        if (root is not JsonObject o || o["steps"] is not JsonArray array || array.Any(s => s is not JsonValue v || v.GetValueKind() != JsonValueKind.String))
            throw InputException.At(null, null, where, "preprocessing JSON {\"steps\": [\"crop:400:1800\", ...]}", Short(json));
        var steps = array.Select((s, i) => StepParser.Parse(s!.GetValue<string>(), i + 1, where)).ToList();
        return new PreprocessingPipeline(steps);
    }

    /// <summary>The axis before every step and after the last ([0] is <paramref name="axis"/>), checked step by step before any spectrum is touched.</summary>
    public List<double[]> Axes(double[] axis, string where)
    {
        var axes = new List<double[]> { axis };
        for (int i = 0; i < Steps.Count; i++)
        {
            try
            {
                axes.Add(Steps[i].OutputAxis(axes[^1]));
            }
            catch (InputException e)
            {
                throw new InputException($"{where}: step {i + 1} '{Steps[i].Spec}': {e.Message}");
            }
        }
        return axes;
    }

    /// <summary>
    /// Every spectrum of <paramref name="set"/> through the steps (in double precision, stored as float32), in
    /// parallel over spectra (each spectrum alone, so the result does not depend on the thread count). The set's
    /// preprocessing record becomes its earlier steps followed by these.
    /// </summary>
    public SpectrumSet Apply(SpectrumSet set, IProgressReporter progress, string where)
    {
        var axes = Axes(set.Wavenumbers, where);
        int length = axes[^1].Length;
        var values = new float[(long)set.Count * length];
        var job = new Job(this, axes, set, values);
        const int chunk = 512;
        using (var task = progress.Start("preprocessing spectra", set.Count, "spectra"))
            for (int start = 0; start < set.Count; start += chunk)
            {
                job.Start = start;
                job.Count = Math.Min(chunk, set.Count - start);
                WorkerPool.Shared.Run(job, Math.Min(WorkerPool.Shared.Threads, job.Count));
                task.Advance(job.Count);
            }
        var earlier = set.PreprocessingJson is { } json ? FromJson(json, "preprocessing_json").Steps : [];
        var record = new PreprocessingPipeline(earlier.Concat(Steps).ToList()).ToJson();
        return new SpectrumSet(values, set.Labels, set.ClassNames, axes[^1], set.GeneratorJson, record);
    }

    /// <summary>One spectrum through every step (<paramref name="axes"/>[i] is step i's input axis).</summary>
    public double[] ApplyOne(IReadOnlyList<double[]> axes, ReadOnlySpan<double> spectrum)
    {
        double[] current = spectrum.ToArray();
        for (int i = 0; i < Steps.Count; i++)
        {
            var next = new double[axes[i + 1].Length];
            Steps[i].Apply(axes[i], current, next);
            current = next;
        }
        return current;
    }

    private static string Short(string text) => text.Length <= 60 ? $"'{text}'" : $"'{text[..60]}...'";

    private sealed class Job(PreprocessingPipeline pipeline, List<double[]> axes, SpectrumSet set, float[] values) : IParallelJob
    {
        public int Start;
        public int Count;

        public void Execute(int part, int parts)
        {
            int inLength = set.Length, outLength = axes[^1].Length;
            var row = new double[inLength];
            for (int i = Start + part; i < Start + Count; i += parts)
            {
                var source = set.Spectrum(i);
                for (int k = 0; k < inLength; k++) row[k] = source[k];
                var result = pipeline.ApplyOne(axes, row);
                var target = values.AsSpan((int)((long)i * outLength), outLength);
                for (int k = 0; k < outLength; k++) target[k] = (float)result[k];
            }
        }
    }
}
