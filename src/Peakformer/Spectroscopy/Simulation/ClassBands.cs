namespace Peakformer.Spectroscopy.Simulation;

/// <summary>
/// A class (a molecule, a strain...) as its bands: what every spectrum of the class is drawn around; with
/// polarisation, each band's Raman tensor (3x3 row-major, <see cref="RamanTensors"/>), written only when there.
/// </summary>
public sealed record ClassBands(string Name, IReadOnlyList<Band> Bands)
{
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<double[]>? Tensors { get; init; }
}
