using Peakformer.Spectroscopy.Simulation;

namespace Peakformer.Spectroscopy.Tensors;

/// <summary>
/// What decides a simulated tensor set: the Raman settings of every spectrum (its polarisation fields unused: each
/// channel has its own, <see cref="TensorPolarisations"/>; <c>normalise</c> is applied to the example as a whole) and
/// the class whose molecule is measured. The mode is the class's strongest band (largest integrated intensity).
/// </summary>
public sealed record TensorSetSettings
{
    public RamanSimulationSettings Raman { get; init; } = new();
    /// <summary>Index of the generated (or stick-table) class whose molecule every example is.</summary>
    public int Class { get; init; }

    public void Validate(string where, int classes)
    {
        Raman.Validate(where);
        if (Raman.Incident is not null) throw InputException.At(null, null, $"{where}: polarisation", "none with --task tensor (each channel has its own configuration)", "one given");
        if ((long)Raman.Spectra * TensorPolarisations.All.Count * Raman.Points > RamanSimulationSettings.MaxValues)
            throw InputException.At(null, null, $"{where}: spectra x channels x points", $"at most {RamanSimulationSettings.MaxValues} values",
                $"{(long)Raman.Spectra * TensorPolarisations.All.Count * Raman.Points}");
        Finite.Count($"{where}: tensor_class", Class, 0, classes - 1);
    }
}
