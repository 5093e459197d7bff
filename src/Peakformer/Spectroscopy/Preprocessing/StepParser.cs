namespace Peakformer.Spectroscopy.Preprocessing;

/// <summary>The one table of step names: reads <c>name:arg:arg</c> into its step.</summary>
public static class StepParser
{
    public const string Names = "crop:MIN:MAX, resample:MIN:MAX:POINTS, despike[:THRESHOLD[:WIDTH]], als[:LAMBDA[:P[:ITERATIONS]]], " +
                                "airpls[:LAMBDA[:ITERATIONS]], savgol:WINDOW:ORDER, minmax, area, vector, max";

    public static ISpectrumStep Parse(string text, int position, string where)
    {
        var a = new StepArguments(text, position, where);
        return a.Name switch
        {
            "crop" => CropStep.Parse(a),
            "resample" => ResampleStep.Parse(a),
            "despike" => DespikeStep.Parse(a),
            "als" => AlsBaselineStep.Parse(a),
            "airpls" => AirPlsBaselineStep.Parse(a),
            "savgol" => SavitzkyGolayStep.Parse(a),
            "minmax" => NormaliseStep.Parse(a, NormalisationKind.MinMax),
            "area" => NormaliseStep.Parse(a, NormalisationKind.Area),
            "vector" => NormaliseStep.Parse(a, NormalisationKind.Vector),
            "max" => NormaliseStep.Parse(a, NormalisationKind.Max),
            _ => throw a.Error("name", $"one of {Names}", $"'{a.Name}'"),
        };
    }
}
