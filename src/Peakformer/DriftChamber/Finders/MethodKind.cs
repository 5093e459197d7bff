namespace Peakformer.DriftChamber.Finders;

/// <summary>What a <see cref="MethodSpec"/> names.</summary>
public enum MethodKind
{
    /// <summary>"truth": the Monte-Carlo truth (peaks, or for counting the true cluster number).</summary>
    Truth,
    /// <summary>"truth-peaks": the truth electron peaks, clusterised (pid only).</summary>
    TruthPeaks,
    /// <summary>"deriv", "d2", "deriv:N1,N2,N3,N4", "d2:T1,T2".</summary>
    Classical,
    /// <summary>A checkpoint, "MODEL.safetensors" or "MODEL.safetensors@THRESHOLD".</summary>
    Model,
}
