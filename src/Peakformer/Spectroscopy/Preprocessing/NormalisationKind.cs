namespace Peakformer.Spectroscopy.Preprocessing;

/// <summary>How a spectrum is scaled; see <see cref="Normalisation"/>.</summary>
public enum NormalisationKind
{
    MinMax,
    Area,
    Vector,
    Max,
}
