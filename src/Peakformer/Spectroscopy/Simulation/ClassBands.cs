namespace Peakformer.Spectroscopy.Simulation;

/// <summary>A class (a molecule, a strain...) as its bands: what every spectrum of the class is drawn around.</summary>
public sealed record ClassBands(string Name, IReadOnlyList<Band> Bands);
