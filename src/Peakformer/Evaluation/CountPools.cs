namespace Peakformer.Evaluation;

/// <summary>
/// Waveforms [FirstWaveform, FirstWaveform + Truth.Length) of a <c>count</c> run on data with truth: each one's true
/// clusters, momentum, particle code and the count of every method (Counts[method][waveform]), with the plan that
/// analyses them. A shard's pools are a part; <see cref="CountPoolsFile.Join"/> makes them whole again.
/// </summary>
public sealed record CountPools(CountPlan Plan, int FirstWaveform, double[] Truth, double[] MomentumGeV, int[] Particles, double[][] Counts);
